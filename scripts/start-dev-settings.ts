/** Development-only settings `pnpm start` fills in when the environment has none (and `pnpm demo` uses). */
export const DEV_INGEST_TOKEN = 'dev-ingest-token'
export const DEV_ADMIN_TOKEN = 'dev-admin-token'
export const DEV_WEBHOOK_SECRET = `whsec_${Buffer.from('callqa-development-secret-not-for-production').toString('base64')}`
