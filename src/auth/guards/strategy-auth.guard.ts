import type { ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { unauthorized } from '../../common/errors/app.exception';
import type { AppStrategy, PassportRequest } from '../strategies/app-strategy';

/**
 * @nestjs/passport's guard run with one of the app's strategies. The strategy's name is
 * given here rather than through PassportModule: it is unique to the app (see AppStrategy),
 * and PassportModule's options would replace it after construction.
 */
export abstract class StrategyAuthGuard extends AuthGuard() {
  protected constructor(strategy: AppStrategy<unknown>) {
    super({ defaultStrategy: strategy.registeredName });
  }

  /**
   * Passport is handed a small view of the request (see PassportRequest), not Fastify's
   * request itself; the user it settles on still lands on `request.user`.
   */
  override getRequest(context: ExecutionContext): PassportRequest & { user?: unknown } {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: unknown }>();
    return {
      headers: request.headers,
      body: request.body,
      set user(user: unknown) {
        request.user = user;
      },
    };
  }

  /**
   * The strategy's own error, unchanged (AppException's codes, or whatever made the check
   * impossible); Passport's default would answer a bare 401 'Unauthorized' instead.
   */
  override handleRequest<TUser>(err: Error | null | undefined, user: TUser): TUser {
    if (err) throw err;
    if (!user) throw unauthorized('NOT_AUTHENTICATED', 'Not authenticated');
    return user;
  }
}
