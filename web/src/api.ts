import createClient from 'openapi-fetch';
import type { components, paths } from './api-types';

export type Post = components['schemas']['PostResponse'];
export type Me = components['schemas']['UserResponse'];

/** The access token lives in this tab's session only (never in a cookie a page could send). */
const TOKEN_KEY = 'media-chat.token';

export const auth = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set(token: string | null): void {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
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
