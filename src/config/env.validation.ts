import 'reflect-metadata';
import { availableParallelism } from 'node:os';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';

// Reads the raw string: implicit conversion would already have made "false" truthy.
const toBool = ({ obj, key }: { obj: Record<string, unknown>; key: string }): unknown => {
  const raw = obj[key];
  if (typeof raw !== 'string') return raw;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off', ''].includes(raw.toLowerCase())) return false;
  return raw;
};
const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  value === '' ? undefined : value;
const isProduction = (env: EnvironmentVariables): boolean => env.NODE_ENV === 'production';

/** Every variable the app reads. Documented in .env.example; validated once at start-up. */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  @IsNotEmpty()
  HOST: string = '0.0.0.0';

  @IsString()
  @IsNotEmpty()
  DATA_DIR: string = './data';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY: boolean = false;

  @IsString()
  ALLOWED_ORIGINS: string = '';

  /** Unset: links follow each request's origin (Host; X-Forwarded-* with TRUST_PROXY). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_URL?: string;

  /** Without PUBLIC_URL: hosts whose requests may set the origin of email links. */
  @IsString()
  ALLOWED_HOSTS: string = '';

  // database
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => isProduction(env) || env.DATABASE_URL !== undefined)
  @IsNotEmpty({ message: 'DATABASE_URL must be set when NODE_ENV=production' })
  @IsUrl(
    { require_tld: false, protocols: ['postgres', 'postgresql'], require_protocol: true },
    { message: 'DATABASE_URL must be a postgres:// URL' },
  )
  DATABASE_URL?: string;

  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_MAX: number = 10;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  EMBEDDED_PG_DIR?: string;

  // jwt
  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => isProduction(env) || env.JWT_SECRET !== undefined)
  @IsNotEmpty({ message: 'JWT_SECRET must be set when NODE_ENV=production' })
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @IsInt()
  @Min(60)
  @Max(60 * 60 * 24 * 30)
  JWT_EXPIRES_IN: number = 3600;

  /** Access tokens of browser sessions (POST /auth/session, /auth/jwt/refresh), seconds. */
  @IsInt()
  @Min(60)
  @Max(60 * 60 * 24)
  SESSION_ACCESS_TTL: number = 900;

  /** How long a browser session lasts without being used, seconds. */
  @IsInt()
  @Min(300)
  @Max(60 * 60 * 24 * 365)
  SESSION_REFRESH_TTL: number = 30 * 24 * 3600;

  /**
   * Seconds after a refresh token is used in which presenting it again (a reload or a second
   * tab racing the rotation) gets a sibling token of the same session instead of ending the
   * session as a stolen copy would. 0 turns the grace off.
   */
  @IsInt()
  @Min(0)
  @Max(60)
  SESSION_REFRESH_GRACE: number = 10;

  @IsString()
  @IsNotEmpty()
  JWT_AUDIENCE: string = 'media-chat:auth';

  @IsInt()
  @Min(60)
  RESET_PASSWORD_TOKEN_TTL: number = 3600;

  @IsInt()
  @Min(60)
  VERIFY_TOKEN_TTL: number = 3600;

  @IsInt()
  @Min(4)
  @Max(15)
  BCRYPT_ROUNDS: number = 12;

  /**
   * How many bcrypt hashes or comparisons run at once; the others wait their turn (FIFO).
   * One core is left to serve every other request while logins pile up.
   */
  @IsInt()
  @Min(1)
  @Max(256)
  BCRYPT_CONCURRENCY: number = Math.max(1, availableParallelism() - 1);

  /**
   * How much lower than the API's the scheduling priority of the bcrypt threads is (a nice
   * increment, Linux): hashing gets the CPU the requests leave idle. 0 hashes at the same
   * priority as everything else.
   */
  @IsInt()
  @Min(0)
  @Max(19)
  BCRYPT_NICE: number = 10;

  // rate limiting of the auth routes
  @IsInt()
  @Min(1)
  THROTTLE_AUTH_LIMIT: number = 10;

  @IsInt()
  @Min(1)
  THROTTLE_AUTH_TTL: number = 60;

  /**
   * Refreshes per browser session and THROTTLE_AUTH_TTL: counted per session, not per IP
   * (reloads, tabs, and everybody behind one NAT), and apart from the login limit.
   */
  @IsInt()
  @Min(1)
  THROTTLE_REFRESH_LIMIT: number = 60;

  /** Per user and RATE_LIMIT_WINDOW: follows, likes, comments and reports. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_FOLLOWS: number = 200;

  @IsInt()
  @Min(1)
  RATE_LIMIT_LIKES: number = 600;

  @IsInt()
  @Min(1)
  RATE_LIMIT_COMMENTS: number = 120;

  @IsInt()
  @Min(1)
  RATE_LIMIT_REPORTS: number = 30;

  /** Seconds. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_WINDOW: number = 3600;

  // media
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MEDIA_DIR?: string;

  @IsInt()
  @Min(1)
  MAX_UPLOAD_BYTES: number = 50 * 1024 * 1024;

  /** ffmpeg and ffprobe (video metadata, thumbnails, dimensions); absent: videos stay as sent. */
  @IsString()
  @IsNotEmpty()
  FFMPEG_PATH: string = 'ffmpeg';

  @IsString()
  @IsNotEmpty()
  FFPROBE_PATH: string = 'ffprobe';

  /** Lifetime of signed links to private files (chat attachments), seconds. */
  @IsInt()
  @Min(30)
  @Max(7 * 24 * 3600)
  MEDIA_SIGNED_URL_TTL: number = 900;

  // imagekit (the ImageKit driver is used when IMAGEKIT_PRIVATE_KEY is set)
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  IMAGEKIT_PRIVATE_KEY?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.IMAGEKIT_PRIVATE_KEY !== undefined)
  @IsNotEmpty({ message: 'IMAGEKIT_PUBLIC_KEY must be set with IMAGEKIT_PRIVATE_KEY' })
  @IsString()
  IMAGEKIT_PUBLIC_KEY?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: EnvironmentVariables) => env.IMAGEKIT_PRIVATE_KEY !== undefined)
  @IsNotEmpty({ message: 'IMAGEKIT_URL_ENDPOINT must be set with IMAGEKIT_PRIVATE_KEY' })
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'IMAGEKIT_URL_ENDPOINT must be an http(s) URL' },
  )
  IMAGEKIT_URL_ENDPOINT?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'IMAGEKIT_BASE_URL must be an http(s) URL' },
  )
  IMAGEKIT_BASE_URL?: string;

  @IsInt()
  @Min(100)
  IMAGEKIT_TIMEOUT_MS: number = 30_000;

  @IsString()
  @IsNotEmpty()
  IMAGEKIT_FOLDER: string = '/media-chat';

  @IsInt()
  @Min(100)
  MEDIA_DELETE_RETRY_MS: number = 60_000;

  // chat
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['redis', 'rediss'], require_protocol: true },
    { message: 'REDIS_URL must be a redis:// URL' },
  )
  REDIS_URL?: string;

  @IsInt()
  @Min(1)
  CHAT_RATE_LIMIT: number = 20;

  @IsInt()
  @Min(100)
  CHAT_RATE_WINDOW_MS: number = 10_000;

  @IsInt()
  @Min(0)
  CHAT_TYPING_INTERVAL_MS: number = 1_000;

  @IsInt()
  @Min(1000)
  CHAT_PING_INTERVAL_MS: number = 30_000;

  @IsInt()
  @Min(65536)
  CHAT_MAX_BUFFERED_BYTES: number = 4 * 1024 * 1024;

  /** How long a socket's room waits for a missing seq before reading it from the database. */
  @IsInt()
  @Min(10)
  @Max(60_000)
  CHAT_GAP_WAIT_MS: number = 300;

  /** How often each instance compares its open rooms' counters with what it delivered. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  CHAT_RESYNC_INTERVAL_MS: number = 2_000;

  // mail
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['smtp', 'smtps'], require_protocol: true },
    { message: 'SMTP_URL must be an smtp:// or smtps:// URL' },
  )
  SMTP_URL?: string;

  @IsString()
  @IsNotEmpty()
  MAIL_FROM: string = 'Media Chat <no-reply@localhost>';
}

export class ConfigValidationError extends Error {
  override name = 'ConfigValidationError';
}

const FIRST_CONSTRAINTS = ['isNotEmpty', 'isInt', 'isNumber', 'isBoolean', 'isIn', 'isString'];

/** Validates raw variables (process.env's strings); throws one line naming every bad one. */
export function validateEnv(raw: Record<string, unknown>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, raw, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const messages = errors.map((e) => {
      const constraints = e.constraints ?? {};
      // "must be set", then the kind of value, say more than the rules that follow from them
      // (PORT=abc "must be an integer number", not "must not be greater than 65535").
      const constraint =
        FIRST_CONSTRAINTS.map((name) => constraints[name]).find(Boolean) ??
        Object.values(constraints)[0] ??
        'is invalid';
      return constraint.startsWith(e.property) ? constraint : `${e.property} ${constraint}`;
    });
    throw new ConfigValidationError(`Invalid configuration: ${messages.join('; ')}`);
  }
  return env;
}
