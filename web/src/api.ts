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

/**
 * Set while a logout is on its way: a reload or a closed tab can cut the request short, so
 * the next page load of this browser (any tab) finishes it before it looks for a session.
 */
const LOGGING_OUT = 'mc_logging_out';
/** How long to wait before asking again when the server says so (429), at most. */
const MAX_RETRY_AFTER_S = 60;

let refreshing: Promise<boolean> | null = null;

function retryAfterMs(res: Response, fallbackS: number): number {
  const seconds = Number(res.headers.get('retry-after'));
  return (
    Math.min(Number.isFinite(seconds) && seconds > 0 ? seconds : fallbackS, MAX_RETRY_AFTER_S) *
    1000
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function refreshOnce(): Promise<boolean> {
  if (localStorage.getItem(LOGGING_OUT)) {
    await endSession();
    return false;
  }
  for (;;) {
    const res = await fetch('/auth/jwt/refresh', { method: 'POST' }).catch(() => null);
    // Too many refreshes (reloads, tabs): the session is intact. Without a token the page
    // has nothing to show yet, so it waits its turn rather than send the person to log in.
    if (res?.status === 429 && !accessToken) {
      await sleep(retryAfterMs(res, 5));
      continue;
    }
    // Offline, the server unavailable or busy: the token held may still be good; only a
    // refusal (401: no session, or a revoked one) ends it.
    if (!res || (!res.ok && res.status !== 401)) {
      if (accessToken) {
        clearTimeout(renewTimer);
        renewTimer = setTimeout(
          () => void auth.refresh(),
          res?.status === 429 ? retryAfterMs(res, 30) : 30_000,
        );
      }
      return Boolean(accessToken);
    }
    const body = res.ok ? ((await res.json()) as { access_token?: string }) : null;
    auth.set(body?.access_token ?? null);
    return Boolean(body?.access_token);
  }
}

export const auth = {
  get token(): string | null {
    return accessToken;
  },
  set(token: string | null): void {
    accessToken = token;
    clearTimeout(renewTimer);
    if (token) renewTimer = setTimeout(() => void auth.refresh(), RENEW_MS);
  },
  /**
   * A new access token from the session cookie (true), or no session (false). Callers at the
   * same time share one request: two would present one refresh token twice.
   */
  refresh(): Promise<boolean> {
    refreshing ??= refreshOnce().finally(() => (refreshing = null));
    return refreshing;
  },
};

/**
 * Logs out: ends the session on the server (its refresh tokens and the access tokens it
 * gave) and forgets the token here. The request survives the page being reloaded or closed
 * (keepalive), and a page load that finds it unfinished sends it again before anything else.
 */
export async function endSession(): Promise<void> {
  localStorage.setItem(LOGGING_OUT, '1');
  auth.set(null);
  const res = await fetch('/auth/session', { method: 'DELETE', keepalive: true }).catch(() => null);
  if (res?.ok) localStorage.removeItem(LOGGING_OUT);
}

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

/** A multipart POST with upload progress (fetch has none): the status and the JSON answer. */
function postWithProgress(
  url: string,
  form: FormData,
  onProgress: (fraction: number) => void,
  bearer: boolean,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (bearer && auth.token) xhr.setRequestHeader('authorization', `Bearer ${auth.token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('The upload could not reach the server'));
    xhr.send(form);
  });
}

type UploadAuth = components['schemas']['UploadAuthResponse'];

/** Set once the server says it stores media itself (no direct uploads to ask for again). */
let directUnavailable = false;

async function directUploadAuth(): Promise<UploadAuth | null> {
  if (directUnavailable) return null;
  const { data, response } = await api.GET('/media/upload-auth');
  if (response.status === 404) directUnavailable = true;
  return data ?? null;
}

/**
 * Uploads a post with progress: straight to ImageKit when the server uses it (the file does
 * not pass through the API on the way up), through POST /upload otherwise.
 */
export async function uploadPost(
  file: File,
  caption: string,
  onProgress: (fraction: number) => void,
): Promise<Post> {
  const direct = await directUploadAuth();
  if (direct) {
    if (file.size > direct.max_file_size)
      throw new Error(
        `The file is too large: at most ${Math.floor(direct.max_file_size / 1048576)} MB`,
      );
    if (!direct.accepted_types.includes(file.type))
      throw new Error('This type of file is not accepted: images and videos only');
    const form = new FormData();
    form.append('file', file);
    form.append('fileName', file.name);
    form.append('folder', direct.folder);
    form.append('publicKey', direct.public_key);
    form.append('token', direct.token);
    form.append('expire', String(direct.expire));
    form.append('signature', direct.signature);
    const sent = await postWithProgress(direct.upload_url, form, onProgress, false);
    const fileId = (sent.body as { fileId?: string } | null)?.fileId;
    if (sent.status !== 200 || !fileId)
      throw new Error(
        (sent.body as { message?: string } | null)?.message ?? `Upload failed (${sent.status})`,
      );
    const { data, error } = await api.POST('/posts', { body: { file_id: fileId, caption } });
    if (!data) throw new Error(errorText(error, 'The post could not be made'));
    return data;
  }
  const form = new FormData();
  form.append('caption', caption);
  form.append('file', file);
  const { status, body } = await postWithProgress('/upload', form, onProgress, true);
  if (status !== 201) throw new Error(errorText(body, `Upload failed (${status})`));
  return body as Post;
}

/** A multipart POST (avatars, chat files) with the Bearer token: the JSON answer or an error. */
export async function sendForm<T>(
  path: string,
  form: FormData,
): Promise<{ data?: T; error?: string }> {
  const res = await fetch(path, {
    method: 'POST',
    body: form,
    headers: auth.token ? { authorization: `Bearer ${auth.token}` } : {},
  }).catch(() => null);
  if (!res) return { error: 'The server could not be reached' };
  const body: unknown = await res.json().catch(() => null);
  return res.ok ? { data: body as T } : { error: errorText(body, `Failed (${res.status})`) };
}
