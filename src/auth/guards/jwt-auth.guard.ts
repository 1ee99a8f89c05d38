import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../decorators/public.decorator';
import { BearerStrategy } from '../strategies/bearer.strategy';
import { StrategyAuthGuard } from './strategy-auth.guard';

/**
 * The global guard: every HTTP route needs a Bearer token unless marked @Public() (deny by
 * default: a route forgotten there is closed, not open). Passport runs the bearer strategy,
 * whose checks are TokenService's, shared with the WebSocket handshake; `request.user` is
 * the AuthContext that @CurrentUser() and @CurrentAuth() read.
 */
@Injectable()
export class JwtAuthGuard extends StrategyAuthGuard {
  constructor(
    private readonly reflector: Reflector,
    strategy: BearerStrategy,
  ) {
    super(strategy);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    // Sockets authenticate in their handshake.
    if (context.getType() !== 'http') return true;
    const open = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (open === true) return true;
    return (await super.canActivate(context)) as boolean;
  }
}
