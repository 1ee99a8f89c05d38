import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import fastifyMultipart from '@fastify/multipart';
import { fastifyRequestContext } from '@fastify/request-context';
import fastifyStatic from '@fastify/static';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module';
import { PrefixWsAdapter } from './realtime/prefix-ws.adapter';
import { AllExceptionsFilter, sendError } from './common/filters/all-exceptions.filter';
import { createAppLogger, RequestLogController } from './common/logging/app-logger';
import { useDepthLimitedJsonParser } from './common/http/json-body';
import { createValidationPipe } from './common/pipes/validation.pipe';
import { findUnfitText, unfitTextError } from './common/validation/text';
import { appConfig, imagekitConfig, mediaConfig, type ConfigType } from './config/configuration';
import { type EnvironmentVariables, validateEnv } from './config/env.validation';
import { buildOpenApiDocument } from './docs/openapi';
import { registerRedoc } from './docs/redoc';
import { WEB_DIR } from './web/web.controller';
import { IMAGEKIT_UPLOAD_ORIGIN } from './media/storage/imagekit-media.storage';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The Fastify adapter with the app's server options. The adapter exists before the app's
 * providers do, so it is given what AppModule.forRoot is given: `logger`, the app's pino
 * logger (see createAppLogger), so that Nest's logs and the request lines share it (without
 * one, a logger is made from LOG_LEVEL), and `env`, the app's validated environment (the
 * defaults without one).
 */
export function createAdapter(
  logger?: PinoLogger,
  env: EnvironmentVariables = validateEnv({}),
): FastifyAdapter {
  const routerErrors = new NestLogger('Exceptions');
  const requestLog = new RequestLogController();
  return new FastifyAdapter({
    // Fastify logs each request itself (one line, see RequestLogController): cheaper than
    // an HTTP middleware, and it knows the route pattern.
    loggerInstance: logger ?? createAppLogger(env.LOG_LEVEL),
    logController: requestLog,
    trustProxy: env.TRUST_PROXY,
    // Honour a caller's request id (proxies, tracing) when it is sane; otherwise mint one.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // The chat seed's clients call `/api/rooms/`, `/api/uploads/`, ...: every route also
    // answers with a trailing slash.
    routerOptions: { ignoreTrailingSlash: true },
    // Let in-flight requests finish on close; idle keep-alive sockets are closed at once.
    forceCloseConnections: 'idle',
    // The router answers an over-long path parameter (414) or a malformed URL (400) itself,
    // before any hook, Nest's error handler or our filter: shape those answers here too.
    // This replaces Nest's default, which only adds the headers of Nest's own security
    // features (the app sets helmet's headers itself); hooks do not run, so the request id
    // and nosniff are set here.
    // Requests Node's HTTP parser refuses before Fastify sees them (headers or URL over
    // 16 KiB, malformed request lines, timeouts) still get the one error shape.
    clientErrorHandler: (error: NodeJS.ErrnoException, socket: Socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const [status, code, detail] =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'HEADERS_TOO_LARGE', 'The request line and headers exceed 16 KiB']
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'REQUEST_TIMEOUT', 'The request was not received in time']
            : [400, 'BAD_REQUEST', 'The HTTP request is malformed'];
      const body = JSON.stringify({
        status_code: status,
        error: STATUS_CODES[status],
        detail,
        code,
      });
      if (socket.writable) {
        socket.write(
          `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
            `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
        );
      }
      socket.destroy();
    },
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      // Fastify does not follow these responses to their end, so their line is written here.
      reply.raw.once('finish', () => requestLog.requestCompleted(null, request, reply));
      reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff');
      sendError(reply, error, routerErrors);
    },
  });
}

/** The headers helmet sets with these options, read off one run of its middleware. */
export function helmetHeaders(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => (headers[name.toLowerCase()] = `${value}`),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  let ran = false;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => (ran = true));
  // helmet's middleware is synchronous: a version that is not would leave the set incomplete.
  if (!ran || Object.keys(headers).length === 0) throw new Error('helmet set no headers');
  return headers;
}

/**
 * Swagger UI and ReDoc need inline styles and (ReDoc) a blob: worker; everything else is
 * 'self', but for media: with ImageKit configured the web client shows files from its URL
 * endpoint and uploads straight to its upload API; it previews chosen files as blob: URLs.
 */
