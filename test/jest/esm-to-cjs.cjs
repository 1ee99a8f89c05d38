// Jest runs the suite as CommonJS. NestJS 12 and a few other dependencies ship ESM only,
// and CommonJS packages (@nestjs/throttler, nestjs-pino) require() them; on Node 20 Jest
// cannot load ESM from require(). So ESM files under node_modules are compiled to CommonJS
// here; CommonJS files pass through untouched.
const { dirname, join } = require('node:path');
const { existsSync, readFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const swc = require('@swc/core');

const typeCache = new Map();
function isEsmFile(filename) {
  if (filename.endsWith('.mjs')) return true;
  if (filename.endsWith('.cjs')) return false;
  let dir = dirname(filename);
  while (dir !== dirname(dir)) {
    if (typeCache.has(dir)) return typeCache.get(dir);
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      let type;
      try {
        type = JSON.parse(readFileSync(pkg, 'utf8')).type;
      } catch {
        type = undefined;
      }
      // Nested package.json files without "name" only set "type"; keep looking otherwise.
      const esm = type === 'module';
      if (type !== undefined || JSON.parse(readFileSync(pkg, 'utf8')).name) {
        typeCache.set(dir, esm);
        return esm;
      }
    }
    dir = dirname(dir);
  }
  return false;
}

module.exports = {
  canInstrument: false,
  getCacheKey(source, filename) {
    return createHash('sha1').update('esm-to-cjs-v2').update(filename).update(source).digest('hex');
  },
  process(source, filename) {
    if (!isEsmFile(filename)) return { code: source };
    const patched = source
      // CommonJS already has a `require`; redeclaring it breaks the compiled module.
      .replace(/^\s*const require = createRequire\(import\.meta\.url\);?\s*$/m, '')
      .replace(/import\.meta\.url/g, 'require("node:url").pathToFileURL(__filename).href')
      .replace(/import\.meta\.dirname/g, '__dirname')
      .replace(/import\.meta\.filename/g, '__filename');
    const out = swc.transformSync(patched, {
      filename,
      sourceMaps: false,
      jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
      module: { type: 'commonjs', ignoreDynamic: false },
    });
    return { code: out.code };
  },
};
