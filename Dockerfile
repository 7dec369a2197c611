# One image recipe for every Junction service:  docker build --build-arg SERVICE=orders .
# Stages: manifests (the package.json files and the lockfile) -> build (npm ci, the libraries)
# -> service-build (nx build, the pruned bundle with its own lockfile, npm ci --omit=dev)
# -> runtime (slim, non-root).
# `dev` is the target `skaffold dev` uses: the full workspace, rebuilt in place on file sync.
# `load` is the optional load generator (docker build --target load .): no SERVICE, no build stage.
# `storefront` is the web storefront (docker build --target storefront .): its Vite build and its
# server, bundled the same way (storefront-build), no SERVICE.
#
# No `# syntax=` directive, on purpose. It makes BuildKit fetch the named frontend image from a
# registry before reading one instruction, which fails wherever no registry is reachable (as in
# this repository's CI), and `docker/dockerfile:1` is a moving tag where every image here is
# pinned. Everything below (RUN --mount cache, bind and secret) is in the Dockerfile frontend
# built into BuildKit since Docker 20.10. To build with a newer frontend, pin it with the build
# argument that BuildKit honours exactly like the directive:
#   --build-arg BUILDKIT_SYNTAX=docker/dockerfile:<exact version>
#
# A private CA (e.g. a TLS-inspecting proxy in front of the npm registry) is given to the build
# as an optional secret, never as a layer:
#   --secret id=ca-certificates,src=/etc/ssl/certs/ca-certificates.crt
# The npm steps then use it as npm's cafile; without it npm trusts Node's own CAs, as usual.
#
# NODE_IMAGE is pinned to the exact Node version of the root package.json's `node`
# devDependency (tools/k8s checks that they agree). tools/docker/base-image.mts builds a local
# equivalent from Debian packages where no registry is reachable.

ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# What `npm ci` reads, and nothing else: every package.json of the workspace and the lockfile.
# This stage runs again after any source edit, but its output changes only with the manifests,
# and BuildKit keys `COPY --from` on the content copied: the npm ci layer survives source edits.
FROM ${NODE_IMAGE} AS manifests
RUN --mount=type=bind,target=/context \
    mkdir /manifests \
 && cd /context \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \; \
 && cp package-lock.json /manifests/

FROM ${NODE_IMAGE} AS build
WORKDIR /workspace
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    CI=true
COPY --from=manifests /manifests/ ./
# The npm cache survives between builds (cache mount); the CA secret is mounted for this step only.
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    --mount=type=secret,id=ca-certificates,required=false \
    if [ -s /run/secrets/ca-certificates ]; then export npm_config_cafile=/run/secrets/ca-certificates; fi \
 && npm ci --no-audit --no-fund
# The sources (dockerignored: no node_modules, no dist), and the libraries every service uses.
# This stage is the same for the five services and the storefront, so BuildKit runs it once per
# change; each build after it finds the libraries in Nx's cache.
COPY . .
RUN npx nx run-many -t build --projects=tag:type:lib --output-style=stream

FROM build AS service-build
ARG SERVICE
RUN if [ ! -f "services/${SERVICE:-none}/package.json" ]; then \
      echo "build with --build-arg SERVICE=<a folder of services/>, got '${SERVICE}'" >&2; exit 1; \
    fi
RUN npx nx run "@junction/${SERVICE}:build" --output-style=stream
# Self-contained, pruned production bundle: package.json (prod deps only), its package-lock.json
# (cut from the tested root lockfile), libs/*, dist/**; installed exactly as locked.
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    --mount=type=secret,id=ca-certificates,required=false \
    if [ -s /run/secrets/ca-certificates ]; then export npm_config_cafile=/run/secrets/ca-certificates; fi \
 && node tools/bundle/bundle.mts "${SERVICE}" --out /bundle \
 && cd /bundle \
 && npm ci --omit=dev --prefer-offline --no-audit --no-fund

# The storefront's build (nx: the Vite app into dist/public, its server into dist/server) and its
# pruned bundle: the server's three runtime dependencies, installed exactly as locked.
FROM build AS storefront-build
RUN npx nx run @junction/storefront:build --output-style=stream
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    --mount=type=secret,id=ca-certificates,required=false \
    if [ -s /run/secrets/ca-certificates ]; then export npm_config_cafile=/run/secrets/ca-certificates; fi \
 && node tools/bundle/bundle.mts storefront --out /bundle \
 && cd /bundle \
 && npm ci --omit=dev --prefer-offline --no-audit --no-fund

# skaffold dev: the built workspace with dev dependencies; TypeScript is synced into it and
# rebuilt by tools/cluster/dev-watch.mts inside the pod.
FROM service-build AS dev
ARG SERVICE
ENV SERVICE=${SERVICE} \
    NODE_ENV=development
USER 10001:10001
CMD ["node", "tools/cluster/dev-watch.mts"]

# The cluster's optional load generator (`skaffold run -p load`, chart value loadGenerator):
# tools/bench/load.mts and exactly the modules it imports (its own, and testkit's checkout client),
# which use Node built-ins only, so Node runs the TypeScript as it is (type stripping): no npm
# install, no build, no dev dependencies.
# It does not depend on the build stage, so BuildKit never runs that stage (or needs SERVICE) for
# this target. tools/k8s checks that this list is the generator's whole import graph.
FROM ${NODE_IMAGE} AS load
LABEL org.opencontainers.image.title="junction-load" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production
WORKDIR /app
# Root-owned, so read-only for the generator's user.
COPY tools/bench/load.mts tools/bench/
COPY tools/bench/load/latency-samples.mts \
     tools/bench/load/load-command.mts \
     tools/bench/load/load-summary.mts \
     tools/bench/load/open-loop.mts \
     tools/bench/load/
COPY tools/testkit/checkout/index.mts \
     tools/testkit/checkout/http-json.mts \
     tools/testkit/checkout/open-loop.mts \
     tools/testkit/checkout/order.mts \
     tools/testkit/checkout/shopper.mts \
     tools/testkit/checkout/
USER 10001:10001
CMD ["node", "tools/bench/load.mts"]

# The storefront (skaffold's junction-storefront, chart values `storefront`): its server serves
# dist/public under /shop/. No SERVICE: it is the one web app.
FROM ${NODE_IMAGE} AS storefront
LABEL org.opencontainers.image.title="junction-storefront" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production
WORKDIR /app
# Root-owned and read-only for the app user; the container also runs with a read-only root fs.
COPY --from=storefront-build /bundle ./
USER 10001:10001
CMD ["node", "dist/server/main.js"]

# Last, so a plain `docker build --build-arg SERVICE=<name> .` produces a service image.
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
LABEL org.opencontainers.image.title="junction-${SERVICE}" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
WORKDIR /app
# Root-owned and read-only for the app user; the container also runs with a read-only root fs.
COPY --from=service-build /bundle ./
USER 10001:10001
CMD ["node", "dist/main.js"]
