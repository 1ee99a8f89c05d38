import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Auth } from '../auth/decorators/auth.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import { PageQuery } from '../common/pagination/page.query';
import { PostPage } from '../posts/dto/post.response';
import { UserCardPage } from '../users/dto/user.response';
import type { User } from '../users/entities/user.entity';
import { SearchService } from './search.service';

export class SearchQuery extends PageQuery {
  @ApiProperty({ minLength: 2, maxLength: 100, example: 'jane' })
  @IsString()
  @Length(2, 100, { message: 'q must be 2 to 100 characters' })
  q: string;
}

@ApiTags('social')
@Controller()
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get('search/users')
  @Auth()
  @ApiOperation({
    summary: 'Users by username or bio: exact username first, then prefix, then similarity',
  })
  @ApiOkResponse({ type: UserCardPage })
  @ApiBadRequestResponse({ description: 'A query shorter than 2 characters', type: ErrorResponse })
  users(@CurrentUser() user: User, @Query() query: SearchQuery): Promise<UserCardPage> {
    return this.search.users(user, query);
  }

  @Get('search/posts')
  @Auth()
  @ApiOperation({ summary: 'Posts whose caption matches (words and #tags), best first' })
  @ApiOkResponse({ type: PostPage })
  @ApiBadRequestResponse({ description: 'A query shorter than 2 characters', type: ErrorResponse })
  postsMatching(@CurrentUser() user: User, @Query() query: SearchQuery): Promise<PostPage> {
    return this.search.posts(user, query);
  }

  @Get('tags/:tag/posts')
  @Auth()
  @ApiOperation({ summary: "A hashtag's posts (case-insensitive, without #), newest first" })
  @ApiOkResponse({ type: PostPage })
  @ApiBadRequestResponse({ description: 'Not a hashtag', type: ErrorResponse })
  tag(
    @CurrentUser() user: User,
    @Param('tag') tag: string,
    @Query() query: PageQuery,
  ): Promise<PostPage> {
    return this.search.tag(user, tag, query);
  }
}
