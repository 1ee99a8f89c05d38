// node test/openapi-audit.mjs <responses.jsonl>
// Checks responses recorded by the e2e suite (OPENAPI_AUDIT_FILE=<file> npm run test:e2e)
// against the committed openapi.json: is the status listed for the operation, and does the
// JSON body match the schema given for it (ajv, strict)? Prints what the document misses.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const file = process.argv[2];
if (!file) {
  console.error('usage: node test/openapi-audit.mjs <responses.jsonl>');
  process.exit(2);
}
const doc = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));

// OpenAPI 3.0 schema dialect to JSON Schema: `nullable` also allows null, refs point into
// the document's schemas, registered as the definitions of the id "doc".
function toJsonSchema(node) {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref') out.$ref = value.replace(/^#\/components\/schemas\//, 'doc#/definitions/');
    else if (key !== 'nullable' && key !== 'example' && key !== 'examples') out[key] = toJsonSchema(value);
  }
  // OpenAPI 3.0: null is allowed whatever else the schema says (allOf of a $ref included).
  return node.nullable ? { anyOf: [out, { type: 'null' }] } : out;
}
const ajv = new Ajv({ strict: true, allErrors: true });
addFormats(ajv);
ajv.addFormat('binary', true);
ajv.addFormat('password', true);
ajv.addSchema({ $id: 'doc', definitions: toJsonSchema(doc.components.schemas) });

const routes = Object.entries(doc.paths).map(([template, item]) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
  item,
}));
// Files, the documentation itself and CORS preflights are not API operations.
const ignored = /^\/(media|docs|docs-json|redoc)(\/|$)/;

const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const undocumented = new Map();
const mismatches = new Map();
let checked = 0;
let skipped = 0;
for (const { method, path, status, body } of lines) {
  if (ignored.test(path) || method === 'OPTIONS') {
    skipped += 1;
    continue;
  }
  const route = routes.find((r) => r.pattern.test(path));
  const operation = route?.item[method.toLowerCase()];
  const key = `${method} ${route?.template ?? path} ${status}`;
  if (!operation) {
    if (status !== 404 && status !== 405) undocumented.set(key, (undocumented.get(key) ?? 0) + 1);
    continue;
  }
  checked += 1;
  const response = operation.responses[String(status)] ?? operation.responses.default;
  if (!response) {
    undocumented.set(key, (undocumented.get(key) ?? 0) + 1);
    continue;
  }
  const schema = response.content?.['application/json']?.schema;
  if (!schema || typeof body !== 'object') continue;
  const validate = ajv.compile(toJsonSchema(schema));
  if (!validate(body)) {
    const why = validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    mismatches.set(`${key}: ${why}`, (mismatches.get(`${key}: ${why}`) ?? 0) + 1);
  }
}
console.log(`${lines.length} responses: ${checked} checked, ${skipped} outside the document (media, docs, preflights)`);
console.log(`\n${undocumented.size} (operation, status) pairs the document does not list:`);
for (const [key, n] of [...undocumented].sort()) console.log(`  ${key}  (${n}x)`);
console.log(`\n${mismatches.size} body shapes that do not match the documented schema:`);
for (const [key, n] of [...mismatches].sort()) console.log(`  ${key}  (${n}x)`);
process.exit(undocumented.size + mismatches.size === 0 ? 0 : 1);
