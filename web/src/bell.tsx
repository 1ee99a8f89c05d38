import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { type Notification, onLive } from './live';

const WORDS: Record<string, string> = {
  follow: 'followed you',
  like: 'liked your post',
  comment: 'commented on your post',
  reply: 'replied to your comment',
  mention: 'mentioned you',
};

/**
 * The notifications bell: the unread count, live over the notifications socket, and the list
 * with "Mark all read".
 */
export function Bell() {
  // Unknown until the socket says (its first frame is the count).
  const [unread, setUnread] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Notification[]>([]);
  useEffect(
    () =>
      onLive((f) => {
        if (f.type === 'unread_count') setUnread(f.count);
        else if (f.type === 'notification') setItems((all) => [f.notification, ...all]);
      }),
    [],
  );
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
