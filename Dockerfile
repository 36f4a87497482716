# One image for the gateway and the workers; docker-compose.yml picks the command.
# Stage 1 installs everything and compiles (`pnpm build`: every deployable's dist/ and the console);
# the runtime stage holds only the compiled JavaScript, the files it reads and the production
# dependencies, and runs plain node (README "Production"): no TypeScript, tsx or test tools.
FROM node:20-bookworm AS build
WORKDIR /app
RUN npm install -g pnpm@12.21.0
# nodejieba builds from source against Node's headers.
ENV npm_config_yes=true npm_config_nodedir=/usr/local
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build
# Production dependencies of what production runs (packages, gateway, workers, start/CLI scripts),
# from the store the first install filled.
RUN rm -rf node_modules packages/*/node_modules services/*/node_modules scripts/node_modules test/node_modules \
 && pnpm install --prod --frozen-lockfile --offline --filter "./packages/*" --filter ./services/gateway --filter ./services/aggregator --filter ./scripts
# What the runtime needs, in the same layout (pnpm's links are relative): package.json (exports),
# dist/, node_modules/, and the files read at run time (rulebook, migrations, console, roster).
RUN mkdir -p /out/services/console \
 && for p in packages/protocol packages/kpi packages/engine packages/store packages/review services/gateway services/aggregator scripts; do \
      mkdir -p /out/$p && cp -a $p/package.json $p/dist $p/node_modules /out/$p/; \
    done \
 && cp -a packages/engine/rulebooks /out/packages/engine/ \
 && cp -a packages/store/migrations /out/packages/store/ \
 && cp -a services/console/dist services/console/demo-accounts.json /out/services/console/ \
 && cp -a package.json pnpm-workspace.yaml node_modules config /out/

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /out/ ./
# Production: the gateway refuses missing or development secrets (services/gateway/README.md).
ENV NODE_ENV=production
# Nothing here needs root; the code is read-only to the service user.
USER node
EXPOSE 8080
STOPSIGNAL SIGTERM
# The exports condition callqa-dist makes every @callqa/* import load its dist/ (sources otherwise).
CMD ["node", "--conditions=callqa-dist", "--enable-source-maps", "services/gateway/dist/server.js"]
