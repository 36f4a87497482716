import { useEffect, useState } from 'preact/hooks'
import type { LiveStore } from './live-store.js'

/** Re-renders the component when the store flushes (at most once a frame). */
export function useStore(store: LiveStore): number {
  const [version, setVersion] = useState(store.version)
  useEffect(() => store.subscribe(() => setVersion(store.version)), [store])
  return version
}

/** The clock, ticking every `everyMs` (durations on the tiles). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(timer)
  }, [everyMs])
  return now
}
