import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AppException, unauthorized } from '../../common/errors/app.exception';

/** Bearer-token authentication; every failure is a 401 with a precise code. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<TUser>(err: unknown, user: TUser, info: unknown): TUser {
    if (err instanceof AppException) throw err;
    if (user && !err) return user;
    const name = info instanceof Error ? info.name : undefined;
    const message = info instanceof Error ? info.message : '';
    if (name === 'TokenExpiredError') throw unauthorized('TOKEN_EXPIRED', 'The token has expired');
    if (message === 'No auth token') {
      throw unauthorized(
        'NOT_AUTHENTICATED',
        'Not authenticated: send Authorization: Bearer <token>',
      );
    }
    throw unauthorized('INVALID_TOKEN', 'Invalid token');
  }
}
