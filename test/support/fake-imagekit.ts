import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Busboy, { type BusboyHeaders } from '@fastify/busboy';
import sharp from 'sharp';

export interface FakeUpload {
  fileId: string;
  fileName: string;
  folder: string;
  filePath: string;
  bytes: Buffer;
  isPrivateFile: boolean;
  createdAt: Date;
}

type Mode = 'ok' | 'fail' | 'hang';

/**
 * A stand-in for ImageKit's upload and management APIs, for the real @imagekit/nodejs SDK
 * pointed at it with IMAGEKIT_BASE_URL. It checks the SDK's Basic auth, answers like
 * ImageKit, records what it received, and can be told to fail (500), hang, or be slow.
 */
export class FakeImageKit {
  readonly privateKey = `private_${randomBytes(8).toString('hex')}`;
  readonly publicKey = `public_${randomBytes(8).toString('hex')}`;
  /** Upload tokens already used by browser uploads (ImageKit accepts each once). */
  private readonly usedTokens = new Set<string>();
  readonly files = new Map<string, FakeUpload>();
  readonly uploads: FakeUpload[] = [];
  readonly deleted: string[] = [];
  readonly deleteAttempts: string[] = [];
  /** URLs whose CDN cache the app asked to purge. */
  readonly purged: string[] = [];
  purgeMode: Mode = 'ok';
  uploadMode: Mode = 'ok';
  /** When set, uploads fail once this many more have succeeded. */
  failUploadsAfter: number | null = null;
  deleteMode: Mode = 'ok';
  delayMs = 0;
  private server?: Server;
  private hanging: ServerResponse[] = [];

