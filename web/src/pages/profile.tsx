import { useEffect, useState } from 'preact/hooks';
import { api, errorText, type Me, sendForm } from '../api';
import type { components } from '../api-types';
import { PostList } from '../post-list';
import { logIn } from './account';
import { Alert, Avatar, Field, plural } from '../ui';

type Profile = components['schemas']['PublicUserResponse'];

/** /u/{username}: avatar, bio, counts, follow or unfollow, and the user's posts. */
export function UserProfile({ username, me }: { username: string; me: Me | null }) {
  const [user, setUser] = useState<Profile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [followError, setFollowError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    // Only the answer for the profile asked for last is shown.
    let current = true;
    setUser(null);
    setError(null);
    setFollowError(null);
    api
      .GET('/profiles/{username}', { params: { path: { username } } })
      .then(({ data, error }) => {
        if (!current) return;
        if (data) setUser(data);
        else setError(errorText(error, 'User not found'));
      })
      .catch(() => current && setError('The server could not be reached'));
    return () => {
      current = false;
    };
  }, [username]);
  if (error) return <Alert text={error} />;
  if (!user) return <p class="muted">Loading…</p>;
  const mine = me?.id === user.id;
  const toggleFollow = async () => {
    const path = '/users/{id}/follow' as const;
    const params = { params: { path: { id: user.id } } };
    const following = Boolean(user.is_following);
    setBusy(true);
    setFollowError(null);
    const { error } = await (following ? api.DELETE(path, params) : api.POST(path, params))
      .catch(() => ({ error: { detail: 'The server could not be reached' } }))
      .finally(() => setBusy(false));
    if (error) return setFollowError(errorText(error));
    setUser({
      ...user,
      is_following: !following,
      follower_count: user.follower_count + (following ? -1 : 1),
    });
  };
  return (
    <section>
      <header class="card profile">
        <Avatar url={user.avatar_url} name={user.username} size={72} />
        <div>
          <h1>{user.username}</h1>
          {user.bio && <p>{user.bio}</p>}
          <p class="counts">
            <span>{plural(user.post_count, 'post')}</span>{' '}
            <span>{plural(user.follower_count, 'follower')}</span>{' '}
            <span>{user.following_count} following</span>
            {user.follows_you && <span class="badge">Follows you</span>}
          </p>
          {mine ? (
            <a href="/settings">Edit profile</a>
          ) : (
            <button
              type="button"
              aria-pressed={Boolean(user.is_following)}
              disabled={busy}
              onClick={() => void toggleFollow()}
            >
              {user.is_following ? 'Unfollow' : 'Follow'}
            </button>
          )}
          <Alert text={followError} />
        </div>
      </header>
      <PostList
        source={user.id}
        load={(cursor) =>
          api.GET('/users/{id}/posts', {
            params: { path: { id: user.id }, query: { limit: 10, ...(cursor ? { cursor } : {}) } },
          })
        }
      />
    </section>
  );
}

/** /settings: username, bio and avatar; email and password with the current password. */
export function Settings({ me, onChanged }: { me: Me; onChanged: () => void }) {
  const [username, setUsername] = useState(me.username);
  const [bio, setBio] = useState(me.bio ?? '');
  const [email, setEmail] = useState(me.email);
  const [password, setPassword] = useState('');
  const [current, setCurrent] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setStatus(null);
    setError(null);
    const body: components['schemas']['UpdateMeDto'] = {};
    if (username !== me.username) body.username = username;
    if (bio !== (me.bio ?? '')) body.bio = bio || null;
    if (email !== me.email) body.email = email;
    if (password) body.password = password;
    if ((body.email || body.password) && current) body.current_password = current;
    if (Object.keys(body).length === 0) return setStatus('Nothing to change');
    const { data, error } = await api.PATCH('/users/me', { body });
    if (!data) return setError(errorText(error));
    // A new password ends every session, this one too: a new one starts with it.
    if (body.password) await logIn(data.email, body.password).catch(() => undefined);
    setPassword('');
    setCurrent('');
    setStatus(body.email ? 'Saved. Check your new address for a verification email.' : 'Saved');
    onChanged();
  };
  const avatar = async (file: File | undefined) => {
    if (!file) return;
    setStatus(null);
    setError(null);
    const form = new FormData();
    form.append('file', file);
    const { error } = await sendForm('/users/me/avatar', form);
    if (error) return setError(error);
    setStatus('Avatar updated');
    onChanged();
  };
  return (
    <section class="card narrow">
      <h1>Settings</h1>
      <div class="row">
        <Avatar url={me.avatar_url} name={me.username} size={64} />
        <label>
          Avatar
          <input
            type="file"
            accept="image/jpeg,image/png,image/gif,image/webp,image/avif"
            onChange={(e) => void avatar(e.currentTarget.files?.[0])}
          />
        </label>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Field
          label="Username"
          required
          pattern="[a-zA-Z0-9_.]{3,32}"
          autocomplete="username"
          value={username}
          onValue={setUsername}
        />
        <label>
          Bio
          <textarea maxLength={500} value={bio} onInput={(e) => setBio(e.currentTarget.value)} />
        </label>
        <Field
          label="Email"
          type="email"
          required
          autocomplete="email"
          value={email}
          onValue={setEmail}
        />
        <Field
          label="New password"
          type="password"
          autocomplete="new-password"
          minLength={8}
          value={password}
          onValue={setPassword}
        />
        <label>
          Current password
          <input
            type="password"
            autocomplete="current-password"
            value={current}
            onInput={(e) => setCurrent(e.currentTarget.value)}
          />
          <small class="muted">Needed to change the email or the password.</small>
        </label>
        <Alert text={error} />
        {status && (
          <p role="status" class="notice">
            {status}
          </p>
        )}
        <button type="submit">Save</button>
      </form>
      <p>
        <a href={`/u/${me.username}`}>View my profile</a>
      </p>
    </section>
  );
}
