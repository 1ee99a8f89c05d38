import { Injectable } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
import { rawQuery } from '../database/raw-query';
import { User } from '../users/entities/user.entity';
import { RevokedToken } from './entities/revoked-token.entity';

/**
 * The account checks behind every access token, in hand-written SQL: they run on every
 * authenticated request and, batched, for every open chat socket. Also the revocation list
 * those checks read.
 */
@Injectable()
export class AccountsRepository {
  private columnMap?: Array<[string, string]>;

  constructor(private readonly dataSource: DataSource) {}

  private columns(): Array<[string, string]> {
    return (this.columnMap ??= this.dataSource
      .getMetadata(User)
      .columns.map((c) => [c.databaseName, c.propertyName]));
  }

  /**
   * The user behind an access token and whether that token was revoked, in one round trip:
   * this runs on every authenticated request.
   */
  async findForToken(
    userId: string,
    jti: string,
  ): Promise<{ user: User; revoked: boolean } | null> {
    const rows = await rawQuery<Record<string, unknown>>(
      this.dataSource,
      `SELECT u.*, EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = $2) AS token_revoked
       FROM users u WHERE u.id = $1`,
      [userId, jti],
    );
    if (rows.length === 0) return null;
    const { token_revoked: revoked, ...columns } = rows[0];
    // Column names to entity properties, as TypeORM would hydrate them (the map built once).
    const user = Object.create(User.prototype) as User;
    for (const [databaseName, propertyName] of this.columns()) {
      if (databaseName in columns)
        (user as unknown as Record<string, unknown>)[propertyName] = columns[databaseName];
    }
    return { user, revoked: revoked === true };
  }

  /**
   * Of the given access tokens (user, jti, token_version), the jtis still good: the account
   * is active, no password change or ban came after the token, and it was not logged out.
   * One query for every open socket of an instance (periodic re-check).
   */
  async stillValidTokens(
    tokens: Array<{ sub: string; jti: string; ver: number }>,
  ): Promise<Set<string>> {
    if (tokens.length === 0) return new Set();
    const rows = await rawQuery<{ jti: string }>(
      this.dataSource,
      `SELECT t.jti FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS t(sub, jti, ver)
       JOIN users u ON u.id = t.sub AND u.is_active AND u.token_version = t.ver
       WHERE NOT EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = t.jti)`,
      [tokens.map((t) => t.sub), tokens.map((t) => t.jti), tokens.map((t) => t.ver)],
    );
    return new Set(rows.map((r) => r.jti));
  }

  /** Revokes one access token until it would have expired anyway; revoking twice is fine. */
  async revokeToken(token: { jti: string; userId: string; expiresAt: Date }): Promise<void> {
    const revoked = this.dataSource.getRepository(RevokedToken);
    await revoked.createQueryBuilder().insert().values(token).orIgnore().execute();
    // Expired entries can never match a valid token again.
    await revoked.delete({ expiresAt: LessThan(new Date()) });
  }
}
