import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RateLimit } from '../auth/rate-limit';
import { Auth } from '../common/decorators/auth.decorator';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import { notFound } from '../common/errors/app.exception';
import { PageQuery } from '../common/pagination/page.query';
import { uuidPipe } from '../common/pipes/uuid.pipe';
import { MediaLinks } from '../media/media-links';
import { PostsRepository } from '../posts/posts.repository';
import { UserCardPage } from '../users/dto/user.response';
import type { User } from '../users/entities/user.entity';
import { toUserCardPage } from '../users/users.mapper';
import { LikesRepository } from './likes.repository';
import { NotificationsService } from '../notifications/notifications.service';

@ApiTags('social')
@Controller('posts/:id')
export class LikesController {
  constructor(
    private readonly likes: LikesRepository,
    private readonly posts: PostsRepository,
    private readonly links: MediaLinks,
    private readonly notifications: NotificationsService,
  ) {}

  @Post('like')
  @Auth()
  @RateLimit('like')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Like a post (idempotent)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'POST_NOT_FOUND', type: ErrorResponse })
  async like(@CurrentUser() user: User, @Param('id', uuidPipe) id: string): Promise<void> {
    const { authorId, created } = await this.likes.like(user.id, id);
    if (!authorId) throw notFound('POST_NOT_FOUND', 'Post not found');
    if (created) await this.notifications.notify('like', user.id, [authorId], { postId: id });
  }

  @Delete('like')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Take a like back (idempotent)' })
  @ApiNoContentResponse()
  unlike(@CurrentUser() user: User, @Param('id', uuidPipe) id: string): Promise<void> {
    return this.likes.unlike(user.id, id);
  }

  @Get('likes')
  @Auth()
  @ApiOperation({ summary: 'Who liked a post, most recent first' })
  @ApiOkResponse({ type: UserCardPage })
  @ApiNotFoundResponse({ description: 'POST_NOT_FOUND', type: ErrorResponse })
  async likers(
    @CurrentUser() user: User,
    @Param('id', uuidPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<UserCardPage> {
    if (!(await this.posts.visible(id, user.id)))
      throw notFound('POST_NOT_FOUND', 'Post not found');
    const page = await this.likes.likers(id, query);
    return toUserCardPage(page, this.links.current());
  }
}
