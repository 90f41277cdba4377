# syntax=docker/dockerfile:1
# vigil: authoritative DNS with health-checked failover.
#   docker build -t vigil .
#   docker run -d --name vigil -v "$PWD/config:/etc/vigil:ro" \
#     -p 53:53/udp -p 53:53/tcp vigil
#   docker kill --signal HUP vigil    # reload configuration and zones

# ---- build: compile TypeScript with the full dependency set ----
FROM node:24-bookworm-slim AS build
WORKDIR /src
# Manifests first, so the npm ci layer is reused until dependencies change.
COPY package.json package-lock.json ./
# --ignore-scripts: the "prepare" script runs tsc, but src/ is not copied yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json

# ---- runtime: production dependencies and dist/ only ----
FROM node:24-bookworm-slim AS runtime
# setcap lives in libcap2-bin, which the slim image lacks. The capability
# lets an unprivileged node bind port 53 (< 1024) without running as root;
# it is set on the node binary itself because a file capability must sit
# on the executable that calls bind(). Every node process in this image
# gets it, and the image runs nothing but vigil. Docker >= 20.10 already
# lowers net.ipv4.ip_unprivileged_port_start to 0 inside a container's own
# network namespace; the capability also covers --network host and other
# runtimes. With --cap-drop ALL, add --cap-add NET_BIND_SERVICE, or the
# kernel refuses to exec a binary carrying a capability it cannot grant.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcap2-bin \
 && setcap cap_net_bind_service=+ep "$(readlink -f /usr/local/bin/node)" \
 && apt-get purge -y libcap2-bin \
 && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=dev: no TypeScript or test tools at runtime; --ignore-scripts skips
# "prepare" (tsc), which needs the dev dependencies we just left out.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /src/dist ./dist

# Numeric IDs, so Kubernetes' runAsNonRoot can verify them without an
# /etc/passwd lookup; no such user exists in the image and none is needed.
USER 10053:10053

# Both transports: UDP for ordinary queries, TCP for truncated answers and
# zone-sized responses (RFC 7766 requires TCP support).
EXPOSE 53/udp 53/tcp

# The operator mounts the configuration here: vigil.yaml plus its zones/
# directory. The image ships none: the repository's example listens on
# loopback port 5353, which is unreachable from outside a container. A
# mounted vigil.yaml should listen on "0.0.0.0:53" (and "[::]:53"), as the
# repository's config/vigil.container.yaml does.
VOLUME ["/etc/vigil"]

# Exec form: node runs as PID 1 with no shell in between, so SIGHUP from
# `docker kill --signal HUP` and SIGTERM from `docker stop` reach it
# directly. As PID 1 the kernel applies no default action to signals, so
# vigil must (and does) install handlers for SIGHUP, SIGTERM and SIGINT;
# without one, `docker stop` would wait for the timeout and then SIGKILL.
# Node does not reap orphaned grandchildren as PID 1; vigil waits for its
# own children, and `docker run --init` puts tini in front if ever needed.
# The V8 flags are package.json's config.nodeFlags: they hold resident memory
# down on large zones (docs/performance.md).
ENTRYPOINT ["node", "--max-semi-space-size=8", "--heap-growing-percent=30", "/app/dist/cli/main.js"]
CMD ["start", "--config", "/etc/vigil/vigil.yaml"]
STOPSIGNAL SIGTERM
