import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { isUUID } from 'class-validator';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { unauthorized } from '../../common/errors/app.exception';
import { jwtConfig } from '../../config/configuration';
import type { User } from '../../users/entities/user.entity';
import { UsersService } from '../../users/users.service';
import type { AccessTokenPayload } from '../token.service';

/** What an authenticated request carries as `request.user`. */
export interface AuthContext {
  user: User;
  token: AccessTokenPayload;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(jwtConfig.KEY) config: ConfigType<typeof jwtConfig>,
    private readonly users: UsersService,
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
    if (!isUUID(payload.sub) || !isUUID(payload.jti) || typeof payload.ver !== 'number') {
      throw unauthorized('INVALID_TOKEN', 'Invalid token');
    }
    const found = await this.users.findForToken(payload.sub, payload.jti);
    if (!found || !found.user.isActive) throw unauthorized('INVALID_TOKEN', 'Invalid token');
    const { user, revoked } = found;
    if (revoked || payload.ver !== user.tokenVersion) {
      throw unauthorized('TOKEN_REVOKED', 'This token has been revoked');
    }
    return { user, token: payload };
  }
}
