import { useEffect, useState } from 'preact/hooks';
import { api, auth, errorText } from '../api';
import { navigate } from '../router';
import { Alert, Field } from '../ui';

function useForm() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

/** Starts a browser session: an access token for memory, a refresh cookie for reloads. */
export async function logIn(email: string, password: string): Promise<void> {
  const { data, error } = await api.POST('/auth/session', { body: { email, password } });
  if (error || !data) throw new Error(errorText(error, 'Log in failed'));
  auth.set(data.access_token);
}

export function Login({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useForm();
  return (
    <form
      class="card narrow"
      onSubmit={(e) => {
        e.preventDefault();
        void form.run(async () => {
          await logIn(email, password);
          onSignedIn();
          navigate('/');
        });
      }}
    >
      <h1>Log in</h1>
      <Field
        label="Email"
        type="email"
        required
        autocomplete="email"
        value={email}
        onValue={setEmail}
      />
      <Field
        label="Password"
        type="password"
        required
        autocomplete="current-password"
        value={password}
        onValue={setPassword}
      />
      <Alert text={form.error} />
      <button type="submit" disabled={form.busy}>
        Log in
      </button>
      <p>
        <a href="/register">Create an account</a> ·{' '}
        <a href="/forgot-password">Forgot your password?</a>
      </p>
    </form>
  );
}

export function Register({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useForm();
  return (
    <form
      class="card narrow"
      onSubmit={(e) => {
        e.preventDefault();
        void form.run(async () => {
          const { error } = await api.POST('/auth/register', { body: { email, password } });
          if (error) throw new Error(errorText(error, 'The account could not be created'));
          await logIn(email, password);
          onSignedIn();
          navigate('/?welcome=1');
        });
      }}
    >
      <h1>Create an account</h1>
      <Field
        label="Email"
        type="email"
        required
        autocomplete="email"
        value={email}
        onValue={setEmail}
      />
      <Field
        label="Password"
        type="password"
        required
        minLength={8}
        autocomplete="new-password"
        value={password}
        onValue={setPassword}
      />
      <Alert text={form.error} />
      <button type="submit" disabled={form.busy}>
        Create account
      </button>
      <p>
        <a href="/login">I have an account</a>
      </p>
    </form>
  );
}

/** /verify?token=: where the verification email's link lands. */
export function Verify({ token }: { token: string | null }) {
  // 'working', 'done', or the error's words.
  const [state, setState] = useState<string>('working');
  useEffect(() => {
    if (!token) return setState('This link has no token.');
    void api
      .POST('/auth/verify', { body: { token } })
      .then(({ error }) => setState(error ? errorText(error, 'The link did not work') : 'done'));
  }, [token]);
  return (
    <section class="card narrow">
      <h1>Email verification</h1>
      {state === 'working' && <p>Checking…</p>}
      {state === 'done' && <p role="status">Your email address is verified.</p>}
      {state !== 'working' && state !== 'done' && <Alert text={state} />}
      <p>
        <a href="/">Go to the feed</a>
      </p>
    </section>
  );
}

export function ForgotPassword() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const form = useForm();
  return (
    <form
      class="card narrow"
      onSubmit={(e) => {
        e.preventDefault();
        void form.run(async () => {
          const { error } = await api.POST('/auth/forgot-password', { body: { email } });
          if (error) throw new Error(errorText(error));
          setSent(true);
        });
      }}
    >
      <h1>Forgot your password?</h1>
      <Field label="Email" type="email" required value={email} onValue={setEmail} />
      {sent && (
        <p role="status">If an account has this address, an email with a link is on its way.</p>
      )}
      <Alert text={form.error} />
      <button type="submit" disabled={form.busy}>
        Send the link
      </button>
    </form>
  );
}

/** /reset-password?token=: where the reset email's link lands. */
export function ResetPassword({ token }: { token: string | null }) {
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const form = useForm();
  return (
    <form
      class="card narrow"
      onSubmit={(e) => {
        e.preventDefault();
        void form.run(async () => {
          const { error } = await api.POST('/auth/reset-password', {
            body: { token: token ?? '', password },
          });
          if (error) throw new Error(errorText(error, 'The password could not be changed'));
          setDone(true);
        });
      }}
    >
      <h1>Choose a new password</h1>
      <Field
        label="Password"
        type="password"
        required
        minLength={8}
        autocomplete="new-password"
        value={password}
        onValue={setPassword}
      />
      {done && (
        <p role="status">
          Your password is changed. <a href="/login">Log in</a>
        </p>
      )}
      <Alert text={form.error} />
      <button type="submit" disabled={form.busy || done}>
        Change password
      </button>
    </form>
  );
}
