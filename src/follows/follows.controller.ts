import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
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
import { FollowsService } from './follows.service';

@ApiTags('social')
@Controller('users/:id')
export class FollowsController {
  constructor(private readonly follows: FollowsService) {}

  @Post('follow')
  @Auth()
  @RateLimit('follow')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Follow a user (idempotent)' })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'CANNOT_FOLLOW_SELF', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND', type: ErrorResponse })
  follow(@CurrentUser() user: User, @Param('id', uuidPipe) id: string): Promise<void> {
    return this.follows.follow(user, id);
  }

  @Delete('follow')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Stop following a user (idempotent)' })
  @ApiNoContentResponse()
  unfollow(@CurrentUser() user: User, @Param('id', uuidPipe) id: string): Promise<void> {
    return this.follows.unfollow(user, id);
  }

  @Get('followers')
  @Auth()
  @ApiOperation({ summary: "A user's followers, most recent first" })
  @ApiOkResponse({ type: UserCardPage })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND', type: ErrorResponse })
  async followers(
    @CurrentUser() user: User,
    @Param('id', uuidPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<UserCardPage> {
    await this.follows.visibleUser(user, id);
    return this.follows.page(id, 'followers', query);
  }

  @Get('following')
  @Auth()
  @ApiOperation({ summary: 'Whom a user follows, most recent first' })
  @ApiOkResponse({ type: UserCardPage })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND', type: ErrorResponse })
  async following(
    @CurrentUser() user: User,
    @Param('id', uuidPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<UserCardPage> {
    await this.follows.visibleUser(user, id);
    return this.follows.page(id, 'following', query);
  }
}
