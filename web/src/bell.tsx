import { useEffect, useState } from 'preact/hooks';
import { api, auth } from './api';
import type { components } from './api-types';

type Notification = components['schemas']['NotificationResponse'];

const WORDS: Record<string, string> = {
  follow: 'followed you',
  like: 'liked your post',
  comment: 'commented on your post',
  reply: 'replied to your comment',
  mention: 'mentioned you',
};

/**
 * The notifications bell: the unread count, live over /api/ws/notifications (reconnecting
 * with a fresh token), and the list with "Mark all read".
 */
export function Bell() {
  // Unknown until the socket says (its first frame is the count).
  const [unread, setUnread] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Notification[]>([]);
  useEffect(() => {
    let closed = false;
    let retry = 1000;
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      socket = new WebSocket(
        `${scheme}://${location.host}/api/ws/notifications?token=${auth.token ?? ''}`,
      );
      socket.onmessage = (e) => {
        const f = JSON.parse(e.data as string) as
          | { type: 'unread_count'; count: number }
          | { type: 'notification'; notification: Notification };
        retry = 1000;
        if (f.type === 'unread_count') setUnread(f.count);
        else setItems((all) => [f.notification, ...all]);
      };
      socket.onclose = () => {
        if (closed) return;
        timer = setTimeout(() => void auth.refresh().finally(connect), retry);
        retry = Math.min(retry * 2, 30_000);
      };
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, []);
  const toggle = async () => {
    if (!open) {
      const { data } = await api.GET('/notifications', { params: { query: { limit: 20 } } });
      if (data) {
        setItems(data.items);
        setUnread(data.unread_count);
      }
    }
    setOpen(!open);
  };
  return (
    <div class="bell">
      <button type="button" aria-expanded={open} onClick={() => void toggle()}>
        Notifications{unread !== null && <span class="count"> {unread}</span>}
      </button>
      {open && (
        <div class="panel">
          <ul aria-label="Notifications">
            {items.map((n) => (
              <li key={n.id} class={n.read_at ? '' : 'unread'}>
                <strong>{n.actor.username}</strong> {WORDS[n.type] ?? n.type}
              </li>
            ))}
            {items.length === 0 && <li>Nothing yet.</li>}
          </ul>
          <button
            type="button"
            onClick={() =>
              void api.POST('/notifications/read', { body: { all: true } }).then(() => {
                setUnread(0);
                setItems((all) =>
                  all.map((n) => ({ ...n, read_at: n.read_at ?? new Date().toISOString() })),
                );
              })
            }
          >
            Mark all read
          </button>
        </div>
      )}
    </div>
  );
}
