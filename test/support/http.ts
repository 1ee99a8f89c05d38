import { appendFileSync } from 'node:fs';

// With OPENAPI_AUDIT_FILE set, every response is recorded (one JSON line each) for
// test/openapi-audit.mjs, which checks them against the committed openapi.json.
const AUDIT_FILE = process.env.OPENAPI_AUDIT_FILE;

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  json?: unknown;
  form?: Record<string, string>;
  token?: string;
  headers?: Record<string, string>;
  body?: string;
  /** multipart/form-data (fetch sets the boundary). */
  multipart?: FormData;
}

/** A small client that sends real HTTP requests to the app listening on a loopback port. */
export class HttpClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | FormData | undefined = options.multipart ?? options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (res.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
    if (AUDIT_FILE) {
      const line = { method, path: path.split('?')[0], status: res.status, body: parsed };
      appendFileSync(AUDIT_FILE, `${JSON.stringify(line)}\n`);
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('POST', path, options);
  }
  patch<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('PATCH', path, options);
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }
  put<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('PUT', path, options);
  }

  /** The raw bytes of a GET (media files). */
  async bytes(path: string, headers: Record<string, string> = {}) {
    const res = await fetch(this.baseUrl + path, { headers });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  }
}
