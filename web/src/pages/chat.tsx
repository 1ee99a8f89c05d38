import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, auth, errorText, sendForm } from '../api';
import type { components } from '../api-types';
import { socketUrl } from '../live';
import { navigate } from '../router';
import { Alert, Field } from '../ui';

type Room = components['schemas']['RoomResponse'];
type Message = components['schemas']['MessageResponse'];
type ChatUser = components['schemas']['ChatUser'];
type Upload = components['schemas']['UploadResponse'];

/** /chat: my rooms, public rooms, and a new room. */
export function Rooms() {
  const [mine, setMine] = useState<Room[]>([]);
  const [open, setOpen] = useState<Room[]>([]);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api
      .GET('/api/rooms', { params: { query: { member: true, limit: 50 } } })
      .then(({ data }) => setMine(data?.items ?? []));
    void api
      .GET('/api/rooms', { params: { query: { limit: 50 } } })
      .then(({ data }) => setOpen(data?.items ?? []));
  }, []);
  const enter = async (room: Room) => {
    const { error } = await api.POST('/api/rooms/{id}/join', { params: { path: { id: room.id } } });
    if (error) return setError(errorText(error));
    navigate(`/chat/${room.id}`);
  };
  const mineIds = new Set(mine.map((r) => r.id));
  return (
    <section>
      <h1>Chat</h1>
      <form
        class="card row"
        onSubmit={(e) => {
          e.preventDefault();
          void api
            .POST('/api/rooms', { body: { name, is_private: false } })
            .then(({ data, error }) =>
              data ? navigate(`/chat/${data.id}`) : setError(errorText(error)),
            );
        }}
      >
        <Field label="Room name" required maxLength={100} value={name} onValue={setName} />
        <button type="submit">Create room</button>
      </form>
      <Alert text={error} />
      <h2>My rooms</h2>
      <ul class="rooms">
        {mine.map((r) => (
          <li key={r.id}>
            <a href={`/chat/${r.id}`}>{r.name}</a> · {r.online_count} online
          </li>
        ))}
        {mine.length === 0 && <li>None yet.</li>}
      </ul>
      <h2>Public rooms</h2>
      <ul class="rooms">
        {open
          .filter((r) => !mineIds.has(r.id))
          .map((r) => (
            <li key={r.id}>
              {r.name} · {r.member_count} members{' '}
              <button type="button" onClick={() => void enter(r)}>
                Join {r.name}
              </button>
            </li>
          ))}
      </ul>
    </section>
  );
}

type Frame =
  | { type: 'welcome'; room: Room; last_seq: number }
  | { type: 'message' | 'message_updated' | 'message_deleted'; message: Message }
  | { type: 'typing'; user: ChatUser; typing: boolean }
  | { type: 'users_online'; users: ChatUser[] }
  | { type: 'error'; detail: string };

/**
 * /chat/{id}: history (older on scroll up), live messages over the room's socket, typing
 * and who is online. A dropped socket reconnects, and what was missed is read with after_seq;
 * messages are kept by seq, so nothing shows twice.
 */
