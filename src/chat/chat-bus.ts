import { randomUUID } from 'node:crypto';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import type { RoomFrame } from './ws/frames';

/**
 * What travels between instances: a frame for a room's sockets, an order to close some, or a
 * frame for all of one user's sockets, or a new post for its author's followers (notifications;
 * their own gateway reads those two).
 */
export type ChatEvent =
  | { kind: 'frame'; roomId: string; frame: RoomFrame; exceptUserId?: string }
  | { kind: 'kick'; roomId: string; userId: string }
  | { kind: 'room_closed'; roomId: string }
  | { kind: 'user'; userId: string; frame: { type: string } & Record<string, unknown> }
  | { kind: 'post'; authorId: string; postId: string };

type Handler = (event: ChatEvent) => void;

/**
 * The port between the chat and its fan-out. Delivery never depends on it for correctness:
 * messages are in PostgreSQL, and the sockets' delivery reads what the bus lost. It is the
 * fast path, and the carrier of presence, typing and kicks.
 */
export abstract class ChatBus {
  private readonly handlers: Handler[] = [];
  private readonly reconnectHandlers: Array<() => void> = [];

  onEvent(handler: Handler): void {
    this.handlers.push(handler);
  }

  /** Called when the bus is back after an interruption (events may have been lost). */
  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  protected deliver(event: ChatEvent): void {
    for (const handler of this.handlers) handler(event);
  }

  protected reconnected(): void {
    for (const handler of this.reconnectHandlers) handler();
  }

  abstract publish(event: ChatEvent): void;

  /** 'disabled' without Redis (one instance); 'down' while Redis is unreachable. */
  abstract get status(): 'up' | 'down' | 'disabled';
}

/** One instance: events go straight to this process's sockets. */
export class LocalChatBus extends ChatBus {
  publish(event: ChatEvent): void {
    this.deliver(event);
  }

  get status(): 'disabled' {
    return 'disabled';
  }
}

const CHANNEL = 'chat:events';

/**
 * Several instances: Redis pub/sub carries each event to the other instances. Events are
 * delivered locally first, so a Redis outage never stops an instance's own rooms.
 */
export class RedisChatBus extends ChatBus implements OnModuleDestroy {
  private readonly logger = new Logger('ChatBus');
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
    this.sub.on('ready', () => void this.subscribe());
    this.sub.on('message', (_channel: string, raw: string) => {
      let message: { origin?: string; event?: ChatEvent };
      try {
        message = JSON.parse(raw) as typeof message;
      } catch {
        return; // not ours
      }
      if (message.origin === this.instanceId || !message.event) return;
      try {
        this.deliver(message.event);
      } catch (err) {
        this.logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      }
    });
  }

  /**
   * (Re)subscribes; once Redis confirms, anything published from then on arrives, so what
   * was missed before can be read from the database without a hole between the two.
   */
  private async subscribe(): Promise<void> {
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

  publish(event: ChatEvent): void {
    this.deliver(event);
    this.pub.publish(CHANNEL, JSON.stringify({ origin: this.instanceId, event })).catch(() => {
      // Logged by the error listener; local delivery already happened.
    });
  }

  onModuleDestroy(): void {
    this.sub.disconnect();
    this.pub.disconnect();
  }
}
