import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, auth, endSession, type Me } from './api';
import { Bell } from './bell';
import { ForgotPassword, Login, Register, ResetPassword, Verify } from './pages/account';
import { ChatRoom, Rooms } from './pages/chat';
import { Feed } from './pages/feed';
import { Settings, UserProfile } from './pages/profile';
import { Search, SearchBox, Tag } from './pages/search';
import { Upload } from './pages/upload';
import { navigate, onLink, useLocation } from './router';
import './styles.css';

/** A path segment as typed; one that is not valid percent-encoding is taken as it is. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function App() {
  const url = useLocation();
  const [me, setMe] = useState<Me | null>(null);
  const [checked, setChecked] = useState(false);
  const [signedIn, setSignedIn] = useState(false);
  const refreshMe = () => {
    void (async () => {
      // A reload keeps no token: the session cookie gives a new one.
      if (!auth.token) await auth.refresh();
      // Pages render now: the feed loads alongside /users/me, not after it.
      setSignedIn(Boolean(auth.token));
      setChecked(true);
      const { data } = auth.token ? await api.GET('/users/me') : { data: undefined };
      if (!data) {
        auth.set(null);
        setSignedIn(false);
      }
      setMe(data ?? null);
    })();
  };
  useEffect(refreshMe, []);
  const path = url.pathname;
  const token = url.searchParams.get('token');
  const open: Record<string, () => preact.JSX.Element> = {
    '/login': () => <Login onSignedIn={refreshMe} />,
    '/register': () => <Register onSignedIn={refreshMe} />,
    '/verify': () => <Verify token={token} />,
    '/forgot-password': () => <ForgotPassword />,
    '/reset-password': () => <ResetPassword token={token} />,
  };
  let page: preact.JSX.Element | null = open[path]?.() ?? null;
  if (!page && checked) {
    if (!signedIn) {
      page = <Login onSignedIn={refreshMe} />;
    } else if (path === '/upload') page = <Upload />;
    else if (path.startsWith('/u/'))
      page = <UserProfile username={decoded(path.slice(3))} me={me} />;
    else if (path === '/settings') page = me ? <Settings me={me} onChanged={refreshMe} /> : null;
    else if (path === '/search') page = <Search q={url.searchParams.get('q') ?? ''} />;
    else if (path.startsWith('/tags/')) page = <Tag tag={decoded(path.slice(6))} />;
    else if (path === '/chat') page = <Rooms />;
    else if (path.startsWith('/chat/'))
      page = <ChatRoom key={path} id={path.slice(6)} me={me?.username ?? ''} />;
    else page = <Feed />;
  }
  const logOut = async () => {
    await endSession();
    setMe(null);
    setSignedIn(false);
    navigate('/login');
  };
  return (
    <div class="layout" onClick={onLink}>
      <nav aria-label="Main">
        <a href="/" class="brand">
          Media Chat
        </a>
        {signedIn ? (
          <>
            <a href="/">Feed</a>
            <a href="/upload">New post</a>
            <a href="/chat">Chat</a>
            {me && <a href={`/u/${me.username}`}>Profile</a>}
            <a href="/settings">Settings</a>
            <SearchBox />
            <span class="me">{me?.username}</span>
            {me && <Bell />}
            <button type="button" onClick={() => void logOut()}>
              Log out
            </button>
          </>
        ) : (
          <>
            <a href="/login">Log in</a>
            <a href="/register">Create account</a>
          </>
        )}
      </nav>
      <main>
        {me && !me.is_verified && url.searchParams.get('welcome') && (
          <p role="status" class="notice">
            Welcome! Check your email to verify your address.
          </p>
        )}
        {page}
      </main>
    </div>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
