import { randomUUID } from 'node:crypto';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';

/**
 * A named stream of events of one shape. Each feature declares its own topics and event
 * types; the bus carries them without knowing what they mean.
 */
export interface Topic<E> {
  readonly name: string;
  /** Never set: binds the event type to the topic at compile time. */
  readonly __event?: E;
}

export const topic = <E>(name: string): Topic<E> => ({ name });

type Handler = (event: unknown) => void;

/** How long a membership change waits for Redis to take its event before answering anyway. */
const CONFIRM_TIMEOUT_MS = 1000;

/**
 * The port between the features' sockets and their fan-out across instances. Delivery never
 * depends on it for correctness (what must not be lost is in PostgreSQL, and readers catch
 * up from there); it is the fast path, and the carrier of what is only live.
 *
 * Events of every topic travel in one ordered stream: an event published after another
 * (by any instance, once the first was confirmed) is handled after it on every instance.
 */
export abstract class RealtimeBus {
  private readonly handlers = new Map<string, Handler[]>();
  private readonly reconnectHandlers: Array<() => void> = [];

  subscribe<E>(to: Topic<E>, handler: (event: E) => void): void {
    const list = this.handlers.get(to.name) ?? [];
    list.push(handler as Handler);
    this.handlers.set(to.name, list);
  }

  /** Called when the bus is back after an interruption (events may have been lost). */
  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  protected deliver(topicName: string, event: unknown): void {
    const handlers = this.handlers.get(topicName);
    if (handlers) for (const handler of handlers) handler(event);
  }

  protected reconnected(): void {
    for (const handler of this.reconnectHandlers) handler();
  }

  /** Delivers on this instance at once, and to the others as soon as the bus carries it. */
  abstract publish<E>(to: Topic<E>, event: E): void;

  /**
   * As publish, and resolves once the other instances' copy is on its way (or the bus is
   * away): anything published after that, by any instance, reaches every instance after it.
   * For events that end someone's access, before the action that caused them is answered.
   */
  publishConfirmed<E>(to: Topic<E>, event: E): Promise<void> {
    this.publish(to, event);
    return Promise.resolve();
  }

  /** 'disabled' without Redis (one instance); 'down' while Redis is unreachable. */
  abstract get status(): 'up' | 'down' | 'disabled';
}

/** One instance: events go straight to this process's handlers. */
export class LocalRealtimeBus extends RealtimeBus {
  publish<E>(to: Topic<E>, event: E): void {
    this.deliver(to.name, event);
  }

  get status(): 'disabled' {
    return 'disabled';
  }
}

const CHANNEL = 'realtime:events';

interface WireMessage {
  origin?: string;
  topic?: string;
  event?: unknown;
}

/**
 * Several instances: Redis pub/sub carries each event to the other instances, on one channel
 * (one order for all topics). Events are delivered locally first, so a Redis outage never
 * stops an instance's own sockets.
 */
export class RedisRealtimeBus extends RealtimeBus implements OnModuleDestroy {
  private readonly logger = new Logger('RealtimeBus');
  readonly instanceId = randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private healthy = true;

  constructor(url: string) {
    super();
    const options = {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      // Back within a second of Redis: fan-out resumes fast, and the reconnect backfill with it.
      retryStrategy: (times: number) => Math.min(times * 100, 1000),
      // A shutdown during a reconnect does not wait for the pending attempt.
      disconnectTimeout: 100,
    };
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, { ...options, enableOfflineQueue: true });
    for (const client of [this.pub, this.sub]) {
      client.on('error', (err: Error) => {
        if (this.healthy)
          this.logger.error(`Redis unreachable, delivering locally only: ${err.message}`);
        this.healthy = false;
      });
    }
    this.pub.on('ready', () => {
      if (!this.healthy) this.logger.log('Redis reconnected');
      this.healthy = true;
    });
    this.sub.on('ready', () => void this.resubscribe());
    this.sub.on('message', (_channel: string, raw: string) => {
      let message: WireMessage;
      try {
        message = JSON.parse(raw) as WireMessage;
      } catch {
        return; // not ours
      }
      if (message.origin === this.instanceId || typeof message.topic !== 'string') return;
      try {
        this.deliver(message.topic, message.event);
      } catch (err) {
        this.logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      }
    });
  }

  /**
   * (Re)subscribes; once Redis confirms, anything published from then on arrives, so what
   * was missed before can be read from the database without a hole between the two.
   */
  private async resubscribe(): Promise<void> {
    try {
      await this.sub.subscribe(CHANNEL);
    } catch {
      return; // the connection dropped again; the next 'ready' retries
    }
    this.reconnected();
  }

  /** Resolves once the subscription is live (start-up ordering). */
  async ready(): Promise<void> {
    if (this.sub.status !== 'ready') await new Promise((r) => this.sub.once('ready', r));
    await this.sub.subscribe(CHANNEL);
  }

  get status(): 'up' | 'down' {
    return this.sub.status === 'ready' && this.pub.status === 'ready' ? 'up' : 'down';
  }

  get redis(): Redis {
    return this.pub;
  }

  publish<E>(to: Topic<E>, event: E): void {
    this.deliver(to.name, event);
    void this.forward(to, event);
  }

  override async publishConfirmed<E>(to: Topic<E>, event: E): Promise<void> {
    this.deliver(to.name, event);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.forward(to, event),
      new Promise((resolve) => (timer = setTimeout(resolve, CONFIRM_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
  }

  /**
   * To the other instances; resolves when Redis has taken it (or refused it). Redis answers
   * PUBLISH once the message is queued for every subscriber, in the order it received them.
   */
  private forward<E>(to: Topic<E>, event: E): Promise<unknown> {
    return this.pub
      .publish(CHANNEL, JSON.stringify({ origin: this.instanceId, topic: to.name, event }))
      .catch(() => {
        // Logged by the error listener; local delivery already happened.
      });
  }

  onModuleDestroy(): void {
    this.sub.disconnect();
    this.pub.disconnect();
  }
}
