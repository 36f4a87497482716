# One image for the gateway and the workers; docker-compose.yml picks the command.
FROM node:20-bookworm
WORKDIR /app
RUN npm install -g pnpm@12.21.0
# nodejieba builds from source against Node's headers.
ENV npm_config_yes=true npm_config_nodedir=/usr/local
COPY . .
RUN pnpm install --frozen-lockfile && pnpm --filter @callqa/console build
ENV NODE_ENV=production
EXPOSE 8080
CMD ["pnpm", "exec", "tsx", "services/gateway/src/server.ts"]
