import { Injectable, Logger } from '@nestjs/common';
import type { Links } from '../media/media-links';
import { MediaLinks } from '../media/media-links';
import type { NotificationResponse, NotificationPage } from './dto/notification.dto';
import type { NotificationType } from './entities/notification.entity';
import { RealtimeBus } from '../realtime/realtime-bus';
import { NOTIFICATION_EVENTS } from './notification-events';
import { type NotificationRecord, NotificationsRepository } from './notifications.repository';

/** `@username` in a caption or comment (usernames are [a-zA-Z0-9_.]{3,32}). */
const MENTION = /(?<![\w.@])@([a-zA-Z0-9_][a-zA-Z0-9_.]{1,30}[a-zA-Z0-9_])/g;
/** Mentions that notify, per text. */
const MAX_MENTIONS = 20;

export function mentionedUsernames(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(MENTION)) names.add(match[1].toLowerCase());
  return [...names].slice(0, MAX_MENTIONS);
}

export function presentNotification(
  record: NotificationRecord,
  links: Links,
): NotificationResponse {
  return {
    id: record.id,
    type: record.type,
    actor: {
      id: record.actor.id,
      username: record.actor.username,
      avatar_url: links.avatar(record.actor),
    },
    post_id: record.post_id,
    comment_id: record.comment_id,
    created_at: record.created_at,
    read_at: record.read_at,
  };
}

/**
 * Notifications: stored for the recipient, then pushed to the recipient's open sockets on
 * every instance through the real-time bus. Sending one never fails the action behind it.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly bus: RealtimeBus,
    private readonly links: MediaLinks,
  ) {}

  async notify(
    type: NotificationType,
    actorId: string,
    userIds: string[],
    about: { postId?: string | null; commentId?: string | null } = {},
  ): Promise<void> {
    try {
      const created = await this.notifications.insert({ type, actorId, userIds, ...about });
      for (const { user_id: userId, ...notification } of created) {
        this.bus.publish(NOTIFICATION_EVENTS, {
          kind: 'user',
          userId,
          frame: { type: 'notification', notification },
        });
        await this.pushUnread(userId);
      }
    } catch (err) {
      this.logger.warn(
        `A ${type} notification was not sent: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /** Notifies the users `text` mentions (by @username). */
  async mentions(
    text: string,
    actorId: string,
    about: { postId?: string | null; commentId?: string | null },
  ): Promise<void> {
    const names = mentionedUsernames(text);
    if (names.length === 0) return;
    try {
      await this.notify('mention', actorId, await this.notifications.idsOfUsernames(names), about);
    } catch (err) {
      this.logger.warn(
        `Mentions were not sent: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /**
   * Tells the author's followers who are connected, on every instance, that a post is new
   * (`{type: "post", post_id, author_id}`). Live only: the following feed is the record.
   */
  newPost(authorId: string, postId: string): void {
    this.bus.publish(NOTIFICATION_EVENTS, { kind: 'post', authorId, postId });
  }

  async page(
    userId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<NotificationPage> {
    const page = await this.notifications.page(userId, query);
    const links = this.links.current();
    return {
      items: page.items.map((n) => presentNotification(n, links)),
      next_cursor: page.nextCursor,
      unread_count: page.unread,
    };
  }

  async markRead(userId: string, ids: string[] | 'all'): Promise<void> {
    const unread = await this.notifications.markRead(userId, ids);
    this.bus.publish(NOTIFICATION_EVENTS, {
      kind: 'user',
      userId,
      frame: { type: 'unread_count', count: unread },
    });
  }

  unread(userId: string): Promise<number> {
    return this.notifications.unread(userId);
  }

  private async pushUnread(userId: string): Promise<void> {
    const count = await this.notifications.unread(userId);
    this.bus.publish(NOTIFICATION_EVENTS, {
      kind: 'user',
      userId,
      frame: { type: 'unread_count', count },
    });
  }
}
