import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Media Chat API reference</title>
</head>
<body>
  <redoc spec-url="/docs-json"></redoc>
  <script src="/redoc/redoc.standalone.js"></script>
</body>
</html>`;

/** ReDoc at /redoc, served from the npm package (no CDN). */
export function registerRedoc(fastify: FastifyInstance): void {
  const bundlePath = createRequire(__filename).resolve('redoc/bundles/redoc.standalone.js');
  let bundle: Buffer | undefined;
  fastify.get('/redoc', (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  fastify.get('/redoc/redoc.standalone.js', (_req, reply) => {
    bundle ??= readFileSync(bundlePath);
    return reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(bundle);
  });
}
