import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthContext } from '../token.service';

function authContext(ctx: ExecutionContext): AuthContext {
  return ctx.switchToHttp().getRequest<{ user: AuthContext }>().user;
}

/** The signed-in user (routes decorated with @Auth()). */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) => authContext(ctx).user,
);

/** The signed-in user together with the access token's claims. */
export const CurrentAuth = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  authContext(ctx),
);
