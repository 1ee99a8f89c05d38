import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { unauthorized } from '../../common/errors/app.exception';

/**
 * Bearer-token authentication. TokenService raises the precise 401s; any other error (the
 * database unreachable) passes through unchanged, so it is never reported as a bad token.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<TUser>(err: unknown, user: TUser): TUser {
    // Thrown as it came: errors from Node's own sockets may not pass `instanceof Error` checks.
    if (err) throw err as Error;
    if (!user) throw unauthorized('INVALID_TOKEN', 'Invalid token');
    return user;
  }
}
