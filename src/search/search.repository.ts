import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { visibleSql } from '../access/visibility';
import { escapeLike, rawQuery } from '../database/raw-query';
import type { UserCardRow } from '../users/users.mapper';

/**
 * Search over users and captions. Users rank exact username first, then prefix, then
 * similarity (pg_trgm where the server has it; on a database without it, substring matches
 * of username or bio rank by position and length instead).
 */
@Injectable()
export class SearchRepository {
  private readonly logger = new Logger('Search');
  private trigrams?: Promise<boolean>;

  constructor(private readonly dataSource: DataSource) {}

  /** Whether pg_trgm is installed (checked once). */
  hasTrigrams(): Promise<boolean> {
    return (this.trigrams ??= rawQuery<{ ok: boolean }>(
      this.dataSource,
      `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS ok`,
      [],
    ).then((rows) => {
      if (!rows[0].ok)
        this.logger.log('pg_trgm is not installed: user search ranks without similarity');
      return rows[0].ok;
    }));
  }

  /** Users matching `q` (username or bio) as `viewerId` may see them, best first. */
  async users(viewerId: string, q: string, offset: number, limit: number): Promise<UserCardRow[]> {
    const trigram = await this.hasTrigrams();
    const similarity = trigram
      ? `greatest(similarity(lower(u.username), $2), similarity(lower(coalesce(u.bio, '')), $2))`
      : `1.0 / (1 + strpos(lower(u.username || ' ' || coalesce(u.bio, '')), $2))`;
    const matches = trigram
      ? `(lower(u.username) % $2 OR lower(u.username) LIKE $3 OR lower(coalesce(u.bio, '')) LIKE $3)`
      : `(lower(u.username) LIKE $3 OR lower(coalesce(u.bio, '')) LIKE $3)`;
    return rawQuery<UserCardRow>(
      this.dataSource,
      `SELECT u.id, u.username, u.bio, u.avatar_storage, u.avatar_path
       FROM users u
       WHERE u.is_active AND ${matches}
         AND ${visibleSql.person('u.id', '$1::uuid')}
       ORDER BY (lower(u.username) = $2) DESC, (lower(u.username) LIKE $4) DESC,
                ${similarity} DESC, length(u.username), u.id
       OFFSET $5 LIMIT $6`,
      [viewerId, q, `%${escapeLike(q)}%`, `${escapeLike(q)}%`, offset, limit],
    );
  }

  /**
   * Ids of posts whose caption matches `q` (words; #tags are words too), best first, that
   * `viewerId` may see.
   */
  async posts(viewerId: string, q: string, offset: number, limit: number): Promise<string[]> {
    const rows = await rawQuery<{ id: string }>(
      this.dataSource,
      `SELECT p.id
       FROM posts p JOIN users a ON a.id = p.user_id AND a.is_active,
            websearch_to_tsquery('simple', $2) AS query
       WHERE to_tsvector('simple', p.caption) @@ query
         AND ${visibleSql.post('p', '$1::uuid')}
       ORDER BY ts_rank(to_tsvector('simple', p.caption), query) DESC, p.created_at DESC, p.id DESC
       OFFSET $3 LIMIT $4`,
      [viewerId, q, offset, limit],
    );
    return rows.map((r) => r.id);
  }
}
