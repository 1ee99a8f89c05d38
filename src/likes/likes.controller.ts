import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RateLimit } from '../auth/rate-limit';
import { Auth } from '../auth/decorators/auth.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import { PageQuery } from '../common/pagination/page.query';
import { uuidPipe } from '../common/pipes/uuid.pipe';
import { UserCardPage } from '../users/dto/user.response';
import type { User } from '../users/entities/user.entity';
import { LikesService } from './likes.service';

@ApiTags('social')
@Controller('posts/:id')
export class LikesController {
  constructor(private readonly likes: LikesService) {}

  @Post('like')
  @Auth()
  @RateLimit('like')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Like a post (idempotent)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'POST_NOT_FOUND', type: ErrorResponse })
  like(@CurrentUser() user: User, @Param('id', uuidPipe) id: string): Promise<void> {
    return this.likes.like(user, id);
  }

  @Delete('like')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Take a like back (idempotent)' })
  @ApiNoContentResponse()
  unlike(@CurrentUser() user: User, @Param('id', uuidPipe) id: string): Promise<void> {
    return this.likes.unlike(user, id);
  }

  @Get('likes')
  @Auth()
  @ApiOperation({ summary: 'Who liked a post, most recent first' })
  @ApiOkResponse({ type: UserCardPage })
  @ApiNotFoundResponse({ description: 'POST_NOT_FOUND', type: ErrorResponse })
  likers(
    @CurrentUser() user: User,
    @Param('id', uuidPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<UserCardPage> {
    return this.likes.likers(user, id, query);
  }
}
