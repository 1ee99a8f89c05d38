import { Injectable } from '@nestjs/common';
import { badRequest } from '../common/errors/app.exception';
import { MediaLinks } from '../media/media-links';
import type { PostPage } from '../posts/dto/post.response';
import { PostsService } from '../posts/posts.service';
import type { UserCardPage } from '../users/dto/user.response';
import type { User } from '../users/entities/user.entity';
import { toUserCard } from '../users/users.mapper';
import { SearchRepository } from './search.repository';

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

interface SearchPage {
  q: string;
  limit?: number;
  cursor?: string;
}

/** Search over people and captions, and hashtag pages: only what the viewer may see. */
@Injectable()
export class SearchService {
  constructor(
    private readonly search: SearchRepository,
    private readonly feed: PostsService,
    private readonly links: MediaLinks,
  ) {}

  async users(viewer: User, query: SearchPage): Promise<UserCardPage> {
    const limit = query.limit ?? 20;
    const offset = position(query.cursor);
    const q = query.q.trim().toLowerCase();
    const rows = await this.search.users(viewer.id, q, offset, limit + 1);
    const links = this.links.current();
    return {
      items: rows.slice(0, limit).map((row) => toUserCard(row, links)),
      next_cursor: nextCursor(offset, limit, rows.length),
    };
  }

  async posts(viewer: User, query: SearchPage): Promise<PostPage> {
    const limit = query.limit ?? 20;
    const offset = position(query.cursor);
    const ids = await this.search.posts(viewer.id, query.q.trim(), offset, limit + 1);
    return {
      items: await this.feed.byIds(ids.slice(0, limit), viewer.id),
      next_cursor: nextCursor(offset, limit, ids.length),
    };
  }

  /** A hashtag's posts; `tag` may start with #. */
  tag(viewer: User, tag: string, query: { limit?: number; cursor?: string }): Promise<PostPage> {
    const name = tag.replace(/^#/, '');
    if (!/^[A-Za-z0-9_]{1,100}$/.test(name))
      throw badRequest('INVALID_TAG', 'A tag is 1 to 100 letters, digits or _');
    return this.feed.page(viewer.id, { ...query, tag: name });
  }
}
