// A bare reference for bench/feed.mjs: the product's GET /feed on fastify + pg with no
// framework around it, against the product's own database (tables from its migrations). The
// same per-request work: the Bearer check, HS256 verification with audience, the account and
// revocation query, one keyset query, and a body byte-identical to the product's. The product's
// cost on top of this is its framework's and its extra per-request work.
//
//   GET /feed?limit=1..100&cursor=<next_cursor>   Authorization: Bearer <access token>
//   -> {"items":[post, ...],"next_cursor":"..."|null}
//
// Env: DATABASE_URL, JWT_SECRET (required); DB_POOL_MAX (10), JWT_AUDIENCE (media-chat:auth),
// HOST (127.0.0.1), PORT (0: any free port).
// Prints `listening on http://HOST:PORT` once it accepts connections.
import { createSecretKey } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import jwt from 'jsonwebtoken';
import pg from 'pg';

// The one statement of a feed page. $1 limit + 1 (one more row tells whether a next page
// exists), $2 and $3 the cursor's created_at (microseconds, UTC) and id, both null for the
// first page. Unnamed statements are planned with their actual parameters, so the null test
// folds away and either page walks IDX_posts_feed. Only the columns the response shows; rows
// keep storage paths, and links are built per response, as the product does. If the
// product's feed query changes, the body comparison in feed.mjs says whether this still
// produces the same page.
export const FEED_PAGE_SQL = `SELECT p.id, p.user_id, u.username, u.avatar_path, p.caption, p.file_path,
       p.file_type, p.mime_type, p.file_name, p.size, p.width, p.height, p.duration, p.thumbnail_path,
       p.like_count, p.comment_count, p.hidden,
       coalesce((SELECT true FROM post_likes l WHERE l.post_id = p.id AND l.user_id = $4::uuid), false) AS liked_by_me,
       p.created_at, p.updated_at,
       to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
  FROM posts p JOIN users u ON u.id = p.user_id
 WHERE ($2::timestamptz IS NULL OR (p.created_at, p.id) < ($2::timestamptz, $3::uuid))
   AND p.user_id NOT IN (SELECT b.blocked_id FROM blocks b WHERE b.blocker_id = $4::uuid
                         UNION ALL SELECT b.blocker_id FROM blocks b WHERE b.blocked_id = $4::uuid)
   AND (NOT p.hidden OR p.user_id = $4::uuid
        OR EXISTS (SELECT 1 FROM users su WHERE su.id = $4::uuid AND su.is_superuser))
 ORDER BY p.created_at DESC, p.id DESC
 LIMIT $1`;

// The same page without like and comment counts (BARE_COUNTS=0): what the counts cost.
export const FEED_PAGE_SQL_NO_COUNTS = FEED_PAGE_SQL.replace(
  /\s+p\.like_count, p\.comment_count, p\.hidden,\s+coalesce\(.*? AS liked_by_me,/,
  ' p.hidden,',
);

// The product's per-request account check (AccountsRepository.findForToken), verbatim. Keep
// it in step by hand: it shapes no byte of the answer, so the body comparison cannot notice.
const ACCOUNT_SQL = `SELECT u.*, EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = $2) AS token_revoked
       FROM users u WHERE u.id = $1`;

const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*) *$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const PAGE_KEYS = new Set(['limit', 'cursor']);

