import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { unauthorized } from '../common/errors/app.exception';
import { jwtConfig, type ConfigType } from '../config/configuration';
import { rawQuery } from '../database/raw-query';
import type { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { TokenService } from './token.service';

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const TOKEN = /^([0-9a-f-]{36})\.([\w-]{43})$/;

export interface Session {
  accessToken: string;
  /** The refresh token for the cookie: `<id>.<secret>`. */
  refreshToken: string;
  refreshExpiresAt: Date;
}

/**
 * Browser sessions: a short-lived access token (SESSION_ACCESS_TTL) in the page's memory,
 * and a rotating refresh token in an httpOnly cookie. Each refresh token works once and
 * gives the next of its family; presenting a used one (a stolen copy) revokes the family.
 * A password change or a ban ends sessions too (the account's token_version).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly users: UsersService,
    @Inject(jwtConfig.KEY) private readonly config: ConfigType<typeof jwtConfig>,
  ) {}

  async start(user: User): Promise<Session> {
    return this.issue(user, randomUUID());
  }

  /** The next session of the family of `presented`, or 401 (reuse revokes the family). */
  async refresh(presented: string | undefined): Promise<Session> {
    const match = TOKEN.exec(presented ?? '');
    if (!match) throw unauthorized('INVALID_REFRESH_TOKEN', 'No valid session: log in again');
    const [, id, secret] = match;
    // Single use, atomically: only one of two racing refreshes gets the row.
    const used = await rawQuery<{ family_id: string; user_id: string; token_version: number }>(
      this.dataSource,
      `UPDATE refresh_tokens SET used_at = now()
       WHERE id = $1::uuid AND token_hash = $2 AND used_at IS NULL AND revoked_at IS NULL
         AND expires_at > now()
       RETURNING family_id, user_id, token_version`,
      [id, hash(secret)],
    );
    if (used.length === 0) {
      // A token that was valid and is used again: someone else has a copy. End the family.
      const reused = await rawQuery<{ family_id: string }>(
        this.dataSource,
        `UPDATE refresh_tokens SET revoked_at = now()
         WHERE family_id = (SELECT family_id FROM refresh_tokens
                            WHERE id = $1::uuid AND token_hash = $2 AND used_at IS NOT NULL)
           AND revoked_at IS NULL
         RETURNING family_id`,
        [id, hash(secret)],
      );
      throw reused.length
        ? unauthorized('REFRESH_TOKEN_REUSED', 'This session was used elsewhere: log in again')
        : unauthorized('INVALID_REFRESH_TOKEN', 'No valid session: log in again');
    }
    const user = await this.users.findById(used[0].user_id);
    if (!user || !user.isActive || user.tokenVersion !== used[0].token_version)
      throw unauthorized('INVALID_REFRESH_TOKEN', 'No valid session: log in again');
    return this.issue(user, used[0].family_id);
  }

  /** Ends the session the refresh token belongs to (logout). */
  async end(presented: string | undefined): Promise<void> {
    const match = TOKEN.exec(presented ?? '');
    if (!match) return;
    await rawQuery(
      this.dataSource,
      `UPDATE refresh_tokens SET revoked_at = now()
       WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE id = $1::uuid AND token_hash = $2)
         AND revoked_at IS NULL`,
      [match[1], hash(match[2])],
    );
  }

  private async issue(user: User, familyId: string): Promise<Session> {
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const refreshExpiresAt = new Date(Date.now() + this.config.sessionRefreshTtl * 1000);
    await rawQuery(
      this.dataSource,
      `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, token_version, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, familyId, user.id, hash(secret), user.tokenVersion, refreshExpiresAt],
    );
    return {
      accessToken: await this.tokens.issueAccessToken(user, this.config.sessionAccessTtl),
      refreshToken: `${id}.${secret}`,
      refreshExpiresAt,
    };
  }
}
