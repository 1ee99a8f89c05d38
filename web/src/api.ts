import createClient from 'openapi-fetch';
import type { components, paths } from './api-types';

export type Post = components['schemas']['PostResponse'];
export type Me = components['schemas']['UserResponse'];

/**
 * The access token lives in this page's memory only; the session's refresh token is an
 * httpOnly cookie the page cannot read, sent only to /auth (POST /auth/jwt/refresh).
 */
let accessToken: string | null = null;
let renewTimer: ReturnType<typeof setTimeout> | undefined;
/** Access tokens of sessions last 15 minutes: renewed well before. */
const RENEW_MS = 10 * 60 * 1000;

export const auth = {
  get token(): string | null {
    return accessToken;
  },
  set(token: string | null): void {
    accessToken = token;
    clearTimeout(renewTimer);
    if (token) renewTimer = setTimeout(() => void auth.refresh(), RENEW_MS);
  },
  /** A new access token from the session cookie (true), or no session (false). */
  async refresh(): Promise<boolean> {
    const res = await fetch('/auth/jwt/refresh', { method: 'POST' }).catch(() => null);
    const body = res?.ok ? ((await res.json()) as { access_token?: string }) : null;
    auth.set(body?.access_token ?? null);
    return Boolean(body?.access_token);
  },
};

/** The API, typed from openapi.json; the Bearer token is added to every call. */
export const api = createClient<paths>({ baseUrl: location.origin });
api.use({
  onRequest({ request }) {
    if (auth.token) request.headers.set('authorization', `Bearer ${auth.token}`);
    return request;
  },
});

/** The words of an API error (its `detail`), for people. */
export function errorText(error: unknown, fallback = 'Something went wrong'): string {
  const detail = (error as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' ? detail : fallback;
}

/** Uploads a post with progress (fetch has no upload progress): resolves with the post. */
export function uploadPost(
  file: File,
  caption: string,
  onProgress: (fraction: number) => void,
): Promise<Post> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/upload');
    if (auth.token) xhr.setRequestHeader('authorization', `Bearer ${auth.token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON
      }
      if (xhr.status === 201) resolve(body as Post);
      else reject(new Error(errorText(body, `Upload failed (${xhr.status})`)));
    };
    xhr.onerror = () => reject(new Error('The upload could not reach the server'));
    const form = new FormData();
    form.append('caption', caption);
    form.append('file', file);
    xhr.send(form);
  });
}
