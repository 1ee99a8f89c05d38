import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rawQuery } from '../database/raw-query';

/** The row a refresh gets: who and which session. */
export interface UsedRefreshToken {
  family_id: string;
  user_id: string;
  token_version: number;
}

export interface NewRefreshToken {
  id: string;
  familyId: string;
  userId: string;
  tokenHash: string;
  tokenVersion: number;
  expiresAt: Date;
  accessJti: string;
  accessExpiresAt: Date;
}

/**
 * Refresh tokens of browser sessions. A session is a family of tokens; ending it revokes the
 * family and, in the same statement, every live access token issued with it.
 */
@Injectable()
export class SessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(token: NewRefreshToken): Promise<void> {
    await rawQuery(
      this.dataSource,
      `INSERT INTO refresh_tokens
         (id, family_id, user_id, token_hash, token_version, expires_at, access_jti, access_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        token.id,
        token.familyId,
        token.userId,
        token.tokenHash,
        token.tokenVersion,
        token.expiresAt,
        token.accessJti,
        token.accessExpiresAt,
      ],
    );
  }

  /** The session of a token id (the public half of a refresh token), to count its refreshes. */
  async familyOf(id: string): Promise<string | null> {
    const rows = await rawQuery<{ family_id: string }>(
      this.dataSource,
      `SELECT family_id FROM refresh_tokens WHERE id = $1::uuid`,
      [id],
    );
    return rows[0]?.family_id ?? null;
  }

  /** Marks a live token used, atomically: of two racing refreshes only one gets the row. */
  async use(id: string, tokenHash: string): Promise<UsedRefreshToken | null> {
    const rows = await rawQuery<UsedRefreshToken>(
      this.dataSource,
      `UPDATE refresh_tokens SET used_at = now()
       WHERE id = $1::uuid AND token_hash = $2 AND used_at IS NULL AND revoked_at IS NULL
         AND expires_at > now()
       RETURNING family_id, user_id, token_version`,
      [id, tokenHash],
    );
    return rows[0] ?? null;
  }

  /**
   * A token used no more than `graceSeconds` ago, of a session that was not ended: a reload
   * or another tab that sent it while its rotation was in flight.
   */
  async usedWithinGrace(
    id: string,
    tokenHash: string,
    graceSeconds: number,
  ): Promise<UsedRefreshToken | null> {
    if (graceSeconds <= 0) return null;
    const rows = await rawQuery<UsedRefreshToken>(
      this.dataSource,
      `SELECT t.family_id, t.user_id, t.token_version FROM refresh_tokens t
       WHERE t.id = $1::uuid AND t.token_hash = $2 AND t.revoked_at IS NULL
         AND t.expires_at > now() AND t.used_at > now() - make_interval(secs => $3)
         AND NOT EXISTS (SELECT 1 FROM refresh_tokens f
                         WHERE f.family_id = t.family_id AND f.revoked_at IS NOT NULL)`,
      [id, tokenHash, graceSeconds],
    );
    return rows[0] ?? null;
  }

  /**
   * Ends the session `id` belongs to (when the hash matches, and with `onlyIfUsed` only when
   * that token was already used: a replayed copy): its refresh tokens stop working and the
   * access tokens issued with them are revoked. The number of refresh tokens ended.
   */
  async endFamilyOf(id: string, tokenHash: string, onlyIfUsed: boolean): Promise<number> {
    const rows = await rawQuery<{ ended: number }>(
      this.dataSource,
      `WITH ended AS (
         UPDATE refresh_tokens SET revoked_at = now()
         WHERE family_id = (SELECT family_id FROM refresh_tokens
                            WHERE id = $1::uuid AND token_hash = $2
                              AND ($3::boolean IS FALSE OR used_at IS NOT NULL))
           AND revoked_at IS NULL
         RETURNING user_id, access_jti, access_expires_at
       ), revoked AS (
         INSERT INTO revoked_tokens (jti, user_id, expires_at)
         SELECT access_jti, user_id, access_expires_at FROM ended
         WHERE access_jti IS NOT NULL AND access_expires_at > now()
         ON CONFLICT (jti) DO NOTHING
       )
       SELECT count(*)::int AS ended FROM ended`,
      [id, tokenHash, onlyIfUsed],
    );
    return rows[0]?.ended ?? 0;
  }
}
