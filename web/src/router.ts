import { useEffect, useState } from 'preact/hooks';

/** The current path and query; navigate() moves without a reload. */
export function useLocation(): URL {
  const [url, setUrl] = useState(() => new URL(location.href));
  useEffect(() => {
    const update = () => setUrl(new URL(location.href));
    addEventListener('popstate', update);
    addEventListener('app:navigate', update);
    return () => {
      removeEventListener('popstate', update);
      removeEventListener('app:navigate', update);
    };
  }, []);
  return url;
}

export function navigate(to: string): void {
  history.pushState(null, '', to);
  dispatchEvent(new Event('app:navigate'));
  scrollTo(0, 0);
}

/** A link that navigates inside the app (a plain link without JavaScript). */
export function onLink(e: MouseEvent): void {
  const a = (e.target as HTMLElement).closest('a');
  if (!a || a.origin !== location.origin || e.metaKey || e.ctrlKey || a.target) return;
  e.preventDefault();
  navigate(a.pathname + a.search);
}
