# syntax=docker/dockerfile:1
# One image per service: docker build --build-arg SERVICE=zipper -t artifact-pipeline-zipper .
#
# Base: Node 24, the current LTS line (Node 20 is past its end of life), on Debian bookworm,
# slim. The test machines run Node 20.20 and the pins still support it
# (@opentelemetry/sdk-node 0.2xx), so package.json's engines names both lines; the image's
# line is proven by test/ops/image-node.test.ts, which installs exactly this NODE_VERSION and
# starts every service's built dist with it against real Redis, SQS and S3. bookworm-slim
# rather than alpine: glibc, as on the test machines.
ARG NODE_VERSION=24.22.3

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
# Manifests first so the dependency layer is reused while only sources change.
COPY package.json package-lock.json tsconfig.json tsconfig.base.json tsconfig.test.json ./
COPY packages/shared/package.json packages/shared/
COPY packages/cli/package.json packages/cli/
COPY services/ingest/package.json services/ingest/
COPY services/zipper/package.json services/zipper/
COPY services/reporter/package.json services/reporter/
COPY services/status/package.json services/status/
COPY test/package.json test/
RUN npm ci --no-audit --no-fund
COPY . .
# The same build CI runs (`npm run build`): every workspace, the event schemas, the tests.
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG SERVICE
# Fail the build early on a missing or unknown service instead of shipping a broken image.
RUN case "${SERVICE}" in ingest|zipper|reporter|status) ;; \
      *) echo "SERVICE must be ingest, zipper, reporter or status (got '${SERVICE}')" >&2; exit 1 ;; \
    esac
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json /src/package-lock.json ./
COPY --from=build /src/packages/shared/package.json packages/shared/
COPY --from=build /src/packages/cli/package.json packages/cli/
COPY --from=build /src/services/ingest/package.json services/ingest/
COPY --from=build /src/services/zipper/package.json services/zipper/
COPY --from=build /src/services/reporter/package.json services/reporter/
COPY --from=build /src/services/status/package.json services/status/
COPY --from=build /src/test/package.json test/
# Production dependencies of this one service (and of the shared package it links to).
RUN npm ci --omit=dev --no-audit --no-fund --workspace "services/${SERVICE}" \
    && npm cache clean --force
COPY --from=build /src/packages/shared/dist packages/shared/dist
COPY --from=build /src/packages/shared/schemas packages/shared/schemas
COPY --from=build /src/services/${SERVICE}/dist services/${SERVICE}/dist
# The CMD below cannot expand a build arg (exec form has no shell), so the service's entry
# point is copied to one fixed path.
RUN ln -s "services/${SERVICE}/dist/main.js" /app/main.js
# The node image's unprivileged user, by number so Kubernetes can check runAsNonRoot.
USER 1000:1000
EXPOSE 8080
# Exec form: node is PID 1 and receives SIGTERM itself. Each service installs its own
# SIGTERM handler (DESIGN §4: stop taking work, drain, exit 0), so PID 1's "no default
# signal action" rule does not matter, and the services start no child processes, so there
# are no zombies to reap: tini / --init would add nothing.
# No HEALTHCHECK: Kubernetes probes /healthz and /readyz (charts/artifact-pipeline) and
# ignores Docker's HEALTHCHECK.
#checkov:skip=CKV_DOCKER_2:Kubernetes liveness/readiness probes replace HEALTHCHECK
CMD ["node", "/app/main.js"]
