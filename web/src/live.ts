import { auth } from './api';
import type { components } from './api-types';

export type Notification = components['schemas']['NotificationResponse'];

/** What /api/ws/notifications sends. */
type LiveFrame =
  | { type: 'unread_count'; count: number }
  | { type: 'notification'; notification: Notification }
  | { type: 'post'; post_id: string; author_id: string }
  /** Not from the server: the socket is back after a break (frames may have been missed). */
  | { type: 'reconnected' };

type Listener = (frame: LiveFrame) => void;

/** A socket address of this server, with the current access token. */
export function socketUrl(path: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${path}?token=${auth.token ?? ''}`;
}

const listeners = new Set<Listener>();
let socket: WebSocket | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let retry = 1000;
/** The socket's first frame is the count: kept for whoever starts listening later. */
let lastCount: LiveFrame | null = null;
/** Whether the socket that opens next follows a break. */
let broken = false;

function connect(): void {
  const ws = new WebSocket(socketUrl('/api/ws/notifications'));
  socket = ws;
  ws.onmessage = (e) => {
    const frame = JSON.parse(e.data as string) as LiveFrame;
    retry = 1000;
    if (frame.type === 'unread_count') lastCount = frame;
    for (const listener of listeners) listener(frame);
    // The count comes once the server listens for this page: from here on nothing is missed,
    // so what came before is read now.
    if (frame.type === 'unread_count' && broken) {
      broken = false;
      for (const listener of listeners) listener({ type: 'reconnected' });
    }
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    socket = null;
    broken = true;
    // A fresh access token first: the old one may be why the socket closed.
    // Nobody may be listening any more once the token is back (logged out meanwhile).
    timer = setTimeout(
      () =>
        void auth.refresh().finally(() => {
          if (listeners.size > 0 && !socket) connect();
        }),
      retry,
    );
    retry = Math.min(retry * 2, 30_000);
  };
}

/**
 * One notifications socket per page, shared by whatever listens (the bell, the feed); open
 * while anyone listens, reconnecting with a fresh token when dropped.
 */
export function onLive(listener: Listener): () => void {
  listeners.add(listener);
  if (lastCount) listener(lastCount);
  if (listeners.size === 1) connect();
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    clearTimeout(timer);
    const ws = socket;
    socket = null;
    lastCount = null;
    broken = false;
    ws?.close();
  };
}
