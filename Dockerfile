# syntax=docker/dockerfile:1
# One image recipe for every Junction service:  docker build --build-arg SERVICE=orders .
# Stages: build (workspace, npm ci, nx build, pruned bundle) -> runtime (slim, non-root).
# `dev` is the target `skaffold dev` uses: the full workspace, rebuilt in place on file sync.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /workspace
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    CI=true
# The whole (dockerignored) workspace: npm ci needs every workspace's package.json. The steps up
# to `ARG SERVICE` are identical for the five services, so BuildKit runs them once per change;
# the npm cache survives between builds (cache mount).
COPY . .
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --no-audit --no-fund
ARG SERVICE
RUN if [ ! -f "services/${SERVICE:-none}/package.json" ]; then \
      echo "build with --build-arg SERVICE=<a folder of services/>, got '${SERVICE}'" >&2; exit 1; \
    fi
RUN npx nx run "@junction/${SERVICE}:build" --output-style=stream
# Self-contained, pruned production bundle: package.json (prod deps only), libs/*, dist/**.
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    node tools/bundle/bundle.mts "${SERVICE}" --out /bundle \
 && cd /bundle \
 && npm install --omit=dev --no-audit --no-fund --no-package-lock

# skaffold dev: the built workspace with dev dependencies; TypeScript is synced into it and
# rebuilt by tools/cluster/dev-watch.mts inside the pod.
FROM build AS dev
ARG SERVICE
ENV SERVICE=${SERVICE} \
    NODE_ENV=development
USER 10001:10001
CMD ["node", "tools/cluster/dev-watch.mts"]

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
LABEL org.opencontainers.image.title="junction-${SERVICE}" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
WORKDIR /app
# Root-owned and read-only for the app user; the container also runs with a read-only root fs.
COPY --from=build /bundle ./
USER 10001:10001
CMD ["node", "dist/main.js"]
