# One image for every role; the command picks it:
#   docker run gatehouse gateway --config /etc/gatehouse/gatehouse.yaml
#   docker run gatehouse dlp-worker | audit-ingest | audit-export | start …
# TypeScript runs natively on Node 24 (type stripping): the image ships the sources, no build step.

FROM node:24-bookworm-slim AS dependencies
WORKDIR /app
# re2 builds from source (no prebuilt binary is fetched), so the build stage has a compiler.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Not `npm ci`: it rejects chdb's lockfile (its optional macOS packages are not on the registry).
RUN npm install --omit=dev --no-audit --no-fund --loglevel=error

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY events/src ./events/src
COPY gateway/src ./gateway/src
COPY dlp-worker/src ./dlp-worker/src
COPY audit-ingest/src ./audit-ingest/src
COPY audit-ingest/sql ./audit-ingest/sql
COPY cli/src ./cli/src
COPY deploy/kafka ./deploy/kafka
COPY demo ./demo
COPY gatehouse.example.yaml ./
RUN mkdir -p /var/lib/gatehouse && chown node:node /var/lib/gatehouse
USER node
# As ./gatehouse does: the embedded chDB holds a libuv pool thread for each insert or query, and
# large buffers go in transparent huge pages (fewer page faults; see ./gatehouse, which also caps
# malloc arenas at the core count, which the image cannot know).
ENV UV_THREADPOOL_SIZE=16
ENV GLIBC_TUNABLES=glibc.malloc.hugetlb=1
# 8080: the gateway (MCP, /healthz, /readyz, /metrics); 9464-9466: /metrics, /healthz, /readyz of
# dlp-worker, audit-ingest and audit-export (deploy/ sets 9464 for each, one role per container).
EXPOSE 8080 9464 9465 9466
ENTRYPOINT ["node", "--disable-warning=TimeoutNegativeWarning", "cli/src/main.ts"]
CMD ["start", "--config", "/etc/gatehouse/gatehouse.yaml"]
