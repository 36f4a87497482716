export * from './review-store.js'
export { replayStoredCalls, type ReplayProgress } from './replay.js'
export { CaseStore, type CaseQuery } from './case-store.js'
export { NotificationStore, type NotificationPublisher, type NotificationList, type ListedNotification } from './notification-store.js'
