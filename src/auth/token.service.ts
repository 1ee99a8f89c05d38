import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { jwtConfig, type ConfigType } from '../config/configuration';
import { isUUID } from 'class-validator';
import { unauthorized } from '../common/errors/app.exception';
import type { User } from '../users/entities/user.entity';
import { AccountsRepository } from './accounts.repository';

export interface AccessTokenPayload {
  sub: string;
  /** The user's token_version when issued: a password change or ban bumps it. */
  ver: number;
  jti: string;
  aud: string;
  iat: number;
  exp: number;
}

interface PurposeTokenPayload {
  sub: string;
  /** reset: fingerprint of the password hash (single use); verify: the email being verified. */
  fp?: string;
  email?: string;
}

const ALGORITHM = 'HS256' as const;

/** Where a client may put its access token. */
export interface Credentials {
  /** The Authorization header. */
  authorization?: string;
  /** A `token` query parameter (browsers cannot set headers on a WebSocket). */
  query?: string | null;
}

/** What an authenticated request or socket carries. */
export interface AuthContext {
  user: User;
  token: AccessTokenPayload;
}

// One scheme, one token, nothing after it: `Bearer <jwt> garbage` is not a credential.
const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*) *$/i;

function bearerToken({ authorization, query }: Credentials): string {
  if (authorization && /^Bearer\b/i.test(authorization)) {
    const match = BEARER.exec(authorization);
    if (!match)
      throw unauthorized('INVALID_TOKEN', 'Invalid token: send Authorization: Bearer <token>');
    return match[1];
  }
  if (query) return query;
  throw unauthorized('NOT_AUTHENTICATED', 'Not authenticated: send Authorization: Bearer <token>');
}

/** Issues and checks every JWT of the app: access tokens, reset tokens, verify tokens. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(jwtConfig.KEY) private readonly config: ConfigType<typeof jwtConfig>,
    private readonly accounts: AccountsRepository,
  ) {}

  /**
   * The one authentication of the app, for the HTTP guard and the WebSocket handshake alike:
   * a Bearer header (nothing after the token) or a `token` query value. Errors are 401s with
   * a precise code only when the credentials themselves are wrong; a database that cannot be
   * reached surfaces as its own error (503 over HTTP, close code 1013 on a socket).
   */
  async authenticate(credentials: Credentials): Promise<AuthContext> {
    const token = bearerToken(credentials);
    let payload: AccessTokenPayload;
    try {
      payload = await this.jwt.verifyAsync<AccessTokenPayload>(token, {
        algorithms: [ALGORITHM],
        audience: this.config.audience,
      });
    } catch (err) {
      if (err instanceof TokenExpiredError)
        throw unauthorized('TOKEN_EXPIRED', 'The token has expired');
      throw unauthorized('INVALID_TOKEN', 'Invalid token');
    }
    return { user: await this.checkAccount(payload), token: payload };
  }

  /**
   * The checks after signature, algorithm, audience and expiry: the account exists and is
   * active, the token was not revoked, and no password change or ban came after it.
   */
  async checkAccount(payload: AccessTokenPayload): Promise<User> {
    if (!isUUID(payload.sub) || !isUUID(payload.jti) || typeof payload.ver !== 'number') {
      throw unauthorized('INVALID_TOKEN', 'Invalid token');
    }
    const found = await this.accounts.findForToken(payload.sub, payload.jti);
    if (!found || !found.user.isActive) throw unauthorized('INVALID_TOKEN', 'Invalid token');
    if (found.revoked || payload.ver !== found.user.tokenVersion) {
      throw unauthorized('TOKEN_REVOKED', 'This token has been revoked');
    }
    return found.user;
  }

  /** The jtis of `tokens` that would still pass checkAccount (open sockets, re-checked). */
  stillValid(tokens: AccessTokenPayload[]): Promise<Set<string>> {
    return this.accounts.stillValidTokens(tokens);
  }

  private audience(purpose: 'reset-password' | 'verify'): string {
    return `${this.config.audience}:${purpose}`;
  }

  /** An access token; `expiresIn` seconds (JWT_EXPIRES_IN by default). */
  async issueAccessToken(user: User, expiresIn = this.config.expiresIn): Promise<string> {
    return (await this.issueAccessTokenWithId(user, expiresIn)).token;
  }

  /** An access token with its id and expiry, for whoever must be able to revoke it later. */
  async issueAccessTokenWithId(
    user: User,
    expiresIn = this.config.expiresIn,
  ): Promise<{ token: string; jti: string; expiresAt: Date }> {
    const jti = randomUUID();
    // A whole second past the token's own `exp`, which is rounded down to seconds.
    const expiresAt = new Date((Math.floor(Date.now() / 1000) + expiresIn + 1) * 1000);
    const token = await this.jwt.signAsync(
      { sub: user.id, ver: user.tokenVersion },
      { algorithm: ALGORITHM, audience: this.config.audience, expiresIn, jwtid: jti },
    );
    return { token, jti, expiresAt };
  }

  async revoke(payload: AccessTokenPayload): Promise<void> {
    await this.accounts.revokeToken({
      jti: payload.jti,
      userId: payload.sub,
      expiresAt: new Date(payload.exp * 1000),
    });
  }

  issueResetToken(user: User): Promise<string> {
    return this.signPurpose('reset-password', this.config.resetPasswordTtl, {
      sub: user.id,
      fp: passwordFingerprint(user.hashedPassword),
    });
  }

  /** The user id when the token is valid and still matches the user's password. */
  async readResetToken(token: string): Promise<{ userId: string; fingerprint: string } | null> {
    const payload = await this.verifyPurpose('reset-password', token);
    if (!payload?.fp) return null;
    return { userId: payload.sub, fingerprint: payload.fp };
  }

  issueVerifyToken(user: User): Promise<string> {
    return this.signPurpose('verify', this.config.verifyTtl, { sub: user.id, email: user.email });
  }

  async readVerifyToken(token: string): Promise<{ userId: string; email: string } | null> {
    const payload = await this.verifyPurpose('verify', token);
    if (!payload?.email) return null;
    return { userId: payload.sub, email: payload.email };
  }

  private signPurpose(
    purpose: 'reset-password' | 'verify',
    ttl: number,
    payload: PurposeTokenPayload,
  ): Promise<string> {
    return this.jwt.signAsync(payload, {
      algorithm: ALGORITHM,
      audience: this.audience(purpose),
      expiresIn: ttl,
    });
  }

  private async verifyPurpose(
    purpose: 'reset-password' | 'verify',
    token: string,
  ): Promise<PurposeTokenPayload | null> {
    try {
      const payload = await this.jwt.verifyAsync<PurposeTokenPayload>(token, {
        algorithms: [ALGORITHM],
        audience: this.audience(purpose),
      });
      return typeof payload.sub === 'string' ? payload : null;
    } catch {
      return null;
    }
  }
}

/** Changes whenever the password does, so a reset token works once. */
export function passwordFingerprint(hashedPassword: string): string {
  return createHash('sha256').update(hashedPassword).digest('base64url');
}
