import type { IncomingMessage } from 'node:http';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { PublicOrigin } from '../common/http/public-origin';
import { type Links, MediaLinks } from '../media/media-links';
import { CLOSE } from '../realtime/close-codes';
import { HandshakeRejected, socketUrl } from '../realtime/handshake';
import { RealtimeBus } from '../realtime/realtime-bus';
import type { SocketToken } from '../realtime/socket-authenticator';
import { type LiveSocket, SocketSupervisor } from '../realtime/socket-supervisor';
import { NOTIFICATION_EVENTS, type NotificationEvent } from './notification-events';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService, presentNotification } from './notifications.service';

export const NOTIFICATIONS_WS_PATH = '/api/ws/notifications';
/** How long new posts gather before one query finds who to tell. */
const ANNOUNCE_TICK_MS = 100;

interface Listener extends LiveSocket {
  userId: string;
  token: SocketToken;
  links: Links;
}

/**
 * The open notification sockets of this instance, by user: what the bus brings for a user
 * goes to all of theirs, and new posts to the connected followers of their authors.
 */
@Injectable()
export class NotificationSockets implements OnModuleInit {
  private readonly logger = new Logger('NotificationsGateway');
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly byWs = new WeakMap<WebSocket, Listener>();
  /** Posts waiting to be announced, by author. */
  private newPosts = new Map<string, string[]>();
  private announcing: Promise<void> | null = null;

  constructor(
    private readonly supervisor: SocketSupervisor,
    private readonly bus: RealtimeBus,
    private readonly notifications: NotificationsService,
    private readonly origins: PublicOrigin,
    private readonly links: MediaLinks,
    private readonly repository: NotificationsRepository,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe(NOTIFICATION_EVENTS, (event) => this.onEvent(event));
    // The token is all a notification socket needs: the supervisor re-checks it.
    this.supervisor.register({ sockets: () => this.all() });
  }

  /** Runs the handshake; the socket then receives the unread count, and what follows. */
  open(ws: WebSocket, req: IncomingMessage): void {
    this.connect(ws, req).catch((err: unknown) => this.supervisor.refuse(ws, err));
  }

  close(ws: WebSocket): void {
    const listener = this.byWs.get(ws);
    if (!listener) return;
    const set = this.listeners.get(listener.userId);
    set?.delete(listener);
    if (set?.size === 0) this.listeners.delete(listener.userId);
  }

  private *all(): Iterable<Listener> {
    for (const set of this.listeners.values()) yield* set;
  }

  private async connect(ws: WebSocket, req: IncomingMessage): Promise<void> {
    if (socketUrl(req).pathname !== NOTIFICATIONS_WS_PATH)
      throw new HandshakeRejected(CLOSE.FORBIDDEN, 'Forbidden');
    const { user, token } = await this.supervisor.authenticate<{ id: string }>(req);
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

  private onEvent(event: NotificationEvent): void {
    if (event.kind === 'post') return this.newPost(event.authorId, event.postId);
    const set = this.listeners.get(event.userId);
    if (!set) return;
    const f = event.frame;
    for (const listener of set) {
      if (f.type === 'notification')
        send(listener, {
          type: 'notification',
          notification: presentNotification(f.notification, listener.links),
        });
      else send(listener, f);
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
    this.announcing ??= this.announce();
  }

  private async announce(): Promise<void> {
    while (this.newPosts.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, ANNOUNCE_TICK_MS));
      const batch = this.newPosts;
      this.newPosts = new Map();
      try {
        const pairs = await this.repository.followersAmong(
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
}

function send(listener: Listener, frame: object): void {
  if (listener.ws.readyState === listener.ws.OPEN) listener.ws.send(JSON.stringify(frame));
}
