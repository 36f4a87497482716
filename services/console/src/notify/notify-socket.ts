/**
 * The notification channel (`GET /v1/notifications`, socket and list): on every (re)connect it
 * buffers live messages, reads the unread list from the server (PostgreSQL: what a reload would
 * show), then applies the buffer; items are kept by id, so the overlap costs nothing. Marking read
 * goes over REST; the server echoes it to this user's other pages.
 */
import type { RuleId } from '../protocol.js'

/** What the console shows of a notification (packages/review/src/notifications.ts `Notification`). */
export interface Notification {
  id: string
  kind: 'deduction' | 'appeal_filed' | 'appeal_decided'
  agentId: string
  teamId: string
  callId: string
  createdAt: string
  score: number
  deductions?: Array<{ rule: RuleId; points: number; reason: string }>
  appeal?: { id: string; rule: RuleId; reason: string; dueAt: string; status: 'pending' | 'upheld' | 'overturned'; reply?: string; decidedBy?: string }
}

export type ListedNotification = Notification & { read: boolean; overdue: boolean }
/** `GET /v1/notifications` (packages/review/src/pg/notification-store.ts NotificationList). */
interface NotificationList {
  items: ListedNotification[]
  unread: number
  waiting: { pending: number; overdue: number } | null
}

type ServerMessage =
  | { type: 'notification'; notification: ListedNotification }
  | { type: 'notifications.resolved'; ids: string[] }
  | { type: 'notifications.read'; ids: string[] }
  | { type: 'hello' | 'pong' | 'error' }

export interface NotifyState {
  items: ListedNotification[]
  unread: number
  waiting: { pending: number; overdue: number } | null
}

const MIN_BACKOFF_MS = 500
const MAX_BACKOFF_MS = 15_000
/** Overdue marks are a matter of time: re-evaluated this often. */
const OVERDUE_TICK_MS = 30_000

export class NotifySocket {
  #socket: WebSocket | undefined
  #buffer: ServerMessage[] | null = null
  #closed = false
  #attempt = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #tick: ReturnType<typeof setInterval> | undefined
  readonly #items = new Map<string, ListedNotification>()
  #unread = 0
  #waiting: NotifyState['waiting'] = null
  readonly #listeners = new Set<() => void>()
  /** Live notifications received (tests read it). */
  received = 0

  state(): NotifyState {
    const items = [...this.#items.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
    return { items, unread: Math.max(this.#unread, items.length), waiting: this.#waiting }
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #changed(): void {
    for (const l of this.#listeners) l()
  }

  start(): void {
    this.#closed = false
    this.#connect()
    this.#tick = setInterval(() => {
      const now = Date.now()
      let changed = false
      for (const n of this.#items.values()) {
        const overdue = n.kind === 'appeal_filed' && n.appeal?.status === 'pending' && now > Date.parse(n.appeal.dueAt)
        if (overdue !== n.overdue) {
          n.overdue = overdue
          changed = true
        }
      }
      if (changed) this.#changed()
    }, OVERDUE_TICK_MS)
  }

  stop(): void {
    this.#closed = true
    clearTimeout(this.#timer)
    clearInterval(this.#tick)
    this.#socket?.close(1000, 'page closed')
    this.#socket = undefined
  }

  async markRead(ids: string[] | 'all'): Promise<void> {
    const res = await fetch('/v1/notifications/read', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(ids === 'all' ? { all: true } : { ids }),
    })
    if (!res.ok) throw new Error(`marking read answered ${res.status}`)
    const body = (await res.json()) as { read: string[] }
    this.#drop(ids === 'all' ? [...this.#items.keys()] : [...new Set([...ids, ...body.read])])
  }

  #drop(ids: readonly string[]): void {
    let n = 0
    for (const id of ids) if (this.#items.delete(id)) n++
    if (n === 0) return
    this.#unread = Math.max(0, this.#unread - n)
    this.#changed()
  }

  #apply(message: ServerMessage): void {
    switch (message.type) {
      case 'notification': {
        const n = message.notification
        if (!this.#items.has(n.id)) {
          this.#items.set(n.id, n)
          this.#unread++
          this.received++
          // A new appeal (or a decided one) moves the manager's queue: read its size again.
          if (n.kind === 'appeal_filed') void this.#refreshWaiting()
          this.#changed()
        }
        break
      }
      case 'notifications.resolved':
        this.#drop(message.ids)
        void this.#refreshWaiting()
        break
      case 'notifications.read':
        this.#drop(message.ids)
        break
      default:
        break
    }
  }

  async #list(): Promise<NotificationList | null> {
    const res = await fetch('/v1/notifications', { credentials: 'same-origin', headers: { accept: 'application/json' } })
    if (res.status === 401 || res.status === 403) {
      this.stop()
      return null
    }
    if (!res.ok) throw new Error(`the notification list answered ${res.status}`)
    return (await res.json()) as NotificationList
  }

  async #refreshWaiting(): Promise<void> {
    if (this.#waiting === null) return
    try {
      const list = await this.#list()
      if (list) {
        this.#waiting = list.waiting
        this.#changed()
      }
    } catch {
      // the next reconnect reads it again
    }
  }

  #connect(): void {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
    const socket = new WebSocket(`${scheme}//${location.host}/v1/notifications`)
    this.#socket = socket
    this.#buffer = []
    socket.onopen = () => void this.#catchUp(socket)
    socket.onmessage = (event) => {
      let message: ServerMessage
      try {
        message = JSON.parse(String(event.data)) as ServerMessage
      } catch {
        return
      }
      if (this.#buffer) this.#buffer.push(message)
      else this.#apply(message)
    }
    socket.onclose = () => {
      if (this.#socket !== socket) return
      this.#socket = undefined
      if (this.#closed) return
      this.#attempt++
      const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (this.#attempt - 1))
      this.#timer = setTimeout(() => this.#connect(), Math.round(base / 2 + (Math.random() * base) / 2))
    }
  }

  async #catchUp(socket: WebSocket): Promise<void> {
    let list: NotificationList | null
    try {
      list = await this.#list()
    } catch {
      if (this.#socket === socket) socket.close(4001, 'notification list failed')
      return
    }
    if (!list || this.#socket !== socket) return
    // The list is the truth as of now; what came live meanwhile is applied on top.
    this.#items.clear()
    for (const n of list.items) this.#items.set(n.id, n)
    this.#unread = list.unread
    this.#waiting = list.waiting
    const buffered = this.#buffer ?? []
    this.#buffer = null
    for (const m of buffered) this.#apply(m)
    this.#attempt = 0
    this.#changed()
  }
}
