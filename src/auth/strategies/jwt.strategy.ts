import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { jwtConfig } from '../../config/configuration';
import type { User } from '../../users/entities/user.entity';
import { type AccessTokenPayload, TokenService } from '../token.service';

/** What an authenticated request carries as `request.user`. */
export interface AuthContext {
  user: User;
  token: AccessTokenPayload;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(jwtConfig.KEY) config: ConfigType<typeof jwtConfig>,
    private readonly tokens: TokenService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.secret,
      algorithms: ['HS256'],
      audience: config.audience,
      ignoreExpiration: false,
    });
  }

  /** Signature, alg, audience and expiry are already checked; this checks the account. */
  async validate(payload: AccessTokenPayload): Promise<AuthContext> {
    return { user: await this.tokens.checkAccount(payload), token: payload };
  }
}
