export * from './review-store.js'
export { replayStoredCalls, type ReplayProgress } from './replay.js'
