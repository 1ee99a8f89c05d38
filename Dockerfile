# syntax=docker/dockerfile:1
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json openapi.json ./
COPY src ./src
COPY web ./web
COPY docker/prune-node-modules.sh ./docker/
# Compile the API (dist) and the web client (web/dist), then keep only what the app loads: no dev dependencies, TypeScript, ReDoc's build
# tree or embedded database (see docker/prune-node-modules.sh).
RUN npm run build && sh docker/prune-node-modules.sh

FROM node:22-bookworm-slim
# A font for the text overlays of the local image transformations; ffmpeg for video metadata
# removal, poster frames and dimensions.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core ffmpeg \
  && rm -rf /var/lib/apt/lists/*
# NODE_ENV=production requires DATABASE_URL and JWT_SECRET: the image has no embedded database.
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY package.json ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
