import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { AppException, unauthorized } from '../common/errors/app.exception';
import { jwtConfig, throttleConfig, type ConfigType } from '../config/configuration';
import type { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { SessionsRepository, type UsedRefreshToken } from './sessions.repository';
import { TokenService } from './token.service';

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
// The id half must be a well-formed UUID: anything else would reach PostgreSQL's uuid cast.
const TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([\w-]{43})$/;

export interface Session {
  accessToken: string;
  /** The refresh token for the cookie: `<id>.<secret>`. */
  refreshToken: string;
  refreshExpiresAt: Date;
}

/** 429 on a refresh: the session is intact, the client tries again after `retryAfter` s. */
export class RefreshRateLimited extends AppException {
  constructor(readonly retryAfter: number) {
    super(
      HttpStatus.TOO_MANY_REQUESTS,
      'RATE_LIMITED',
      'Too many refreshes of this session; retry after the time given in Retry-After',
    );
  }
}

const noSession = () => unauthorized('INVALID_REFRESH_TOKEN', 'No valid session: log in again');

/**
 * Browser sessions: a short-lived access token (SESSION_ACCESS_TTL) in the page's memory,
 * and a rotating refresh token in an httpOnly cookie. Each refresh token works once and
 * gives the next of its family; presenting a used one (a stolen copy) revokes the family,
 * except within SESSION_REFRESH_GRACE seconds of its use, when a reload or a second tab that
 * raced the rotation gets a sibling instead. Ending a session revokes its access tokens too.
 * A password change or a ban ends sessions as well (the account's token_version).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly tokens: TokenService,
    private readonly users: UsersService,
    @Inject(jwtConfig.KEY) private readonly config: ConfigType<typeof jwtConfig>,
    @Inject(throttleConfig.KEY) private readonly throttle: ConfigType<typeof throttleConfig>,
    @Inject(ThrottlerStorage) private readonly counts: ThrottlerStorage,
  ) {}

  async start(user: User): Promise<Session> {
    return this.issue(user, randomUUID());
  }

  /**
   * The next session token of the family of `presented`, or 401 (reuse outside the grace
   * window revokes the family), or 429 when the session refreshes too often (it stays valid).
   */
  async refresh(presented: string | undefined): Promise<Session> {
    const match = TOKEN.exec(presented ?? '');
    if (!match) throw noSession();
    const [, id, secret] = match;
    await this.countRefresh(id);
    const tokenHash = hash(secret);
    const used: UsedRefreshToken | null =
      (await this.sessions.use(id, tokenHash)) ??
      (await this.sessions.usedWithinGrace(id, tokenHash, this.config.sessionRefreshGrace));
    if (!used) {
      // A token that was valid and is used again: someone else has a copy. End the session.
      const ended = await this.sessions.endFamilyOf(id, tokenHash, true);
      throw ended
        ? unauthorized('REFRESH_TOKEN_REUSED', 'This session was used elsewhere: log in again')
        : noSession();
    }
    const user = await this.users.findById(used.user_id);
    if (!user || !user.isActive || user.tokenVersion !== used.token_version) throw noSession();
    return this.issue(user, used.family_id);
  }

  /** Ends the session the refresh token belongs to (logout), its access tokens included. */
  async end(presented: string | undefined): Promise<void> {
    const match = TOKEN.exec(presented ?? '');
    if (!match) return;
    await this.sessions.endFamilyOf(match[1], hash(match[2]), false);
  }

  /** Refreshes count per session (the token's family), never per client address. */
  private async countRefresh(id: string): Promise<void> {
    const family = await this.sessions.familyOf(id);
    if (!family) return;
    const limit = this.throttle.refreshLimit;
    const { totalHits, timeToExpire } = await this.counts.increment(
      `refresh:${family}`,
      this.throttle.authTtlSeconds * 1000,
      limit,
      0,
      'refresh',
    );
    if (totalHits > limit) throw new RefreshRateLimited(Math.max(1, timeToExpire));
  }

  private async issue(user: User, familyId: string): Promise<Session> {
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const refreshExpiresAt = new Date(Date.now() + this.config.sessionRefreshTtl * 1000);
    const access = await this.tokens.issueAccessTokenWithId(user, this.config.sessionAccessTtl);
    await this.sessions.insert({
      id,
      familyId,
      userId: user.id,
      tokenHash: hash(secret),
      tokenVersion: user.tokenVersion,
      expiresAt: refreshExpiresAt,
      accessJti: access.jti,
      accessExpiresAt: access.expiresAt,
    });
    return { accessToken: access.token, refreshToken: `${id}.${secret}`, refreshExpiresAt };
  }
}
