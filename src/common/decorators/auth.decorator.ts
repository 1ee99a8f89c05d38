import { applyDecorators, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { JwtAuthGuard } from '../../auth/guards/jwt-auth.guard';
import { SuperuserGuard } from '../../auth/guards/superuser.guard';
import { ErrorResponse } from '../dto/error.response';

export interface AuthOptions {
  /** Only superusers may call the route (403 SUPERUSER_REQUIRED otherwise). */
  superuser?: boolean;
}

/** An authenticated route: guards it and documents the Bearer / OAuth2 security in OpenAPI. */
export function Auth(options: AuthOptions = {}) {
  const guards = options.superuser ? [JwtAuthGuard, SuperuserGuard] : [JwtAuthGuard];
  return applyDecorators(
    UseGuards(...guards),
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
