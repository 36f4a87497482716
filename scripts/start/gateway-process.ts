/**
 * One gateway process under `pnpm start`'s supervisor (a node:cluster worker, so every copy
 * shares the port). The same as services/gateway/src/server.ts, which it runs (its compiled
 * dist/server.js under `node --conditions=callqa-dist`, see README Production).
 */
import '@callqa/gateway/server'