const cspDirectives = (mediaOrigin: string | null, uploadOrigin: string | null) => ({
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", 'blob:'],
  workerSrc: ["'self'", 'blob:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:', ...(mediaOrigin ? [mediaOrigin] : [])],
  mediaSrc: ["'self'", 'blob:', ...(mediaOrigin ? [mediaOrigin] : [])],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'", ...(uploadOrigin ? [uploadOrigin] : [])],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  // Not forced: the API is often reached over plain HTTP on a LAN address, where upgrading
  // the docs' own script and style requests to https would break them.
  upgradeInsecureRequests: null,
});

/**
 * Configures an app exactly the same way for main.ts, the CLI scripts and the tests,
 * then initialises it (routes registered, database connected, migrations applied).
 */
export async function setupApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  useDepthLimitedJsonParser(app);
  app.flushLogs();

  const origins = app.get<ConfigType<typeof appConfig>>(appConfig.KEY).allowedOrigins;
  app.enableCors({
    origin: origins.includes('*') ? true : origins,
    exposedHeaders: ['x-request-id', 'retry-after', 'www-authenticate'],
    maxAge: 600,
  });
  // The request being answered, for whatever builds its links (PublicOrigin.current()).
  await app.register(fastifyRequestContext, { defaultStoreValues: (request) => ({ request }) });
  // Multipart bodies are read per route (receiveMultipart) with the route's own limits.
  await app.register(fastifyMultipart, { limits: { fileSize: 1024 * 1024, files: 1 } });
  // reply.sendFile() for the local media driver (Range, ETag, Cache-Control); no routes of its own.
  const media = app.get<ConfigType<typeof mediaConfig>>(mediaConfig.KEY);
  // The local driver fills it lazily; @fastify/static warns at start-up about a missing root.
  mkdirSync(media.dir, { recursive: true });
  await app.register(fastifyStatic, { root: media.dir, serve: false });
  // The web client's scripts and styles (hashed names: cached for good); its pages are
  // served by WebController.
  const webAssets = join(WEB_DIR, 'assets');
  if (existsSync(webAssets)) {
    await app.register(fastifyStatic, {
      root: webAssets,
      prefix: '/assets/',
      decorateReply: false,
      maxAge: '365d',
      immutable: true,
    });
  }

  const fastify = app.getHttpAdapter().getInstance();
  // Bodies are JSON or form-encoded (or multipart where a route says so): anything else is a 415.
  fastify.removeContentTypeParser('text/plain');
  // Helmet's security headers. None depends on the request (no CSP nonces), so helmet runs
  // once and every response gets the same set (@fastify/helmet rebuilt the middleware, CSP
  // parsing included, on every request).
  const imagekit = app.get<ConfigType<typeof imagekitConfig>>(imagekitConfig.KEY);
  const mediaOrigin =
    imagekit.enabled && imagekit.urlEndpoint ? new URL(imagekit.urlEndpoint).origin : null;
  const uploadOrigin = imagekit.enabled
    ? new URL(imagekit.baseUrl ?? IMAGEKIT_UPLOAD_ORIGIN).origin
    : null;
  const securityHeaders = helmetHeaders({
    contentSecurityPolicy: { directives: cspDirectives(mediaOrigin, uploadOrigin) },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id).headers(securityHeaders);
    done();
  });
  // PostgreSQL refuses NUL in text, and an unpaired surrogate breaks validators: either,
  // anywhere in the path parameters, the query or a parsed body, is a 400 here, before any
  // route could hand it on (a 500 there). Multipart fields and WebSocket frames are checked
  // where they are read.
  const errors = new NestLogger('Exceptions');
  fastify.addHook('preHandler', (request, reply, done) => {
    const field =
      findUnfitText(request.params, 'path') ??
      findUnfitText(request.query, 'query') ??
      findUnfitText(request.body);
    if (field === null) return done();
    sendError(reply, unfitTextError(field), errors);
  });
  // Graceful shutdown: responses finished while closing also close their keep-alive
  // connection, so the server stops as soon as the in-flight requests are answered.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  registerRedoc(fastify);
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Media Chat API',
    swaggerOptions: { persistAuthorization: true },
  });

  app.useWebSocketAdapter(new PrefixWsAdapter(app));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** Creates and sets up the app with `env`, by default the process's environment (main.ts). */
export async function createApp(
  env: EnvironmentVariables = validateEnv(process.env),
): Promise<NestFastifyApplication> {
  const logger = createAppLogger(env.LOG_LEVEL);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ logger, env }),
    createAdapter(logger, env),
    {
      bufferLogs: true,
      abortOnError: false,
    },
  );
  return setupApp(app);
}