class HttpError extends Error {
  constructor(status, code, detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

async function serve() {
  const env = process.env;
  if (!env.DATABASE_URL || !env.JWT_SECRET) {
    console.error('feed-bare: DATABASE_URL and JWT_SECRET are required');
    process.exit(2);
  }
  // A string secret makes jsonwebtoken try (and fail) to parse it as a public key on every verify.
  const secret = createSecretKey(Buffer.from(env.JWT_SECRET));
  const audience = env.JWT_AUDIENCE || 'media-chat:auth';
  // BARE_COUNTS=0: leave the like and comment counts out (bench/feed-social.mjs compares).
  const withCounts = env.BARE_COUNTS !== '0';
  const pool = new pg.Pool({
    connectionString: env.DATABASE_URL,
    max: Number(env.DB_POOL_MAX || 10),
  });
  pool.on('error', (err) =>
    console.error(`feed-bare: idle database connection failed: ${err.message}`),
  );

  async function authenticate(authorization) {
    const token = BEARER.exec(authorization ?? '')?.[1];
    if (!token) throw new HttpError(401, 'NOT_AUTHENTICATED', 'Not authenticated');
    let payload;
    try {
      payload = jwt.verify(token, secret, { algorithms: ['HS256'], audience });
    } catch {
      throw new HttpError(401, 'INVALID_TOKEN', 'Invalid token');
    }
    if (!UUID.test(payload.sub) || !UUID.test(payload.jti) || typeof payload.ver !== 'number') {
      throw new HttpError(401, 'INVALID_TOKEN', 'Invalid token');
    }
    const user = (await pool.query(ACCOUNT_SQL, [payload.sub, payload.jti])).rows[0];
    if (!user || !user.is_active) throw new HttpError(401, 'INVALID_TOKEN', 'Invalid token');
    if (user.token_revoked || user.token_version !== payload.ver) {
      throw new HttpError(401, 'TOKEN_REVOKED', 'This token has been revoked');
    }
    return user;
  }

  /** limit and cursor as the product's PageQuery and decodeCursor accept them. */
  function pageQuery(query) {
    for (const key of Object.keys(query)) {
      if (!PAGE_KEYS.has(key))
        throw new HttpError(400, 'VALIDATION_ERROR', `property ${key} should not exist`);
    }
    const limit = query.limit === undefined ? 20 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new HttpError(400, 'VALIDATION_ERROR', 'limit must be an integer from 1 to 100');
    }
    if (query.cursor === undefined) return { limit, at: null, id: null };
    if (typeof query.cursor !== 'string' || query.cursor.length > 200) {
      throw new HttpError(
        400,
        'VALIDATION_ERROR',
        'cursor must be a string of at most 200 characters',
      );
    }
    const [at, id, extra] = Buffer.from(query.cursor, 'base64url').toString('utf8').split('|');
    if (extra !== undefined || !CURSOR_TIMESTAMP.test(at ?? '') || !UUID.test(id ?? '')) {
      throw new HttpError(
        400,
        'INVALID_CURSOR',
        'The cursor is malformed; use next_cursor from a previous page',
      );
    }
    return { limit, at, id };
  }

  // Links to files on the local driver (localMediaUrl), and its 400 px thumbnail.
  const origin = env.PUBLIC_URL ?? 'http://localhost:3000';
  const THUMBNAIL = `?tr=${encodeURIComponent('w-400,h-400,c-at_max')}`;
  const link = (path) => `${origin}/media/${path.split('/').map(encodeURIComponent).join('/')}`;

  // Field order is the product's (posts.mapper.ts): the bodies are compared byte for byte.
  const toPost = (r, viewerId) => ({
    id: r.id,
    user_id: r.user_id,
    author: {
      id: r.user_id,
      username: r.username,
      avatar_url: r.avatar_path ? link(r.avatar_path) + THUMBNAIL : null,
    },
    caption: r.caption,
    url: link(r.file_path),
    thumbnail_url: r.thumbnail_path
      ? link(r.thumbnail_path)
      : r.file_type === 'image'
        ? link(r.file_path) + THUMBNAIL
        : null,
    file_type: r.file_type,
    mime_type: r.mime_type,
    file_name: r.file_name,
    size: Number(r.size),
    width: r.width,
    height: r.height,
    duration: r.duration,
    ...(withCounts
      ? { like_count: r.like_count, comment_count: r.comment_count, liked_by_me: r.liked_by_me }
      : {}),
    hidden: r.hidden,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
    is_owner: r.user_id === viewerId,
  });

  const app = Fastify({ logger: false });
  app.setErrorHandler((err, _request, reply) => {
    const status = err instanceof HttpError ? err.status : 500;
    if (status === 500) console.error(`feed-bare: ${err.stack ?? err}`);
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    reply
      .status(status)
      .send({ status_code: status, detail: err.message, code: err.code ?? 'INTERNAL_ERROR' });
  });
  // Handlers whose client has gone (a load generator stopping mid-request) still run to the
  // end; shutdown waits for them before closing the pool under them.
  let inFlight = 0;
  app.get('/feed', async (request) => {
    inFlight++;
    try {
      const user = await authenticate(request.headers.authorization);
      const { limit, at, id } = pageQuery(request.query);
      const { rows } = await pool.query(withCounts ? FEED_PAGE_SQL : FEED_PAGE_SQL_NO_COUNTS, [
        limit + 1,
        at,
        id,
        user.id,
      ]);
      const items = rows.length > limit ? rows.slice(0, limit) : rows;
      const last = items.at(-1);
      return {
        items: items.map((r) => toPost(r, user.id)),
        next_cursor:
          rows.length > limit
            ? Buffer.from(`${last.cursor_at}|${last.id}`).toString('base64url')
            : null,
      };
    } finally {
      inFlight--;
    }
  });

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await app.close().catch(() => undefined);
    const deadline = Date.now() + 5000;
    while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await pool.end().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  // Fail at start-up, not at the first request, when the database or its tables are missing.
  await pool.query('SELECT 1 FROM posts LIMIT 1');
  const address = await app.listen({ host: env.HOST || '127.0.0.1', port: Number(env.PORT || 0) });
  console.log(`listening on ${address}`);
}

// feed.mjs imports FEED_PAGE_SQL to show its plan; only a direct run serves.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await serve();