export function ChatRoom({ id, me }: { id: string; me: string }) {
  const [room, setRoom] = useState<Room | null>(null);
  const [messages, setMessages] = useState<Map<number, Message>>(new Map());
  const [hasMore, setHasMore] = useState(false);
  const [online, setOnline] = useState<ChatUser[]>([]);
  const [typing, setTyping] = useState<Record<string, number>>({});
  const [text, setText] = useState('');
  /** The latest message from someone else, for screen readers (the list is not live). */
  const [heard, setHeard] = useState('');
  const [attachment, setAttachment] = useState<Upload | null>(null);
  const [uploading, setUploading] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<'connecting' | 'live' | 'offline'>('connecting');
  const [error, setError] = useState<string | null>(null);
  const socket = useRef<WebSocket | null>(null);
  const lastTyping = useRef(0);
  const list = useRef<HTMLOListElement>(null);

  const add = (items: Message[]) =>
    setMessages((old) => {
      const next = new Map(old);
      for (const m of items) next.set(m.seq, m);
      return next;
    });

  useEffect(() => {
    let closed = false;
    let retry = 500;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const latest = { seq: 0 };
    const load = async () => {
      try {
        const { data, error } = await api.GET('/api/rooms/{id}/messages', {
          params: { path: { id }, query: { limit: 50 } },
        });
        if (error || !data) return setError(errorText(error, 'The room could not be opened'));
        add(data.items);
        setHasMore(data.has_more);
        latest.seq = Math.max(latest.seq, ...data.items.map((m) => m.seq));
      } catch {
        setError('The server could not be reached; retrying');
      }
    };
    /** What was missed while away, page by page from the last seq seen (kept by seq). */
    const catchUp = async (from: number, upTo: number) => {
      // Its own cursor: live messages arriving meanwhile move latest.seq past the gap.
      let after = from;
      try {
        while (!closed && after < upTo) {
          const { data } = await api.GET('/api/rooms/{id}/messages', {
            params: { path: { id }, query: { after_seq: after, limit: 100 } },
          });
          if (!data || data.items.length === 0) return;
          add(data.items);
          after = Math.max(after, ...data.items.map((m) => m.seq));
          latest.seq = Math.max(latest.seq, after);
          if (!data.has_more) return;
        }
      } catch {
        // The next reconnection catches up.
      }
    };
    const connect = () => {
      const ws = new WebSocket(socketUrl(`/api/ws/${id}`));
      socket.current = ws;
      ws.onmessage = (e) => {
        const f = JSON.parse(e.data as string) as Frame;
        if (f.type === 'welcome') {
          setRoom(f.room);
          setStatus('live');
          retry = 500;
          if (latest.seq < f.last_seq) void catchUp(latest.seq, f.last_seq);
        } else if (f.type === 'message' || f.type === 'message_updated') {
          latest.seq = Math.max(latest.seq, f.message.seq);
          add([f.message]);
          if (f.type === 'message' && f.message.user.username !== me)
            setHeard(
              `${f.message.user.username}: ${f.message.content || f.message.file?.file_name || ''}`,
            );
        } else if (f.type === 'message_deleted') {
          setMessages((old) => {
            const next = new Map(old);
            next.delete(f.message.seq);
            return next;
          });
        } else if (f.type === 'typing') {
          setTyping((t) => ({ ...t, [f.user.username]: f.typing ? Date.now() : 0 }));
        } else if (f.type === 'users_online') setOnline(f.users);
        else if (f.type === 'error') setError(f.detail);
      };
      ws.onclose = (e) => {
        socket.current = null;
        if (closed) return;
        setStatus('offline');
        if (e.code === 4403 || e.code === 4401)
          return setError('You cannot take part in this room');
        timer = setTimeout(() => {
          // A fresh access token first: the old one may have expired meanwhile.
          void auth.refresh().finally(() => {
            if (!closed) connect();
          });
        }, retry);
        retry = Math.min(retry * 2, 10_000);
      };
    };
    void load().finally(() => {
      if (!closed) connect();
    });
    return () => {
      closed = true;
      clearTimeout(timer);
      socket.current?.close();
    };
  }, [id]);

  // Keeps the view where the reader is: at the newest message as messages arrive, and on
  // the same message when older ones are put above it.
  const newest = useRef(0);
  const fromBottom = useRef<number | null>(null);
  const loadingOlder = useRef(false);
  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    const last = Math.max(0, ...messages.keys());
    if (fromBottom.current !== null) {
      el.scrollTop = el.scrollHeight - fromBottom.current;
      fromBottom.current = null;
    } else if (last > newest.current) el.scrollTop = el.scrollHeight;
    newest.current = last;
  }, [messages]);

  const older = async () => {
    if (loadingOlder.current || messages.size === 0) return;
    loadingOlder.current = true;
    const first = Math.min(...messages.keys());
    try {
      const { data } = await api.GET('/api/rooms/{id}/messages', {
        params: { path: { id }, query: { before_seq: first, limit: 50 } },
      });
      if (data) {
        const el = list.current;
        if (el) fromBottom.current = el.scrollHeight - el.scrollTop;
        add(data.items);
        setHasMore(data.has_more);
      }
    } catch {
      setError('Older messages could not be loaded');
    } finally {
      loadingOlder.current = false;
    }
  };
  const open = () => socket.current?.readyState === WebSocket.OPEN;
  const send = () => {
    const content = text.trim();
    // Not while a file is still going up (it belongs with this message) or offline (the text
    // stays in the box).
    if ((!content && !attachment) || uploading || !open()) return;
    socket.current?.send(
      JSON.stringify({
        type: 'message',
        content,
        file_id: attachment?.id ?? null,
        client_id: crypto.randomUUID(),
      }),
    );
    setText('');
    setAttachment(null);
  };
  /** The file goes up first (POST /api/uploads); the message then carries its id. */
  const attach = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setUploading(true);
    const form = new FormData();
    form.append('file', file);
    const { data, error } = await sendForm<Upload>('/api/uploads', form).finally(() =>
      setUploading(false),
    );
    if (fileInput.current) fileInput.current.value = '';
    if (!data) return setError(error ?? 'The file could not be uploaded');
    setAttachment(data);
  };
  const now = Date.now();
  const typers = Object.entries(typing)
    .filter(([name, at]) => name !== me && now - at < 5000)
    .map(([name]) => name);
  const sorted = [...messages.values()].sort((a, b) => a.seq - b.seq);
  return (
    <section class="chat">
      <h1>{room?.name ?? 'Chat'}</h1>
      <p class="muted">
        {status === 'live'
          ? `${online.length} online: ${online.map((u) => u.username).join(', ')}`
          : status}
      </p>
      <Alert text={error} />
      {hasMore && (
        <button type="button" onClick={() => void older()}>
          Older messages
        </button>
      )}
      <ol
        class="messages"
        ref={list}
        aria-label="Conversation"
        onScroll={(e) => {
          // Near the top: the older messages, as the reader scrolls up to them.
          if (hasMore && e.currentTarget.scrollTop < 48) void older();
        }}
      >
        {sorted.map((m) => (
          <li key={m.seq} class={m.user.username === me ? 'mine' : ''}>
            <strong>{m.user.username}</strong> {m.content}
            {m.file &&
              (m.file.mime_type.startsWith('image/') ? (
                <a href={m.file.url} target="_blank" rel="noreferrer" class="attachment">
                  <img class="attachment" src={m.file.url} alt={m.file.file_name} />
                </a>
              ) : (
                <a href={m.file.url} target="_blank" rel="noreferrer" class="attachment">
                  {m.file.file_name} ({Math.ceil(m.file.size / 1024)} KB)
                </a>
              ))}
          </li>
        ))}
      </ol>
      <p class="visually-hidden" aria-live="polite">
        {heard}
      </p>
      <p class="muted" aria-live="polite">
        {typers.length > 0
          ? `${typers.join(', ')} ${typers.length > 1 ? 'are' : 'is'} typing…`
          : ' '}
      </p>
      <div class="composer">
        <label>
          Message
          <textarea
            rows={2}
            maxLength={4000}
            value={text}
            onInput={(e) => {
              setText(e.currentTarget.value);
              if (Date.now() - lastTyping.current > 2000 && open()) {
                lastTyping.current = Date.now();
                socket.current?.send(JSON.stringify({ type: 'typing', typing: true }));
              }
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                send();
              }
            }}
          />
        </label>
        <label>
          Attach file
          <input
            ref={fileInput}
            type="file"
            disabled={uploading}
            onChange={(e) => void attach(e.currentTarget.files?.[0])}
          />
        </label>
        <button type="button" onClick={send} disabled={status !== 'live' || uploading}>
          Send
        </button>
      </div>
      {(uploading || attachment) && (
        <p class="muted" role="status">
          {uploading ? 'Uploading…' : `Attached: ${attachment?.file_name ?? ''}`}{' '}
          {attachment && (
            <button type="button" class="plain" onClick={() => setAttachment(null)}>
              Remove attachment
            </button>
          )}
        </p>
      )}
    </section>
  );
}
