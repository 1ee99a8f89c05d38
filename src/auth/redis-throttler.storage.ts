import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import Redis from 'ioredis';

type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One hit, atomically: KEYS[1] counts the hits of the current window and expires with it,
 * KEYS[2] exists while the client is blocked. ARGV: window (ms), limit, block (ms).
 * Returns the hits, the window's remaining ms and the block's remaining ms (< 0: none).
 */
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local window = redis.call('PTTL', KEYS[1])
if window < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  window = tonumber(ARGV[1])
end
local blocked = redis.call('PTTL', KEYS[2])
if blocked < 0 and hits > tonumber(ARGV[2]) then
  if tonumber(ARGV[3]) > 0 then
    redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
    blocked = tonumber(ARGV[3])
  else
    blocked = window
  end
end
return { hits, window, blocked }
`;

interface HitCommand {
  throttleHit(
    hitsKey: string,
    blockKey: string,
    windowMs: number,
    limit: number,
    blockMs: number,
  ): Promise<[number, number, number]>;
}

export interface RedisThrottlerStorageOptions {
  /** The longest a request waits on Redis before it is counted in memory instead. */
  commandTimeoutMs?: number;
  /** After a failed or slow command, how long requests are counted in memory without asking. */
  pauseAfterFailureMs?: number;
}

/**
 * Rate-limit counters in Redis, so that every instance sharing it enforces one limit.
 * While Redis is unreachable or slow each instance counts in its own memory (the limit
 * then applies per instance): a Redis outage never fails a request nor holds it for long.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('Throttler');
  private readonly redis: Redis & HitCommand;
  private readonly memory = new ThrottlerStorageService();
  private readonly pauseAfterFailureMs: number;
  private pausedUntil = 0;
  /** What was last logged: the outage and the recovery are logged once each. */
  private healthy = true;

  constructor(url: string, options: RedisThrottlerStorageOptions = {}) {
    this.pauseAfterFailureMs = options.pauseAfterFailureMs ?? 5000;
    this.redis = new Redis(url, {
      // Fail at once while disconnected, rather than queue: the hit is then counted in memory.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 250,
      connectTimeout: 2000,
      // Nothing is worth waiting for at shutdown; ioredis's default keeps the process alive
      // for 2 s after disconnect() when the socket had already dropped.
      disconnectTimeout: 100,
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    }) as Redis & HitCommand;
    this.redis.defineCommand('throttleHit', { numberOfKeys: 2, lua: HIT_SCRIPT });
    this.redis.on('error', (err: Error) => this.degrade(err));
    this.redis.on('ready', () => {
      this.pausedUntil = 0;
      this.recover();
    });
  }

  /** A storage whose connection is up, or given up on after `waitMs` (then counted in memory). */
  static async connect(
    url: string,
    options: RedisThrottlerStorageOptions & { waitMs?: number } = {},
  ): Promise<RedisThrottlerStorage> {
    const storage = new RedisThrottlerStorage(url, options);
    await storage.ready(options.waitMs ?? 1000);
    return storage;
  }

  /** True while hits are counted in Redis, false while each instance counts alone. */
  get shared(): boolean {
    return this.redis.status === 'ready' && Date.now() >= this.pausedUntil;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerRecord> {
    if (this.shared) {
      // The braces keep both keys in one hash slot (Redis Cluster).
      const base = `throttle:{${key}}:${throttlerName}`;
      try {
        const [hits, windowMs, blockMs] = await this.redis.throttleHit(
          `${base}:hits`,
          `${base}:blocked`,
          ttl,
          limit,
          blockDuration,
        );
        this.recover();
        const isBlocked = blockMs > 0;
        return {
          totalHits: hits,
          timeToExpire: Math.ceil(windowMs / 1000),
          isBlocked,
          timeToBlockExpire: isBlocked ? Math.ceil(blockMs / 1000) : 0,
        };
      } catch (err) {
        this.pausedUntil = Date.now() + this.pauseAfterFailureMs;
        this.degrade(err instanceof Error ? err : new Error(String(err)));
      }
    }
    return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  onApplicationShutdown(): void {
    this.memory.onApplicationShutdown();
    this.redis.disconnect();
  }

  private recover(): void {
    if (this.healthy) return;
    this.healthy = true;
    this.logger.log('Redis reachable again: rate limits are shared between instances');
  }

  private degrade(err: Error): void {
    if (!this.healthy) return;
    this.healthy = false;
    this.logger.warn(
      `Redis unreachable (${err.message}): rate limits are counted per instance until it is back`,
    );
  }

  private ready(waitMs: number): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      this.redis.once('ready', done);
    });
  }
}