  get baseUrl(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The CDN: the stored files are served from here (GET <urlEndpoint><filePath>). */
  get urlEndpoint(): string {
    return `${this.baseUrl}/demo`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Lets go of hanging requests (their clients have usually given up already). */
  release(): void {
    for (const res of this.hanging) res.destroy();
    this.hanging = [];
  }

  private send(res: ServerResponse, status: number, body?: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname.startsWith('/demo/')) return this.serve(url, res);
    // The upload API takes uploads from pages on any origin, as ImageKit's does (an upload
    // with a progress listener is preflighted).
    if (url.pathname === '/api/v1/files/upload') {
      res.setHeader('access-control-allow-origin', '*');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
          'access-control-max-age': '600',
        });
        return void res.end();
      }
    }
    // Basic auth with the private key as user name (ImageKit ignores the password).
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    const user = Buffer.from(encoded ?? '', 'base64')
      .toString()
      .split(':')[0];
    // A browser's upload authenticates with the public key and signed parameters instead.
    const browserUpload =
      !scheme && req.method === 'POST' && url.pathname === '/api/v1/files/upload';
    if (browserUpload) return this.upload(req, res, true);
    if (scheme !== 'Basic' || user !== this.privateKey) {
      req.resume();
      return this.send(res, 401, { message: 'Your request does not contain private API key.' });
    }
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (req.method === 'POST' && url.pathname === '/api/v1/files/upload')
      return this.upload(req, res, false);
    if (req.method === 'POST' && url.pathname === '/v1/files/purge') return this.purge(req, res);
    if (req.method === 'GET' && url.pathname === '/v1/files') return this.list(url, res);
    const match = /^\/v1\/files\/([^/]+)(\/details)?$/.exec(url.pathname);
    if (match && req.method === 'DELETE' && !match[2]) return this.remove(match[1], res);
    if (match && req.method === 'GET' && match[2]) {
      const file = this.files.get(match[1]);
      return file
        ? this.send(res, 200, this.describe(file))
        : this.send(res, 404, { message: 'The requested file does not exist.' });
    }
    req.resume();
    this.send(res, 404, { message: 'Not found' });
  }

  /** The CDN: a private file only with a signature (ik-s), as ImageKit answers 401 otherwise. */
  private serve(url: URL, res: ServerResponse): void {
    const path = decodeURIComponent(url.pathname.slice('/demo'.length));
    const file = [...this.files.values()].find((f) => f.filePath === path);
    if (!file) return this.send(res, 404, { message: 'Not found' });
    if (file.isPrivateFile && !url.searchParams.get('ik-s'))
      return this.send(res, 401, { message: 'Signature required' });
    res.writeHead(200, { 'content-type': sniff(file.bytes), 'content-length': file.bytes.length });
    res.end(file.bytes);
  }

  /** What ImageKit checks of a browser's upload: the public key, and HMAC-SHA1(token + expire). */
  private browserAuthError(fields: Record<string, string>): string | null {
    const expected = createHmac('sha1', this.privateKey)
      .update(`${fields.token}${fields.expire}`)
      .digest('hex');
    if (fields.publicKey !== this.publicKey) return 'Invalid public key';
    if (!fields.token || !fields.signature || fields.signature !== expected)
      return 'Invalid signature';
    const expire = Number(fields.expire);
    const now = Date.now() / 1000;
    if (!(expire > now) || expire > now + 3600) return 'The expire parameter is not valid';
    if (this.usedTokens.has(fields.token)) return 'The token has been used before';
    this.usedTokens.add(fields.token);
    return null;
  }

  private upload(req: IncomingMessage, res: ServerResponse, fromBrowser: boolean): void {
    const fields: Record<string, string> = {};
    const chunks: Buffer[] = [];
    const parser = new Busboy({ headers: req.headers as BusboyHeaders });
    parser.on('field', (name: string, value: string) => (fields[name] = value));
    parser.on('file', (_name: string, stream: NodeJS.ReadableStream) => {
      stream.on('data', (c: Buffer) => chunks.push(c));
    });
    parser.on('finish', () => {
      const refused = fromBrowser ? this.browserAuthError(fields) : null;
      if (refused) return this.send(res, 403, { message: refused });
      if (this.uploadMode === 'hang') {
        this.hanging.push(res);
        return;
      }
      const failNow = this.failUploadsAfter !== null && this.failUploadsAfter-- <= 0;
      if (this.uploadMode === 'fail' || failNow) {
        return this.send(res, 500, { message: 'Internal server error' });
      }
      void this.finishUpload(fields, Buffer.concat(chunks), res);
    });
    req.pipe(parser);
  }

  private purge(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (this.purgeMode === 'fail') return this.send(res, 500, { message: 'Internal error' });
      const { url } = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { url?: string };
      if (!url) return this.send(res, 400, { message: 'Missing url parameter' });
      this.purged.push(url);
      this.send(res, 201, { requestId: randomBytes(12).toString('hex') });
    });
  }

  private async finishUpload(
    fields: Record<string, string>,
    bytes: Buffer,
    res: ServerResponse,
  ): Promise<void> {
    // As ImageKit: a name is required, and characters outside letters, digits and .-_ become _.
    if (!fields.fileName) {
      return this.send(res, 400, { message: 'Missing fileName parameter for upload' });
    }
    const fileId = randomBytes(12).toString('hex');
    const folder = (fields.folder ?? '/').replace(/\/+$/, '');
    const safe = fields.fileName.replace(/[^a-zA-Z0-9._-]/g, '_');
    const name = `${safe.replace(/\.[^.]+$/, '')}_${fileId.slice(0, 6)}${/\.[^.]+$/.exec(safe)?.[0] ?? ''}`;
    const upload: FakeUpload = {
      fileId,
      fileName: name,
      folder,
      filePath: `${folder}/${name}`,
      bytes,
      isPrivateFile: fields.isPrivateFile === 'true',
      createdAt: new Date(),
    };
    this.files.set(fileId, upload);
    this.uploads.push(upload);
    // Images are measured; an ISO-BMFF video is reported at 1280x720 as ImageKit would measure it.
    const isVideo = bytes.subarray(4, 8).toString('latin1') === 'ftyp';
    const meta = isVideo
      ? { width: 1280, height: 720 }
      : await sharp(bytes)
          .metadata()
          .catch(() => undefined);
    this.send(res, 200, { ...this.describe(upload), height: meta?.height, width: meta?.width });
  }

  /**
   * List and search: the part of ImageKit's query language the API uses, `type = "file"`,
   * `path : "prefix"` (the folder and its subfolders) and `createdAt < "ISO date"`, joined by
   * AND, oldest first, `limit`. As ImageKit does, folders are listed too unless the query
   * says `type = "file"` (the `type` parameter is ignored once there is a searchQuery).
   */
  private list(url: URL, res: ServerResponse): void {
    const query = url.searchParams.get('searchQuery') ?? '';
    const terms = query.split(/\s+AND\s+/).filter(Boolean);
    let path: string | undefined;
    let before: Date | undefined;
    let filesOnly = false;
    for (const term of terms) {
      const m =
        /^(path)\s*:\s*"([^"]*)"$/.exec(term) ??
        /^(createdAt)\s*<\s*"([^"]*)"$/.exec(term) ??
        /^(type)\s*=\s*"(file)"$/.exec(term);
      if (!m) return this.send(res, 400, { message: `Unsupported searchQuery: ${term}` });
      if (m[1] === 'path') path = m[2];
      else if (m[1] === 'createdAt') before = new Date(m[2]);
      else filesOnly = true;
    }
    const files = [...this.files.values()].filter(
      (f) =>
        (path === undefined || f.filePath.startsWith(path)) && (!before || f.createdAt < before),
    );
    // A folder is as old as its oldest file here (ImageKit: when it was made, before them).
    const folders = new Map<string, Date>();
    for (const f of filesOnly ? [] : files) {
      const at = folders.get(f.folder);
      if (!at || f.createdAt < at) folders.set(f.folder, f.createdAt);
    }
    const entries = [
      ...[...folders].map(([folderPath, createdAt]) => ({
        createdAt,
        body: {
          type: 'folder',
          name: folderPath.split('/').pop(),
          folderPath,
          folderId: folderPath,
        },
      })),
      ...files.map((f) => ({
        createdAt: f.createdAt,
        body: { type: 'file', ...this.describe(f) },
      })),
    ]
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, Number(url.searchParams.get('limit') ?? 1000));
    this.send(
      res,
      200,
      entries.map((e) => ({ ...e.body, createdAt: e.createdAt.toISOString() })),
    );
  }

  private remove(fileId: string, res: ServerResponse): void {
    this.deleteAttempts.push(fileId);
    if (this.deleteMode === 'hang') {
      this.hanging.push(res);
      return;
    }
    if (this.deleteMode === 'fail')
      return this.send(res, 500, { message: 'Internal server error' });
    if (!this.files.delete(fileId))
      return this.send(res, 404, { message: 'The requested file does not exist.' });
    this.deleted.push(fileId);
    res.writeHead(204).end();
  }

  private describe(file: FakeUpload) {
    return {
      fileId: file.fileId,
      name: file.fileName,
      filePath: file.filePath,
      url: `${this.urlEndpoint}${file.filePath}`,
      thumbnailUrl: `${this.urlEndpoint}/tr:n-ik_ml_thumbnail${file.filePath}`,
      size: file.bytes.length,
      isPrivateFile: file.isPrivateFile,
      mime: sniff(file.bytes),
      fileType: sniff(file.bytes).startsWith('image/') ? 'image' : 'non-image',
      versionInfo: { id: file.fileId, name: 'Version 1' },
    };
  }
}

/** The MIME type of the formats the tests upload, by their first bytes (as ImageKit reports it). */
function sniff(bytes: Buffer): string {
  const ascii = (from: number, to: number) => bytes.subarray(from, to).toString('latin1');
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (ascii(1, 4) === 'PNG') return 'image/png';
  if (ascii(0, 4) === 'GIF8') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(4, 8) === 'ftyp') return /^avi[fs]/.test(ascii(8, 12)) ? 'image/avif' : 'video/mp4';
  if (bytes.readUInt32BE(0) === 0x1a45dfa3) return 'video/webm';
  if (ascii(0, 5) === '%PDF-') return 'application/pdf';
  return 'application/octet-stream';
}
