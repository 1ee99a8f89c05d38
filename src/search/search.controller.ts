import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Auth } from '../common/decorators/auth.decorator';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import { badRequest } from '../common/errors/app.exception';
import { PageQuery } from '../common/pagination/page.query';
import { MediaLinks } from '../media/media-links';
import { PostPage } from '../posts/dto/post.response';
import { PostsService } from '../posts/posts.service';
import { UserCardPage } from '../users/dto/user.response';
import type { User } from '../users/entities/user.entity';
import { toUserCard } from '../users/users.mapper';
import { SearchRepository } from './search.repository';

export class SearchQuery extends PageQuery {
  @ApiProperty({ minLength: 2, maxLength: 100, example: 'jane' })
  @IsString()
  @Length(2, 100, { message: 'q must be 2 to 100 characters' })
  q: string;
}

/** Results are ranked, not ordered by time: the cursor holds a position (at most 1,000 deep). */
const MAX_DEPTH = 1000;

function position(cursor: string | undefined): number {
  if (!cursor) return 0;
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^o:/, ''));
  if (!Number.isInteger(n) || n < 0 || n > MAX_DEPTH)
    throw badRequest(
      'INVALID_CURSOR',
      'The cursor is malformed; use next_cursor from a previous page',
    );
  return n;
}
const nextCursor = (offset: number, limit: number, got: number) =>
  got > limit && offset + limit < MAX_DEPTH
    ? Buffer.from(`o:${offset + limit}`).toString('base64url')
    : null;

@ApiTags('social')
@Controller()
export class SearchController {
  constructor(
    private readonly search: SearchRepository,
    private readonly posts: PostsService,
    private readonly links: MediaLinks,
  ) {}

  @Get('search/users')
  @Auth()
  @ApiOperation({
    summary: 'Users by username or bio: exact username first, then prefix, then similarity',
  })
  @ApiOkResponse({ type: UserCardPage })
  @ApiBadRequestResponse({ description: 'A query shorter than 2 characters', type: ErrorResponse })
  async users(@CurrentUser() user: User, @Query() query: SearchQuery): Promise<UserCardPage> {
    const limit = query.limit ?? 20;
    const offset = position(query.cursor);
    const rows = await this.search.users(user.id, query.q.trim().toLowerCase(), offset, limit + 1);
    const links = this.links.current();
    return {
      items: rows.slice(0, limit).map((row) => toUserCard(row, links)),
      next_cursor: nextCursor(offset, limit, rows.length),
    };
  }

  @Get('search/posts')
  @Auth()
  @ApiOperation({ summary: 'Posts whose caption matches (words and #tags), best first' })
  @ApiOkResponse({ type: PostPage })
  @ApiBadRequestResponse({ description: 'A query shorter than 2 characters', type: ErrorResponse })
  async postsMatching(@CurrentUser() user: User, @Query() query: SearchQuery): Promise<PostPage> {
    const limit = query.limit ?? 20;
    const offset = position(query.cursor);
    const ids = await this.search.posts(user.id, query.q.trim(), offset, limit + 1);
    return {
      items: await this.posts.byIds(ids.slice(0, limit), user.id),
      next_cursor: nextCursor(offset, limit, ids.length),
    };
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
    const name = tag.replace(/^#/, '');
    if (!/^[A-Za-z0-9_]{1,100}$/.test(name))
      throw badRequest('INVALID_TAG', 'A tag is 1 to 100 letters, digits or _');
    return this.posts.page(user.id, { ...query, tag: name });
  }
}
