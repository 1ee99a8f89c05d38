#!/bin/sh
# Run by the Dockerfile's build stage after `npm run build`, in the app's directory: leaves in
# node_modules only what the image's app loads.
#   - dev dependencies (`npm prune --omit=dev`);
#   - typescript: a production install keeps it only as @nestjs/swagger's optional peer
#     dependency (its build-time CLI plugin); nothing loads it at run time;
#   - redoc's build tree (React, MobX, styled-components, core-js, @redocly/openapi-core,
#     swagger2openapi, ...): /redoc serves only redoc/bundles/redoc.standalone.js (see
#     src/docs/redoc.ts), a self-contained browser bundle, which is kept with its licenses;
#   - @electric-sql/pglite, the embedded database: the image sets NODE_ENV=production, which
#     requires DATABASE_URL (docker-compose.yml sets it), so it never starts. A stub takes its
#     place that says so if a container is nevertheless started without DATABASE_URL.
# `npm install && npm start` outside the image is unaffected: package.json still lists both.
set -eu

keep="$(mktemp -d)"
cp node_modules/redoc/package.json node_modules/redoc/LICENSE "$keep/"
cp node_modules/redoc/bundles/redoc.standalone.js node_modules/redoc/bundles/redoc.standalone.js.LICENSE.txt "$keep/"

# One prune against a package.json without the two: npm removes the dev dependencies, the two
# packages and whatever only they needed (`npm uninstall --no-save` would do the same, but npm 10
# then adds the musl builds of sharp's libvips next to the glibc ones). Then both files are put back.
cp package.json package-lock.json "$keep/"
npm pkg delete dependencies.redoc 'dependencies.@electric-sql/pglite'
npm prune --omit=dev --no-audit --no-fund
cp "$keep/package.json" "$keep/package-lock.json" .
rm -rf node_modules/typescript node_modules/.bin/tsc node_modules/.bin/tsserver

mkdir -p node_modules/redoc/bundles
cp "$keep/package.json" "$keep/LICENSE" node_modules/redoc/
cp "$keep/redoc.standalone.js" "$keep/redoc.standalone.js.LICENSE.txt" node_modules/redoc/bundles/
rm -rf "$keep"

mkdir -p node_modules/@electric-sql/pglite
cat > node_modules/@electric-sql/pglite/package.json <<'JSON'
{ "name": "@electric-sql/pglite", "version": "0.0.0-omitted", "private": true, "main": "index.js" }
JSON
cat > node_modules/@electric-sql/pglite/index.js <<'JS'
throw new Error(
  'this image has no embedded database (@electric-sql/pglite is left out of it): set DATABASE_URL',
);
JS
