#!/usr/bin/env node
// Keeps package-lock.json installable with `npm ci` on every npm (10 and 11) and platform.
//
// Native packages (@swc/core, jest's unrs-resolver, ...) list one optional dependency per
// platform. When the registry npm resolves against does not serve some of those builds (the
// mirror this project is built against answers 404 for the macOS/Windows/other-Linux ones),
// npm writes the lockfile without them, and npm 11's `npm ci` then refuses the lockfile:
// "Missing: @swc/core-darwin-arm64@ from lock file". npm only needs each entry to exist
// with its version and platform (os/cpu/libc): on other platforms it skips the package
// without downloading it, and on the matching platform it fetches name@version from the
// registry, checking the tarball against the registry's integrity.
//
//   node .ci/lockfile-platforms.mjs          fail (exit 1) listing missing platform entries
//   node .ci/lockfile-platforms.mjs --fix    add them (after `npm install` rewrote the lockfile)
//
// The platform is read from the package's name (`<base>-<os>-<cpu>[-<abi>]`, the convention
// of napi-rs and swc); nothing else (integrity, license) is recorded, since it could not be
// checked here. npm fills those in when it installs the package on its platform.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lockPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'package-lock.json');
const fix = process.argv.includes('--fix');

const OS = [
  'darwin',
  'linux',
  'win32',
  'freebsd',
  'openbsd',
  'netbsd',
  'android',
  'openharmony',
  'sunos',
  'aix',
];
const CPU = [
  'x64',
  'arm64',
  'arm',
  'ia32',
  'ppc64',
  's390x',
  'riscv64',
  'loong64',
  'mips64el',
  'wasm32',
];
const LIBC = { gnu: 'glibc', gnueabihf: 'glibc', musl: 'musl', musleabihf: 'musl' };

/** os/cpu/libc of a platform package from its name, or undefined when it does not follow the convention. */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  for (let i = 1; i < parts.length - 1; i += 1) {
    if (!OS.includes(parts[i]) || !CPU.includes(parts[i + 1])) continue;
    const rest = parts.slice(i + 2);
    if (rest.length > 1) return undefined;
    const platform = { os: [parts[i]], cpu: [parts[i + 1]] };
    if (rest.length === 1) {
      if (parts[i] === 'linux' && LIBC[rest[0]]) platform.libc = [LIBC[rest[0]]];
      else if (!['msvc', 'eabi', 'gnu', 'musl'].includes(rest[0])) return undefined;
    }
    return platform;
  }
  return undefined;
}

/** Lockfile key that node's resolution finds for `name` required from the package at `from`. */
function resolve(packages, from, name) {
  let base = from;
  for (;;) {
    const key = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[key]) return key;
    if (!base) return undefined;
    const at = base.lastIndexOf('/node_modules/');
    base = at === -1 ? '' : base.slice(0, at);
  }
}

const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;
const missing = [];
const problems = [];
for (const [from, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolve(packages, from, name)) continue;
    const platform = platformOf(name);
    if (!platform) {
      problems.push(
        `${from} -> ${name}@${spec}: not a <name>-<os>-<cpu> platform package, add it by hand`,
      );
      continue;
    }
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) {
      problems.push(`${from} -> ${name}@${spec}: not an exact version`);
      continue;
    }
    const target = packages[`node_modules/${name}`]
      ? `${from}/node_modules/${name}`
      : `node_modules/${name}`;
    const added = {
      version: spec,
      cpu: platform.cpu,
      ...(entry.dev ? { dev: true } : {}),
      ...(platform.libc ? { libc: platform.libc } : {}),
      optional: true,
      os: platform.os,
    };
    missing.push({
      target,
      added,
      label: `${name}@${spec} (${platform.os}/${platform.cpu}${platform.libc ? `/${platform.libc}` : ''}) for ${from}`,
    });
  }
}

for (const p of problems) console.error(`lockfile-platforms: ${p}`);
if (missing.length === 0) {
  console.log('lockfile-platforms: every optional platform package is recorded');
  process.exit(problems.length ? 1 : 0);
}
if (!fix) {
  for (const m of missing) console.error(`lockfile-platforms: missing ${m.label}`);
  console.error(
    `lockfile-platforms: ${missing.length} missing; run: node .ci/lockfile-platforms.mjs --fix`,
  );
  process.exit(1);
}
for (const m of missing) {
  packages[m.target] = m.added;
  console.log(`lockfile-platforms: added ${m.label}`);
}
// npm's order: the root first, then the paths in locale order.
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'),
  ),
);
lock.packages = sorted;
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
process.exit(problems.length ? 1 : 0);
