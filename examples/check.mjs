// npm run client:check: generates the client types from openapi.json (openapi-typescript),
// type-checks examples/client.ts against them, and runs it against the compiled app started
// here (on DATABASE_URL when set, otherwise on the embedded database). Fails when the
// document no longer describes what the example does, or the app no longer answers so.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startApp } from '../bench/lib.mjs';

const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const run = (command, args, env = process.env) =>
  execFileSync(command, args, { cwd: ROOT, stdio: 'inherit', env });

run(bin('openapi-typescript'), ['openapi.json', '-o', 'examples/generated/api.d.ts']);
run(bin('tsc'), ['-p', 'examples/tsconfig.json']);

const app = await startApp(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {});
let status = 1;
try {
  const result = spawnSync(process.execPath, [join(ROOT, 'examples/dist/client.js')], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { PATH: process.env.PATH, API_URL: app.url },
  });
  status = result.status ?? 1;
} finally {
  await app.stop();
  rmSync(app.dataDir, { recursive: true, force: true });
}
if (status !== 0) console.error('client:check: the example client failed');
process.exit(status);
