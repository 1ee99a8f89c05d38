import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { type AuthContext, TokenService } from '../token.service';

export type { AuthContext } from '../token.service';

/**
 * Bearer-token authentication as a Passport strategy, so other strategies (OAuth) can sit
 * beside it; the work itself is TokenService.authenticate, shared with the WebSocket handshake.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(private readonly tokens: TokenService) {
    super();
  }

  validate(request: FastifyRequest): Promise<AuthContext> {
    return this.tokens.authenticate({ authorization: request.headers.authorization });
  }
}
