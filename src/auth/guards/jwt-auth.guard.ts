import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC } from '../../common/decorators/public.decorator';
import { unauthorized } from '../../common/errors/app.exception';

/**
 * The global guard: every HTTP route needs a Bearer token unless marked @Public().
 * TokenService raises the precise 401s; any other error (the database unreachable) passes
 * through unchanged, so it is never reported as a bad token.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    if (context.getType() !== 'http') return true;
    const open = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    return open === true || super.canActivate(context);
  }

  override handleRequest<TUser>(err: unknown, user: TUser): TUser {
    // Thrown as it came: errors from Node's own sockets may not pass `instanceof Error` checks.
    if (err) throw err as Error;
    if (!user) throw unauthorized('INVALID_TOKEN', 'Invalid token');
    return user;
  }
}
