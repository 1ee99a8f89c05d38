import { topic } from '../realtime/realtime-bus';
import type { NotificationRecord } from './notifications.repository';

/** What the notifications socket pushes to all of one user's sockets. */
export type UserFrame =
  | { type: 'notification'; notification: NotificationRecord }
  | { type: 'unread_count'; count: number };

/**
 * What notifications send between instances: a frame for one user, or a new post for its
 * author's connected followers (who they are is found where they are connected).
 */
export type NotificationEvent =
  | { kind: 'user'; userId: string; frame: UserFrame }
  | { kind: 'post'; authorId: string; postId: string };

export const NOTIFICATION_EVENTS = topic<NotificationEvent>('notifications');
