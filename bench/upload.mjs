// npm run bench:upload -- [--size-mib 50] [--concurrency 4]
// Uploads large videos concurrently to POST /upload (local media driver) and reports the
// server's peak resident memory: uploads are streamed to disk, never buffered whole.
import { openAsBlob, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freshDatabase, mb, signUp, startApp } from './lib.mjs';

const { values } = parseArgs({
  options: { 'size-mib': { type: 'string', default: '50' }, concurrency: { type: 'string', default: '4' } },
});
const SIZE = Number(values['size-mib']) * 1024 * 1024;
const CONCURRENCY = Number(values.concurrency);

// An MP4 (ftyp box) padded to SIZE bytes minus a little multipart overhead.
const file = join(tmpdir(), `bench-upload-${process.pid}.mp4`);
const ftyp = Buffer.from('000000206674797069736f6d0000020069736f6d69736f32617663316d703431', 'hex');
writeFileSync(file, Buffer.concat([ftyp, Buffer.alloc(SIZE - ftyp.length - 4096, 7)]));

const status = (pid) => readFileSync(`/proc/${pid}/status`, 'utf8');
const kb = (text, key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? 0) * 1024;

const database = await freshDatabase('bench_upload');
const app = await startApp({
  MAX_UPLOAD_BYTES: String(SIZE + 1024 * 1024),
  ...(database.url ? { DATABASE_URL: database.url } : {}),
});
console.log(`database: ${database.url ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite, in the server process'}`);
try {
  const user = await signUp(app.url);
  const pid = app.child.pid;
  const idle = kb(status(pid), 'VmRSS');
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, kb(status(pid), 'VmRSS'))), 20);
  const started = Date.now();
  const results = await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, i) => {
      const form = new FormData();
      form.append('caption', `bench upload ${i}`);
      form.append('file', await openAsBlob(file, { type: 'video/mp4' }), `bench-${i}.mp4`);
      const res = await fetch(`${app.url}/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.token}` },
        body: form,
      });
      return { status: res.status, body: await res.json() };
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  const hwm = kb(status(pid), 'VmHWM');
  const ok = results.filter((r) => r.status === 201 && r.body.size === SIZE - 4096).length;
  console.log(
    `${CONCURRENCY} concurrent uploads of ${mb(SIZE)}: ${ok}/${CONCURRENCY} stored (201) in ${seconds.toFixed(1)} s ` +
      `(${mb((SIZE * CONCURRENCY) / seconds)}/s)`,
  );
  console.log(`server RSS: idle ${mb(idle)}, peak while uploading ${mb(Math.max(peak, hwm))} (VmHWM ${mb(hwm)})`);
  if (ok !== CONCURRENCY) {
    console.log(results.map((r) => `${r.status} ${JSON.stringify(r.body).slice(0, 200)}`).join('\n'));
    process.exitCode = 1;
  }
} finally {
  await app.stop();
  rmSync(file, { force: true });
  rmSync(app.dataDir, { recursive: true, force: true });
  await database.drop();
}
