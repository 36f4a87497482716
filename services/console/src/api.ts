/** JSON over fetch, same origin, cookie auth. Errors carry the server's `code` and message. */
import type { Principal } from './protocol.js'

export interface SessionInfo {
  principal: Principal
  displayName: string
  roleName: string
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
  }
}

/** Set by the app: called on any 401 so the page goes back to the login form. */
export let onUnauthorized: () => void = () => {}
export function setOnUnauthorized(handler: () => void): void {
  onUnauthorized = handler
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown; quiet401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (init.json !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(path, {
    ...init,
    credentials: 'same-origin',
    headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  })
  if (res.status === 204) return undefined as T
  const text = await res.text()
  let body: unknown
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = text
  }
  if (!res.ok) {
    const b = (body ?? {}) as { code?: string; message?: string }
    if (res.status === 401 && !init.quiet401) onUnauthorized()
    const retry = res.headers.get('retry-after')
    throw new ApiError(res.status, b.code ?? `HTTP_${res.status}`, b.message ?? res.statusText, retry ? Number(retry) : undefined)
  }
  return body as T
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}
