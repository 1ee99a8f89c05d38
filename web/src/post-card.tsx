import { useEffect, useState } from 'preact/hooks';
import { api, errorText, type Post } from './api';
import type { components } from './api-types';
import { Editor } from './editor';
import { Alert, plural } from './ui';

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
            <a href={`/u/${c.author.username}`}>{c.author.username}</a>{' '}
            <Caption text={c.content} inline />
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
      <Alert text={error} />
    </div>
  );
}

/** A caption or comment with its #tags and @mentions as links. */
export function Caption({ text, inline }: { text: string; inline?: boolean }) {
  const parts = text.split(/((?<![\w#])#\w{1,100}|(?<![\w.@])@[a-zA-Z0-9_.]{3,32})/g);
  const content = parts.map((part, i) =>
    i % 2 === 0 ? (
      part
    ) : part.startsWith('#') ? (
      <a key={i} href={`/tags/${encodeURIComponent(part.slice(1))}`}>
        {part}
      </a>
    ) : (
      <a key={i} href={`/u/${encodeURIComponent(part.slice(1))}`}>
        {part}
      </a>
    ),
  );
  return inline ? <span>{content}</span> : <p class="caption">{content}</p>;
}

function timeAgo(iso: string): string {
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

export function PostCard({ post, onGone }: { post: Post; onGone: (id: string) => void }) {
  const [liked, setLiked] = useState(post.liked_by_me);
  const [likes, setLikes] = useState(post.like_count);
  const [error, setError] = useState<string | null>(null);
  const [showComments, setShowComments] = useState(false);
  const [comments, setComments] = useState(post.comment_count);
  const [editing, setEditing] = useState(false);
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
        <a href={`/u/${post.author.username}`} class="author">
          {post.author.username}
        </a>{' '}
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
      {post.caption && <Caption text={post.caption} />}
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
          {plural(comments, 'comment')}
        </button>
        {post.is_owner && post.file_type === 'image' && (
          <button
            type="button"
            class="plain"
            aria-expanded={editing}
            onClick={() => setEditing((v) => !v)}
          >
            Transform
          </button>
        )}
        {post.is_owner && (
          <button type="button" class="danger" onClick={() => void remove()}>
            Delete post
          </button>
        )}
      </footer>
      {editing && <Editor post={post} />}
      {showComments && <Comments postId={post.id} onAdded={() => setComments((n) => n + 1)} />}
      <Alert text={error} />
    </article>
  );
}
