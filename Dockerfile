# syntax=docker/dockerfile:1
# One image recipe for every Junction service:  docker build --build-arg SERVICE=orders .
# Stages: build (workspace, npm ci, nx build, pruned bundle) -> runtime (slim, non-root).
# `dev` is the target `skaffold dev` uses: the full workspace, rebuilt in place on file sync.
# `load` is the optional load generator (docker build --target load .): no SERVICE, no build stage.

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

# The cluster's optional load generator (`skaffold run -p load`, chart value loadGenerator):
# tools/bench/load.mts and exactly the modules it imports, which use Node built-ins only, so Node
# runs the TypeScript as it is (type stripping): no npm install, no build, no dev dependencies.
# It does not depend on the build stage, so BuildKit never runs that stage (or needs SERVICE) for
# this target. tools/k8s checks that this list is the generator's whole import graph.
FROM ${NODE_IMAGE} AS load
LABEL org.opencontainers.image.title="junction-load" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production
WORKDIR /app
# Root-owned, so read-only for the generator's user.
COPY tools/bench/load.mts \
     tools/bench/load-command.mts \
     tools/bench/load-summary.mts \
     tools/bench/open-loop.mts \
     tools/bench/shopper.mts \
     tools/bench/http-json.mts \
     tools/bench/stats.mts \
     tools/bench/
USER 10001:10001
CMD ["node", "tools/bench/load.mts"]

# Last, so a plain `docker build --build-arg SERVICE=<name> .` produces a service image.
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
