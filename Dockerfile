# One image for the gateway and the workers; docker-compose.yml picks the command.
FROM node:20-bookworm
WORKDIR /app
RUN npm install -g pnpm@12.21.0
# nodejieba builds from source against Node's headers.
ENV npm_config_yes=true npm_config_nodedir=/usr/local
COPY . .
RUN pnpm install --frozen-lockfile && pnpm --filter @callqa/console build
# Production: the gateway refuses missing or development secrets (services/gateway/README.md).
ENV NODE_ENV=production
# Nothing here needs root; the code is read-only to the service user.
USER node
EXPOSE 8080
STOPSIGNAL SIGTERM
CMD ["pnpm", "exec", "tsx", "services/gateway/src/server.ts"]
