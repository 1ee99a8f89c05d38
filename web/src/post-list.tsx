import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { errorText, type Post } from './api';
import type { components } from './api-types';
import { PostCard } from './post-card';
import { Alert } from './ui';

type PostPage = components['schemas']['PostPage'];
type PageLoader = (cursor?: string) => Promise<{ data?: PostPage; error?: unknown }>;

/**
 * Pages of posts with infinite scroll (and a "Load more" button for keyboards). `source`
 * names what is listed: a new source starts over. Posts handed in through `arrived` join
 * the list in their place by time (new ones on top), once each.
 */
export function PostList({
  source,
  load,
  arrived = [],
  refill,
  empty = 'No posts yet.',
}: {
  source: string;
  load: PageLoader;
  arrived?: Post[];
  /** The newest page read again (after a break in live updates). */
  refill?: PostPage;
  empty?: string;
}) {
  const [posts, setPosts] = useState<Post[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);
  const sentinel = useRef<HTMLDivElement>(null);
  const generation = useRef(0);
  /** Deleted here: never put back by a later arrival. */
  const removed = useRef(new Set<string>());

  const next = async (reset: boolean, from?: string | null) => {
    if (busy.current && !reset) return;
    if (!reset && !from) return;
    busy.current = true;
    const mine = ++generation.current;
    try {
      const { data, error } = await load(reset ? undefined : (from ?? undefined));
      if (mine !== generation.current) return;
      if (!data) return setError(errorText(error, 'The posts could not be loaded'));
      setError(null);
      setPosts((old) => {
        if (reset) return data.items;
        const seen = new Set(old.map((p) => p.id));
        return [...old, ...data.items.filter((p) => !seen.has(p.id))];
      });
      setCursor(data.next_cursor);
    } catch {
      if (mine === generation.current) setError('The server could not be reached');
    } finally {
      // Only the latest request frees the list (an older one was superseded by a reset).
      if (mine === generation.current) busy.current = false;
    }
  };

  // A layout effect: the first page is asked for as soon as the list mounts, not a frame
  // later (the feed's request then runs beside /users/me, not after it).
  useLayoutEffect(() => {
    setPosts([]);
    setCursor(undefined);
    void next(true);
  }, [source]);

  useEffect(() => {
    if (arrived.length === 0) return;
    setPosts((old) => merge(old, arrived, removed.current));
  }, [arrived]);

  useEffect(() => {
    if (!refill) return;
    const seen = new Set(posts.map((p) => p.id));
    const newest = posts[0]?.created_at ?? '';
    const oldestRead = refill.items.at(-1)?.created_at ?? '';
    // The whole page is newer than anything listed and more follows it: posts between the two
    // would never be reached by scrolling on. Start over from this page instead.
    if (refill.next_cursor && !refill.items.some((p) => seen.has(p.id)) && oldestRead > newest) {
      generation.current++;
      busy.current = false;
      setPosts(refill.items.filter((p) => !removed.current.has(p.id)));
      setCursor(refill.next_cursor);
    } else setPosts((old) => merge(old, refill.items, removed.current));
    // Only a new page matters here (posts is read as it is now).
  }, [refill]);

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !cursor) return;
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void next(false, cursor);
    });
    seen.observe(el);
    return () => seen.disconnect();
  }, [cursor, source]);

  return (
    <div class="post-list">
      <Alert text={error} />
      {posts.map((p) => (
        <PostCard
          key={p.id}
          post={p}
          onGone={(id) => {
            removed.current.add(id);
            setPosts((all) => all.filter((x) => x.id !== id));
          }}
        />
      ))}
      {posts.length === 0 && cursor === null && <p>{empty}</p>}
      <div ref={sentinel} class="sentinel" />
      {cursor && (
        <button type="button" class="plain" onClick={() => void next(false, cursor)}>
          Load more
        </button>
      )}
    </div>
  );
}

/** `added` joined to `listed` in their place by time, newest first, each post once. */
function merge(listed: Post[], added: Post[], removed: Set<string>): Post[] {
  const seen = new Set(listed.map((p) => p.id));
  const fresh = added.filter(
    (p) => !seen.has(p.id) && !removed.has(p.id) && (seen.add(p.id), true),
  );
  if (fresh.length === 0) return listed;
  return [...fresh, ...listed].sort(
    (a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id),
  );
}
