import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api';
import type { components } from '../api-types';
import { PostList } from '../post-list';
import { navigate } from '../router';
import { Alert, Avatar, Field } from '../ui';

type UserCard = components['schemas']['PublicUserCard'];

/** The search box of the navigation: it opens /search?q=. */
export function SearchBox() {
  const [q, setQ] = useState('');
  return (
    <form
      role="search"
      class="search"
      onSubmit={(e) => {
        e.preventDefault();
        const query = q.trim();
        if (query) navigate(`/search?q=${encodeURIComponent(query)}`);
      }}
    >
      <Field
        label="Search"
        type="search"
        minLength={2}
        maxLength={100}
        placeholder="People, posts, #tags"
        value={q}
        onValue={setQ}
      />
    </form>
  );
}

/** /search?q=: people, then posts whose caption matches. A #tag goes to its page. */
export function Search({ q }: { q: string }) {
  const [people, setPeople] = useState<UserCard[]>([]);
  const [error, setError] = useState<string | null>(null);
  const query = q.trim();
  useEffect(() => {
    // A #tag is the tag's page; replacing this entry keeps Back working.
    if (/^#\w+$/.test(query)) {
      history.replaceState(null, '', `/tags/${encodeURIComponent(query.slice(1))}`);
      dispatchEvent(new Event('app:navigate'));
      return;
    }
    let current = true;
    setPeople([]);
    setError(null);
    if (query.length < 2) return;
    api
      .GET('/search/users', { params: { query: { q: query, limit: 10 } } })
      .then(({ data, error }) => {
        if (!current) return;
        if (data) setPeople(data.items);
        else setError(errorText(error, 'Search failed'));
      })
      .catch(() => current && setError('The server could not be reached'));
    return () => {
      current = false;
    };
  }, [query]);
  if (query.length < 2) return <p>Type at least 2 characters to search.</p>;
  return (
    <section>
      <h1>Results for “{query}”</h1>
      <Alert text={error} />
      <h2>People</h2>
      <ul class="people" aria-label="People">
        {people.map((u) => (
          <li key={u.id}>
            <Avatar url={u.avatar_url} name={u.username} size={32} />
            <a href={`/u/${u.username}`}>{u.username}</a>
            {u.bio && <span class="muted"> {u.bio}</span>}
          </li>
        ))}
        {people.length === 0 && <li>No one found.</li>}
      </ul>
      <h2>Posts</h2>
      <PostList
        source={`search:${query}`}
        empty="No posts found."
        load={(cursor) =>
          api.GET('/search/posts', {
            params: { query: { q: query, limit: 10, ...(cursor ? { cursor } : {}) } },
          })
        }
      />
    </section>
  );
}

/** /tags/{tag}: the hashtag's posts, newest first. */
export function Tag({ tag }: { tag: string }) {
  return (
    <section>
      <h1>#{tag}</h1>
      <PostList
        source={`tag:${tag}`}
        empty="No posts with this tag yet."
        load={(cursor) =>
          api.GET('/tags/{tag}/posts', {
            params: { path: { tag }, query: { limit: 10, ...(cursor ? { cursor } : {}) } },
          })
        }
      />
    </section>
  );
}
