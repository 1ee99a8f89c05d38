import type { IncomingMessage } from 'node:http';
import { Inject, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { type AccessTokenPayload, TokenService } from '../auth/token.service';
import { ChatBus, type ChatEvent } from '../chat/chat-bus';
import { handshakeRejection } from '../chat/ws/chat-handshake';
import { CLOSE } from '../chat/ws/frames';
import { PublicOrigin } from '../common/http/public-origin';
import { chatConfig, type ConfigType } from '../config/configuration';
import { isDatabaseUnavailable } from '../database/pg-errors';
import { FollowsRepository } from '../follows/follows.repository';
import { type Links, MediaLinks } from '../media/media-links';
import type { NotificationRecord } from './notifications.repository';
import { NotificationsService, presentNotification } from './notifications.service';

export const NOTIFICATIONS_WS_PATH = '/api/ws/notifications';
/** How long new posts gather before one query finds who to tell. */
const ANNOUNCE_TICK_MS = 100;

interface Listener {
  ws: WebSocket;
  userId: string;
  token: AccessTokenPayload;
  links: Links;
}

/**
 * ws://host/api/ws/notifications?token=JWT: pushes `{type: "notification", notification}`
 * and `{type: "unread_count", count}` to all of a user's sockets, and `{type: "post", post_id,
 * author_id}` when someone they follow posts, on every instance (the chat bus carries them). The same handshake rules and close codes as chat sockets: 4401 for a
 * missing, invalid, expired or revoked token (also later, on the periodic re-check), 1013
 * while the database is unavailable. Clients send nothing; a reconnecting client reads what
 * it missed with GET /notifications.
 */
@WebSocketGateway({ path: NOTIFICATIONS_WS_PATH, maxPayload: 1024 })
export class NotificationsGateway
  implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy
{
  private readonly logger = new Logger('NotificationsGateway');
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly byWs = new WeakMap<WebSocket, Listener>();
  private timer?: NodeJS.Timeout;
  /** Posts waiting to be announced, by author. */
  private newPosts = new Map<string, string[]>();
  private announcing: Promise<void> | null = null;

  constructor(
    private readonly tokens: TokenService,
    private readonly bus: ChatBus,
    private readonly notifications: NotificationsService,
    private readonly origins: PublicOrigin,
    private readonly links: MediaLinks,
    private readonly follows: FollowsRepository,
    @Inject(chatConfig.KEY) private readonly config: ConfigType<typeof chatConfig>,
  ) {}

  onModuleInit(): void {
    this.bus.onEvent((event) => this.onEvent(event));
    this.timer = setInterval(() => void this.recheck(), this.config.resyncIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    for (const set of this.listeners.values())
      for (const l of set) l.ws.close(CLOSE.GOING_AWAY, 'Server shutting down');
  }

  handleConnection(ws: WebSocket, req: IncomingMessage): void {
    // Nothing is expected from the client: anything it sends is ignored.
    ws.on('message', () => undefined);
    void this.connect(ws, req).catch((err: unknown) => {
      const rejected = handshakeRejection(err, this.logger);
      ws.close(rejected.closeCode, rejected.reason);
    });
  }

  handleDisconnect(ws: WebSocket): void {
    const listener = this.byWs.get(ws);
    if (!listener) return;
    const set = this.listeners.get(listener.userId);
    set?.delete(listener);
    if (set?.size === 0) this.listeners.delete(listener.userId);
  }

  private async connect(ws: WebSocket, req: IncomingMessage): Promise<void> {
    const url = new URL(req.url ?? '/', 'ws://localhost');
    if (url.pathname !== NOTIFICATIONS_WS_PATH) {
      ws.close(CLOSE.FORBIDDEN, 'Forbidden');
      return;
    }
    const query = url.searchParams.get('token');
    const { user, token } = await this.tokens.authenticate({
      authorization: req.headers.authorization,
      query,
    });
    if (ws.readyState !== ws.OPEN) return;
    const listener: Listener = {
      ws,
      userId: user.id,
      token,
      links: this.links.at(this.origins.of(req)),
    };
    // Registered before the count is read, so nothing that happens meanwhile is missed.
    let set = this.listeners.get(user.id);
    if (!set) this.listeners.set(user.id, (set = new Set()));
    set.add(listener);
    this.byWs.set(ws, listener);
    const count = await this.notifications.unread(user.id);
    send(listener, { type: 'unread_count', count });
  }

  private onEvent(event: ChatEvent): void {
    if (event.kind === 'post') {
      this.newPost(event.authorId, event.postId);
      return;
    }
    if (event.kind !== 'user') return;
    const set = this.listeners.get(event.userId);
    if (!set) return;
    for (const listener of set) {
      if (event.frame.type === 'notification') {
        const record = event.frame.notification as NotificationRecord;
        send(listener, {
          type: 'notification',
          notification: presentNotification(record, listener.links),
        });
      } else send(listener, event.frame);
    }
  }

  /**
   * New posts are announced in batches: one query per instance and tick (at most one running
   * at a time), for the users connected here, whatever the rate of posting.
   */
  private newPost(authorId: string, postId: string): void {
    if (this.listeners.size === 0) return;
    const posts = this.newPosts.get(authorId) ?? [];
    posts.push(postId);
    this.newPosts.set(authorId, posts);
    if (!this.announcing) this.announcing = this.announce();
  }

  private async announce(): Promise<void> {
    while (this.newPosts.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, ANNOUNCE_TICK_MS));
      const batch = this.newPosts;
      this.newPosts = new Map();
      try {
        const pairs = await this.follows.followersAmong(
          [...batch.keys()],
          [...this.listeners.keys()],
        );
        for (const { followerId, followeeId } of pairs)
          for (const postId of batch.get(followeeId) ?? [])
            for (const listener of this.listeners.get(followerId) ?? [])
              send(listener, { type: 'post', post_id: postId, author_id: followeeId });
      } catch (err) {
        // This batch is lost (the feed is the record); posts that came meanwhile still go.
        this.logger.warn(
          `New posts were not announced: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    this.announcing = null;
  }

  /** Closes the sockets whose token expired or was revoked (logout, password change, ban). */
  private async recheck(): Promise<void> {
    const all = [...this.listeners.values()].flatMap((set) => [...set]);
    if (all.length === 0) return;
    try {
      const now = Date.now() / 1000;
      const valid = await this.tokens.stillValid(all.map((l) => l.token));
      for (const l of all) {
        if (l.token.exp <= now) l.ws.close(CLOSE.UNAUTHORIZED, 'Token expired');
        else if (!valid.has(l.token.jti)) l.ws.close(CLOSE.UNAUTHORIZED, 'Token revoked');
      }
    } catch (err) {
      if (!isDatabaseUnavailable(err))
        this.logger.warn(
          `Socket re-check failed: ${err instanceof Error ? err.message : String(err)}`,
        );
    }
  }
}

function send(listener: Listener, frame: object): void {
  if (listener.ws.readyState === listener.ws.OPEN) listener.ws.send(JSON.stringify(frame));
}
