import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiResponse } from '@nestjs/swagger';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { ErrorResponse } from '../common/dto/error.response';
import { AppException } from '../common/errors/app.exception';
import { throttleConfig, type ConfigType } from '../config/configuration';
import type { AuthContext } from './token.service';

export type LimitedAction = 'follow' | 'like' | 'comment' | 'report';

const RATE_LIMIT = 'rateLimit';

/** Counts the route's calls per user against the action's limit (RATE_LIMIT_*). */
export const RateLimit = (action: LimitedAction) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT, action),
    ApiResponse({
      status: 429,
      description: 'RATE_LIMITED (see Retry-After)',
      type: ErrorResponse,
    }),
  );

/**
 * Per-user limits on social actions: each call of a @RateLimit route counts for its user;
 * past the limit within RATE_LIMIT_WINDOW the answer is 429 RATE_LIMITED with Retry-After.
 * The counts live in the auth throttler's storage: Redis with REDIS_URL (one count across
 * instances), this instance's memory otherwise. A global guard, after authentication.
 */
@Injectable()
export class ActionRateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    @Inject(throttleConfig.KEY) private readonly config: ConfigType<typeof throttleConfig>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const action = this.reflector.get<LimitedAction | undefined>(RATE_LIMIT, context.getHandler());
    if (!action) return true;
    const http = context.switchToHttp();
    const user = http.getRequest<{ user?: AuthContext }>().user?.user;
    if (!user) return true;
    const limit = this.config.actions[action];
    const ttlMs = this.config.windowSeconds * 1000;
    const { totalHits, timeToExpire } = await this.storage.increment(
      `action:${action}:${user.id}`,
      ttlMs,
      limit,
      0,
      `action-${action}`,
    );
    if (totalHits <= limit) return true;
    http.getResponse<FastifyReply>().header('Retry-After', String(Math.max(1, timeToExpire)));
    throw new AppException(
      HttpStatus.TOO_MANY_REQUESTS,
      'RATE_LIMITED',
      `Too many ${action}s; retry after the time given in Retry-After`,
    );
  }
}
