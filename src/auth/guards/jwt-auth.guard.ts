import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { IS_PUBLIC } from '../decorators/public.decorator';
import { type AuthContext, TokenService } from '../token.service';

/**
 * The global guard: every HTTP route needs a Bearer token unless marked @Public().
 * TokenService raises the precise 401s (the same checks as the WebSocket handshake); any
 * other error (the database unreachable) passes through unchanged, so it is never reported
 * as a bad token. The guard calls the app's own TokenService rather than a Passport strategy:
 * Passport keeps strategies in one process-wide registry, where a second app in the process
 * (tests, workers) would replace the first one's.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const open = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (open === true) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthContext }>();
    request.user = await this.tokens.authenticate({ authorization: request.headers.authorization });
    return true;
  }
}
