import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document of the whole API; the same function feeds /docs and `npm run openapi`. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Media Chat API')
    .setDescription(
      'Media-sharing social app with real-time chat. Authenticate with the Authorize button: ' +
        'the OAuth2 password flow (email as username) or a pasted Bearer token from POST /auth/jwt/login.',
    )
    .setVersion('0.1.0')
    .addTag('auth', 'Registration, login, logout, email verification and password reset')
    .addTag('users', 'Profiles and superuser administration')
    .addTag('posts', 'Uploads, feed and post management')
    .addTag(
      'chat',
      'Rooms, members and messages (live delivery: ws://host/api/ws/{room_id}?token=JWT)',
    )
    .addTag('health', 'Liveness and readiness')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addOAuth2(
      { type: 'oauth2', flows: { password: { tokenUrl: '/auth/jwt/login', scopes: {} } } },
      'oauth2',
    )
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}
