import { randomUUID } from 'node:crypto';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';

/** What travels between instances: a frame for a room's sockets, or an order to close some. */
export type ChatEvent =
  | { kind: 'frame'; roomId: string; frame: Record<string, unknown>; exceptUserId?: string }
  | { kind: 'kick'; roomId: string; userId: string }
  | { kind: 'room_closed'; roomId: string };

type Handler = (event: ChatEvent) => void;

/**
 * Fan-out of room events to every instance. Events are always delivered locally first, so
 * a broken Redis connection never stops a single instance's rooms.
 */
export abstract class ChatBus {
  protected readonly handlers: Handler[] = [];

  onEvent(handler: Handler): void {
    this.handlers.push(handler);
  }

  protected deliver(event: ChatEvent): void {
    for (const handler of this.handlers) handler(event);
  }

  abstract publish(event: ChatEvent): void;
}

/** One instance: events go straight to this process's sockets. */
export class LocalChatBus extends ChatBus {
  publish(event: ChatEvent): void {
    this.deliver(event);
  }
}

const CHANNEL = 'chat:events';

/** Several instances: Redis pub/sub carries each event to the other instances. */
export class RedisChatBus extends ChatBus implements OnModuleDestroy {
  private readonly logger = new Logger('ChatBus');
  readonly instanceId = randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private healthy = true;

  constructor(url: string) {
    super();
    const options = { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, { ...options, enableOfflineQueue: true });
    for (const client of [this.pub, this.sub]) {
      client.on('error', (err: Error) => {
        if (this.healthy)
          this.logger.error(`Redis unreachable, delivering locally only: ${err.message}`);
        this.healthy = false;
      });
      client.on('ready', () => {
        if (!this.healthy) this.logger.log('Redis reconnected');
        this.healthy = true;
      });
    }
    void this.sub.subscribe(CHANNEL).catch(() => undefined);
    this.sub.on('message', (_channel: string, raw: string) => {
      try {
        const { origin, event } = JSON.parse(raw) as { origin: string; event: ChatEvent };
        if (origin !== this.instanceId) this.deliver(event);
      } catch {
        // not ours
      }
    });
  }

  /** Resolves once the subscription is live (tests and start-up ordering). */
  async ready(): Promise<void> {
    if (this.sub.status !== 'ready') await new Promise((r) => this.sub.once('ready', r));
    await this.sub.subscribe(CHANNEL);
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
