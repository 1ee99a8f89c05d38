import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Post } from '../api';
import type { components } from '../api-types';
import { onLive } from '../live';
import { PostList } from '../post-list';

type Scope = 'all' | 'following';
type PostPage = components['schemas']['PostPage'];

const feedPage = (scope: Scope, cursor?: string) =>
  api.GET('/feed', { params: { query: { scope, limit: 10, ...(cursor ? { cursor } : {}) } } });
const SCOPES: Scope[] = ['all', 'following'];

/**
 * The feed: everyone's posts or those of the people I follow. Their new posts come over the
 * notifications socket and are put on top without a reload.
 */
export function Feed() {
  const [scope, setScope] = useState<Scope>('all');
  const [arrived, setArrived] = useState<Post[]>([]);
  const [refill, setRefill] = useState<PostPage | undefined>(undefined);
  /** Posts announced live since the tab was chosen, for screen readers. */
  const [announced, setAnnounced] = useState(0);
  const choose = (s: Scope) => {
    setArrived([]);
    setRefill(undefined);
    setAnnounced(0);
    setScope(s);
  };
  const scopeNow = useRef(scope);
  scopeNow.current = scope;
  useEffect(
    () =>
      onLive((f) => {
        if (f.type === 'post') {
          void api
            .GET('/posts/{id}', { params: { path: { id: f.post_id } } })
            .then(({ data }) => {
              if (!data) return;
              setArrived((old) => [data, ...old]);
              setAnnounced((n) => n + 1);
            })
            .catch(() => undefined);
        } else if (f.type === 'reconnected') {
          // Announcements made while the socket was away are lost: the newest page tells.
          const asked = scopeNow.current;
          void feedPage(asked)
            .then(({ data }) => {
              if (data && scopeNow.current === asked) setRefill(data);
            })
            .catch(() => undefined);
        }
      }),
    [],
  );
  return (
    <section>
      <h1 class="visually-hidden">Feed</h1>
      <div
        role="tablist"
        class="tabs"
        aria-label="Whose posts"
        onKeyDown={(e) => {
          // The tabs pattern: arrows move between the tabs (and choose), Tab leaves them.
          if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
          const next = scope === 'all' ? 'following' : 'all';
          choose(next);
          document.getElementById(`tab-${next}`)?.focus();
        }}
      >
        {SCOPES.map((s) => (
          <button
            key={s}
            id={`tab-${s}`}
            role="tab"
            aria-selected={scope === s}
            aria-controls="feed-panel"
            tabIndex={scope === s ? 0 : -1}
            onClick={() => choose(s)}
          >
            {s === 'all' ? 'All' : 'Following'}
          </button>
        ))}
      </div>
      <p class="visually-hidden" aria-live="polite">
        {announced > 0 ? `${announced} new ${announced === 1 ? 'post' : 'posts'}` : ''}
      </p>
      <div role="tabpanel" id="feed-panel" aria-labelledby={`tab-${scope}`}>
        <PostList
          source={scope}
          arrived={arrived}
          refill={refill}
          load={(cursor) => feedPage(scope, cursor)}
        />
      </div>
    </section>
  );
}
