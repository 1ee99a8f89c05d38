import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EnvironmentVariables } from './env.validation';

/**
 * Provider token of the validated environment the app runs with (AppModule.forRoot's `env`).
 * Every namespace below is derived from it alone, so an app (a test's, a script's) is
 * configured by the object it is given, never by whatever process.env holds at the time.
 */
export const APP_ENV = 'APP_ENV';

/**
 * One concern's settings: a pure function of the environment, provided under `KEY` and
 * injected as `@Inject(jwtConfig.KEY) config: ConfigType<typeof jwtConfig>`.
 */
export type ConfigNamespace<T> = ((env: EnvironmentVariables) => T) & { readonly KEY: string };

/** The settings object a namespace provides. */
export type ConfigType<N extends ConfigNamespace<unknown>> = ReturnType<N>;

function namespace<T>(name: string, factory: (env: EnvironmentVariables) => T): ConfigNamespace<T> {
  return Object.assign((env: EnvironmentVariables) => factory(env), {
    KEY: `CONFIGURATION(${name})`,
  });
}

export const appConfig = namespace('app', (e) => {
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    allowedOrigins: e.ALLOWED_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    /** The configured public origin; unset, links follow each request's origin (PublicOrigin). */
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/+$/, '') : null,
    /** Links made outside any request, without PUBLIC_URL: the port the app listens on. */
    defaultOrigin: `http://localhost:${e.PORT}`,
    /** Hosts whose requests may set the origin of email links (see PublicOrigin.forEmail). */
    allowedHosts: e.ALLOWED_HOSTS.split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  };
});

export const databaseConfig = namespace('database', (e) => {
  const embeddedDir = e.EMBEDDED_PG_DIR ?? join(e.DATA_DIR, 'pg');
  return {
    url: e.DATABASE_URL,
    poolMax: e.DB_POOL_MAX,
    embeddedDir: embeddedDir === 'memory://' ? embeddedDir : resolve(embeddedDir),
  };
});

/** Without JWT_SECRET (development only) a random secret is made once and kept in DATA_DIR. */
function persistentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process wrote it first: use theirs so both sign with one key.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw err;
  }
  return secret;
}

export const jwtConfig = namespace('jwt', (e) => {
  return {
    secret: e.JWT_SECRET ?? persistentSecret(resolve(e.DATA_DIR)),
    expiresIn: e.JWT_EXPIRES_IN,
    sessionAccessTtl: e.SESSION_ACCESS_TTL,
    sessionRefreshTtl: e.SESSION_REFRESH_TTL,
    sessionRefreshGrace: e.SESSION_REFRESH_GRACE,
    audience: e.JWT_AUDIENCE,
    resetPasswordTtl: e.RESET_PASSWORD_TOKEN_TTL,
    verifyTtl: e.VERIFY_TOKEN_TTL,
    bcryptRounds: e.BCRYPT_ROUNDS,
    bcryptConcurrency: e.BCRYPT_CONCURRENCY,
    bcryptNice: e.BCRYPT_NICE,
  };
});

export const throttleConfig = namespace('throttle', (e) => {
  return {
    authLimit: e.THROTTLE_AUTH_LIMIT,
    authTtlSeconds: e.THROTTLE_AUTH_TTL,
    refreshLimit: e.THROTTLE_REFRESH_LIMIT,
    /** Per user and `windowSeconds`. */
    actions: {
      follow: e.RATE_LIMIT_FOLLOWS,
      like: e.RATE_LIMIT_LIKES,
      comment: e.RATE_LIMIT_COMMENTS,
      report: e.RATE_LIMIT_REPORTS,
    },
    windowSeconds: e.RATE_LIMIT_WINDOW,
    redisUrl: e.REDIS_URL,
  };
});

export const mailConfig = namespace('mail', (e) => {
  return { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM };
});

export const mediaConfig = namespace('media', (e) => {
  return {
    dir: resolve(e.MEDIA_DIR ?? join(e.DATA_DIR, 'media')),
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    deleteRetryMs: e.MEDIA_DELETE_RETRY_MS,
    ffmpegPath: e.FFMPEG_PATH,
    ffprobePath: e.FFPROBE_PATH,
    signedUrlTtlSeconds: e.MEDIA_SIGNED_URL_TTL,
  };
});

export const imagekitConfig = namespace('imagekit', (e) => {
  return {
    enabled: e.IMAGEKIT_PRIVATE_KEY !== undefined,
    privateKey: e.IMAGEKIT_PRIVATE_KEY,
    publicKey: e.IMAGEKIT_PUBLIC_KEY,
    urlEndpoint: e.IMAGEKIT_URL_ENDPOINT?.replace(/\/+$/, ''),
    baseUrl: e.IMAGEKIT_BASE_URL,
    timeoutMs: e.IMAGEKIT_TIMEOUT_MS,
    folder: e.IMAGEKIT_FOLDER,
  };
});

export const chatConfig = namespace('chat', (e) => {
  return {
    redisUrl: e.REDIS_URL,
    rateLimit: e.CHAT_RATE_LIMIT,
    rateWindowMs: e.CHAT_RATE_WINDOW_MS,
    typingIntervalMs: e.CHAT_TYPING_INTERVAL_MS,
    pingIntervalMs: e.CHAT_PING_INTERVAL_MS,
    maxBufferedBytes: e.CHAT_MAX_BUFFERED_BYTES,
    gapWaitMs: e.CHAT_GAP_WAIT_MS,
    resyncIntervalMs: e.CHAT_RESYNC_INTERVAL_MS,
  };
});

export const allConfigs: ReadonlyArray<ConfigNamespace<unknown>> = [
  chatConfig,
  appConfig,
  databaseConfig,
  jwtConfig,
  throttleConfig,
  mailConfig,
  mediaConfig,
  imagekitConfig,
];
