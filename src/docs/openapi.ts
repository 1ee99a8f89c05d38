import { applyDecorators, type INestApplication, type Type } from '@nestjs/common';
import {
  ApiBody,
  ApiExtension,
  ApiExtraModels,
  DocumentBuilder,
  getSchemaPath,
  type OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';

/** The OpenAPI document of the whole API; the same function feeds /docs and `npm run openapi`. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Media Chat API')
    .setDescription(
      'Media-sharing social app with real-time chat. Authenticate with the Authorize button: ' +
        'the OAuth2 password flow (email as username) or a pasted Bearer token from POST /auth/jwt/login.',
    )
    .setVersion('0.1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Relative: the document is right on whatever host and port serve it.
    .addServer('/', 'This server')
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
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  return finishDocument(document);
}

const BODY_BY_CONTENT_TYPE = 'x-body-by-content-type';

/**
 * A request body whose shape depends on its content type (one schema per type, each with
 * its own required fields); @ApiBody can only give every content type the same schema.
 */
export const ApiBodyByContentType = (bodies: Record<string, Type<unknown>>) =>
  applyDecorators(
    ApiExtraModels(...Object.values(bodies)),
    ApiBody({ required: true, schema: { type: 'object' } }),
    ApiExtension(
      BODY_BY_CONTENT_TYPE,
      Object.fromEntries(Object.entries(bodies).map(([type, body]) => [type, getSchemaPath(body)])),
    ),
  );

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * What the decorators cannot say:
 * - routes open to anyone (no @Auth) get `security: []`: authentication is a global guard,
 *   so an operation without a requirement is a @Public() one (the auth suite checks the
 *   list against the running app);
 * - ids in paths are `format: uuid`;
 * - a body decorated with ApiBodyByContentType gets one schema per content type;
 * - operationIds are readable and unique: `Users_me` is `usersMe`, and a route's aliases
 *   (other paths of the same handler, which Nest numbers `Users_me[1]`) are `usersMeAlias`,
 *   `usersMeAlias2`, ...
 */
export function finishDocument(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.security ??= [];
      // Every id in a path is a UUID (anything else is answered 404 or 400).
      for (const parameter of operation.parameters ?? []) {
        if (!('in' in parameter) || parameter.in !== 'path') continue;
        if (!/^(id|[a-z]+Id)$/.test(parameter.name)) continue;
        parameter.schema = { type: 'string', format: 'uuid' };
      }
      const extensions = operation as unknown as Record<string, unknown>;
      const bodies = extensions[BODY_BY_CONTENT_TYPE] as Record<string, string> | undefined;
      if (bodies) {
        delete extensions[BODY_BY_CONTENT_TYPE];
        operation.requestBody = {
          required: true,
          content: Object.fromEntries(
            Object.entries(bodies).map(([type, ref]) => [type, { schema: { $ref: ref } }]),
          ),
        };
      }
      addCommonAnswers(path, operation);
      if (operation.operationId) operation.operationId = readableOperationId(operation.operationId);
    }
  }
  return document;
}

type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;

const ERROR_BODY = {
  'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } },
};
// Answers no handler has a say in: the pipeline's (validation, body parsing, the router's
// limits) and a database outage's. Routes that touch no database: /hello, /health/live.
const NO_DATABASE = new Set(['/hello', '/health/live']);

function addCommonAnswers(path: string, operation: OperationObject): void {
  const answers = operation.responses;
  const add = (status: string, description: string) => {
    answers[status] ??= { description, content: ERROR_BODY };
  };
  const params = (operation.parameters ?? []).filter((p) => 'in' in p);
  const inPath = params.some((p) => 'in' in p && p.in === 'path');
  if (operation.requestBody || params.length > 0) {
    add(
      '400',
      'VALIDATION_ERROR, INVALID_ID, INVALID_CURSOR or INVALID_JSON: the request is malformed',
    );
  }
  if (operation.requestBody) {
    add('413', 'PAYLOAD_TOO_LARGE: the body is over the limit');
    add('415', 'UNSUPPORTED_MEDIA_TYPE: the body is not in a content type this route reads');
  }
  if (inPath) add('404', 'No such object (or one the caller may not see)');
  if (inPath) add('414', "URI_TOO_LONG: a path parameter is over the router's limit");
  if (params.length > 0) add('431', 'HEADERS_TOO_LARGE: the URL and headers are over 16 KiB');
  if (!NO_DATABASE.has(path)) {
    add('503', 'SERVICE_UNAVAILABLE: the database is unreachable (with Retry-After)');
  }
}

function readableOperationId(id: string): string {
  const [, base, index] = /^(.*?)(?:\[(\d+)\])?$/.exec(id)!;
  const camel = base
    .split('_')
    .map((part, i) =>
      i === 0
        ? part.charAt(0).toLowerCase() + part.slice(1)
        : part.charAt(0).toUpperCase() + part.slice(1),
    )
    .join('');
  const n = Number(index ?? 0);
  return n === 0 ? camel : `${camel}Alias${n === 1 ? '' : n}`;
}
