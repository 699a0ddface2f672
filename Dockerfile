# servebench's container image, the one the manifests of `servebench k8s` run (docs/kubernetes.md): the
# compiled CLI and its runtime dependencies, the shipped models/, and the native addon when the build stage
# has a Rust toolchain. node:20-slim has none, so by default the addon is recorded as unavailable
# (native/build-status.json) and the native kernels say "unavailable (<reason>)"; --build-arg WITH_RUST=1
# installs one with rustup and builds it.
#
#   docker build -t servebench:local .
#   docker build -t servebench:native --build-arg WITH_RUST=1 .
#
# Every pod runs `servebench <args>`: `serve --only scoring|model-a|model-b|model-worker ...` for one service,
# `load --target ... --shard i/N ...` for a load shard.

ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ARG WITH_RUST=0
RUN if [ "$WITH_RUST" = "1" ]; then \
      apt-get update && apt-get install -y --no-install-recommends ca-certificates curl build-essential && \
      rm -rf /var/lib/apt/lists/* && \
      curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal; \
    fi
ENV PATH="/root/.cargo/bin:${PATH}"

# Dependencies first, so they stay cached while only the sources change. No install scripts run: the only
# ones are onnxruntime-node's optional GPU download (skipped by .npmrc anyway; the CPU runtime is in the
# package) and a message; the project's own build runs below.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY scripts/ scripts/
COPY native/ native/
COPY src/ src/
COPY benchmarks/ benchmarks/
# The package's `prepare`: the native addon (or its recorded absence), then dist/.
RUN npm run build:native && npm run build && npm prune --omit=dev --no-audit --no-fund
# What of native/ the runtime needs: the loader and addon if built, and the status file saying why not.
RUN mkdir -p /out/native && cp native/package.json native/build-status.json /out/native/ && \
    for f in native/index.cjs native/index.d.cts native/*.node; do if [ -f "$f" ]; then cp "$f" /out/native/; fi; done

FROM ${NODE_IMAGE}
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules/ node_modules/
COPY --from=build /app/dist/ dist/
COPY --from=build /out/native/ native/
COPY bin/ bin/
COPY models/ models/
COPY examples/ examples/
# The default output folders, writable by the pods' user (node, uid 1000).
RUN mkdir -p reports profiles && chown node:node reports profiles
USER node
ENTRYPOINT ["node", "/app/bin/servebench.js"]
CMD ["--help"]
