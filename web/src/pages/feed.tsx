import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, errorText, type Post } from '../api';
import type { components } from '../api-types';

type Comment = components['schemas']['CommentResponse'];

/** A post's comments (oldest first) and a box to add one. */
function Comments({ postId, onAdded }: { postId: string; onAdded: () => void }) {
  const [items, setItems] = useState<Comment[]>([]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api
      .GET('/posts/{id}/comments', { params: { path: { id: postId }, query: { limit: 50 } } })
      .then(({ data, error }) => {
        if (!data) return setError(errorText(error, 'Comments could not be loaded'));
        // Merged, not replaced: a comment added while the list was loading stays.
        setItems((added) => {
          const listed = new Set(data.items.map((c) => c.id));
          return [...data.items, ...added.filter((c) => !listed.has(c.id))];
        });
      });
  }, [postId]);
  return (
    <div class="comments">
      <ul aria-label="Comments">
        {items.map((c) => (
          <li key={c.id}>
            <strong>{c.author.username}</strong> {c.content}
          </li>
        ))}
      </ul>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          const content = text.trim();
          if (!content) return;
          void api
            .POST('/posts/{id}/comments', { params: { path: { id: postId } }, body: { content } })
            .then(({ data, error }) => {
              if (!data) return setError(errorText(error));
              setItems((all) => [...all, data]);
              setText('');
              onAdded();
            });
        }}
      >
        <label>
          Comment
          <input maxLength={2200} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <button type="submit">Add comment</button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </div>
  );
}

function timeAgo(iso: string): string {
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

function PostCard({ post, onGone }: { post: Post; onGone: (id: string) => void }) {
  const [liked, setLiked] = useState(post.liked_by_me);
  const [likes, setLikes] = useState(post.like_count);
  const [error, setError] = useState<string | null>(null);
  const [showComments, setShowComments] = useState(false);
  const [comments, setComments] = useState(post.comment_count);
  const toggleLike = async () => {
    const next = !liked;
    setLiked(next);
    setLikes((n) => n + (next ? 1 : -1));
    const path = '/posts/{id}/like' as const;
    const params = { params: { path: { id: post.id } } };
    const { error } = next ? await api.POST(path, params) : await api.DELETE(path, params);
    if (error) {
      setLiked(!next);
      setLikes((n) => n + (next ? -1 : 1));
      setError(errorText(error));
    }
  };
  const remove = async () => {
    if (!confirm('Delete this post?')) return;
    const { error } = await api.DELETE('/posts/{id}', { params: { path: { id: post.id } } });
    if (error) setError(errorText(error));
    else onGone(post.id);
  };
  const alt = post.caption || `A ${post.file_type} by ${post.author.username}`;
  return (
    <article class="post" aria-label={`Post by ${post.author.username}`}>
      <header>
        <strong>{post.author.username}</strong>{' '}
        <time dateTime={post.created_at}>{timeAgo(post.created_at)}</time>
      </header>
      {post.file_type === 'image' ? (
        <img
          src={post.url}
          alt={alt}
          width={post.width ?? undefined}
          height={post.height ?? undefined}
          loading="lazy"
        />
      ) : (
        <video
          src={post.url}
          poster={post.thumbnail_url ?? undefined}
          controls
          preload="metadata"
          aria-label={alt}
        />
      )}
      {post.caption && <p class="caption">{post.caption}</p>}
      <footer>
        <button type="button" aria-pressed={liked} onClick={() => void toggleLike()}>
          {liked ? '♥' : '♡'} Like <span class="count">{likes}</span>
        </button>
        <button
          type="button"
          class="plain"
          aria-expanded={showComments}
          onClick={() => setShowComments((v) => !v)}
        >
          {comments} {comments === 1 ? 'comment' : 'comments'}
        </button>
        {post.is_owner && (
          <button type="button" class="danger" onClick={() => void remove()}>
            Delete post
          </button>
        )}
      </footer>
      {showComments && <Comments postId={post.id} onAdded={() => setComments((n) => n + 1)} />}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </article>
  );
}

export function Feed() {
  const [scope, setScope] = useState<'all' | 'following'>('all');
  const [posts, setPosts] = useState<Post[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(false);
  const sentinel = useRef<HTMLDivElement>(null);

  const load = useCallback(
    async (reset: boolean) => {
      if (loading.current || (!reset && cursor === null)) return;
      loading.current = true;
      const { data, error } = await api.GET('/feed', {
        params: { query: { scope, limit: 10, ...(reset || !cursor ? {} : { cursor }) } },
      });
      loading.current = false;
      if (error || !data) return setError(errorText(error, 'The feed could not be loaded'));
      setPosts((old) => (reset ? data.items : [...old, ...data.items]));
      setCursor(data.next_cursor);
    },
    [scope, cursor],
  );

  // A layout effect: the first page is asked for as soon as the feed mounts, not a frame
  // later (the feed's request then runs beside /users/me, not after it).
  useLayoutEffect(() => {
    setPosts([]);
    setCursor(undefined);
    void load(true);
    // A new scope starts over (load is deliberately not a dependency: it changes per page).
  }, [scope]);

  useEffect(() => {
    const el = sentinel.current;
    if (!el) return;
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && cursor) void load(false);
    });
    seen.observe(el);
    return () => seen.disconnect();
  }, [cursor, load]);

  return (
    <section>
      <div role="tablist" class="tabs">
        {(['all', 'following'] as const).map((s) => (
          <button key={s} role="tab" aria-selected={scope === s} onClick={() => setScope(s)}>
            {s === 'all' ? 'All' : 'Following'}
          </button>
        ))}
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {posts.map((p) => (
        <PostCard
          key={p.id}
          post={p}
          onGone={(id) => setPosts((all) => all.filter((x) => x.id !== id))}
        />
      ))}
      {posts.length === 0 && cursor === null && <p>No posts yet.</p>}
      <div ref={sentinel} class="sentinel" />
      {cursor && (
        <button type="button" onClick={() => void load(false)}>
          Load more
        </button>
      )}
    </section>
  );
}
