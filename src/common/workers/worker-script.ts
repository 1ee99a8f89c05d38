import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * Path of the compiled script `file` of a worker thread that lives beside the module in
 * `dir`. Worker threads load plain JavaScript: from dist, the script sits beside its module;
 * when the module runs from source (the test suite, which builds dist first), the compiled
 * copy in dist is used.
 */
export function workerScript(dir: string, file: string): string {
  const beside = join(dir, file);
  if (existsSync(beside)) return beside;
  const marker = `${sep}src${sep}`;
  const at = beside.lastIndexOf(marker);
  if (at === -1) return beside;
  return `${beside.slice(0, at)}${sep}dist${sep}${beside.slice(at + marker.length)}`;
}
