export * from './review-store.js'
export { replayStoredCalls, replayRange, storedReportPages, REPLAY_PAGE_SIZE, type ReplayProgress, type ReplayQuery } from './replay.js'
export { CaseStore, type CaseQuery } from './case-store.js'
export { NotificationStore, type NotificationPublisher, type NotificationList, type ListedNotification } from './notification-store.js'
