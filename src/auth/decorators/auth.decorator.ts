import { applyDecorators, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SuperuserGuard } from '../guards/superuser.guard';
import { ErrorResponse } from '../../common/dto/error.response';

export interface AuthOptions {
  /** Only superusers may call the route (403 SUPERUSER_REQUIRED otherwise). */
  superuser?: boolean;
}

/**
 * Documents a route's Bearer / OAuth2 security in OpenAPI (the token itself is required by the
 * global guard on every route not marked @Public()), and adds the superuser check when asked.
 */
export function Auth(options: AuthOptions = {}) {
  return applyDecorators(
    ...(options.superuser ? [UseGuards(SuperuserGuard)] : []),
    ApiBearerAuth('bearer'),
    ApiSecurity('oauth2'),
    ApiUnauthorizedResponse({
      description: 'Missing, invalid, expired or revoked token',
      type: ErrorResponse,
    }),
    ...(options.superuser
      ? [ApiForbiddenResponse({ description: 'Not a superuser', type: ErrorResponse })]
      : []),
  );
}
