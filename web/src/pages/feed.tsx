import { useEffect, useState } from 'preact/hooks';
import { api, type Post } from '../api';
import { onLive } from '../live';
import { PostList } from '../post-list';

/**
 * The feed: everyone's posts or those of the people I follow. Their new posts come over the
 * notifications socket and are put on top without a reload.
 */
export function Feed() {
  const [scope, setScope] = useState<'all' | 'following'>('all');
  const [arrived, setArrived] = useState<Post[]>([]);
  useEffect(
    () =>
      onLive((f) => {
        if (f.type !== 'post') return;
        void api.GET('/posts/{id}', { params: { path: { id: f.post_id } } }).then(({ data }) => {
          if (data) setArrived((old) => [data, ...old]);
        });
      }),
    [],
  );
  return (
    <section>
      <h1 class="visually-hidden">Feed</h1>
      <div role="tablist" class="tabs" aria-label="Whose posts">
        {(['all', 'following'] as const).map((s) => (
          <button
            key={s}
            role="tab"
            aria-selected={scope === s}
            onClick={() => {
              setArrived([]);
              setScope(s);
            }}
          >
            {s === 'all' ? 'All' : 'Following'}
          </button>
        ))}
      </div>
      <p class="visually-hidden" aria-live="polite">
        {arrived.length > 0 ? `${arrived.length} new posts` : ''}
      </p>
      <PostList
        source={scope}
        arrived={arrived}
        load={(cursor) =>
          api.GET('/feed', {
            params: { query: { scope, limit: 10, ...(cursor ? { cursor } : {}) } },
          })
        }
      />
    </section>
  );
}
