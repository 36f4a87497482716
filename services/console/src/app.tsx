import { useEffect, useMemo, useState } from 'preact/hooks'
import { api, setOnUnauthorized, type SessionInfo } from './api.js'
import { lang, roleName, setLang, t } from './i18n.js'
import { watchesLiveCalls, type Principal } from './protocol.js'
import { LiveStore } from './live/live-store.js'
import { LiveSocket, type LinkState } from './live/live-socket.js'
import { beep, beeps } from './live/beep.js'
import { centerTimeZone, directoryLoaded, onDirectory, startDirectory, stopDirectory } from './directory.js'
import { LoginPage } from './pages/login.js'
import { LinkBanner, LiveWall } from './pages/live-wall.js'
import { KpiPage } from './pages/kpi.js'
import { ReportsPage } from './pages/reports.js'
import { RulebookPage } from './pages/rulebook.js'
import { ReviewPage } from './pages/review.js'
import { QualityPage } from './pages/quality.js'
import { NotifySocket } from './notify/notify-socket.js'
import { NotificationBell } from './notify/bell.js'

type Page = 'live' | 'kpi' | 'reports' | 'review' | 'quality' | 'rulebook'

const RENDER_INTERVAL_MS = 150
/** Longest wait for an animation frame before flushing anyway (background tabs get none). */
const BACKGROUND_FLUSH_MS = 500

export function pagesFor(principal: Principal): Page[] {
  const pages: Page[] = []
  if (watchesLiveCalls(principal)) pages.push('live')
  // Complaint managers have no team or agent KPIs (access rules); everyone else sees theirs.
  if (principal.role !== 'complaint_manager') pages.push('kpi')
  pages.push('reports', 'review')
  if (principal.role !== 'agent') pages.push('quality')
  pages.push('rulebook')
  return pages
}

function currentPage(allowed: Page[]): Page {
  const hash = location.hash.replace(/^#\/?/, '') as Page
  return allowed.includes(hash) ? hash : allowed[0]!
}

declare global {
  interface Window {
    /** Test and support hooks: the live state and link, read-only use. */
    __callqa?: { store: LiveStore; socket: LiveSocket; beeps: () => number; cues: () => number }
    /** Test and support hook: the notification channel. */
    __callqaNotify?: NotifySocket
  }
}

/** Roles with notifications (packages/review receivesNotifications): agents and the managers who decide appeals. */
function receivesNotifications(principal: Principal): boolean {
  return principal.role === 'agent' || principal.role === 'outbound_manager' || principal.role === 'complaint_manager'
}

function Console({ session, onLogout }: { session: SessionInfo; onLogout: () => void }) {
  const principal = session.principal
  const allowed = pagesFor(principal)
  const [page, setPage] = useState<Page>(currentPage(allowed))
  const [, setLangTick] = useState(0)
  const [link, setLink] = useState<LinkState>({ kind: 'connecting', attempt: 0 })
  // Seconds behind, only when more than 5 s (a state change per message would re-render per message).
  const [behindS, setBehindS] = useState(0)
  const [critical, setCritical] = useState(0)
  const [, setDirectoryTick] = useState(0)
  useEffect(() => onDirectory(() => setDirectoryTick((n) => n + 1)), [])
  const live = useMemo(() => {
    if (!watchesLiveCalls(principal)) return null
    // Data renders at most every RENDER_INTERVAL_MS, on an animation frame: a supervisor reads no
    // faster, and under a flood of messages the main thread stays free for scrolling and clicks.
    let lastFlushMs = 0
    const store = new LiveStore({
      schedule: (flush) => {
        // Browsers pause animation frames in a background tab; a supervisor's console often is one,
        // and its critical-alert beep must still sound: a timer flushes when no frame comes.
        const run = () => {
          let done = false
          const once = () => {
            if (done) return
            done = true
            lastFlushMs = performance.now()
            flush()
          }
          requestAnimationFrame(once)
          setTimeout(once, BACKGROUND_FLUSH_MS)
        }
        const waitMs = lastFlushMs + RENDER_INTERVAL_MS - performance.now()
        if (waitMs > 0) setTimeout(run, waitMs)
        else run()
      },
    })
    const minBackoffMs = Number(localStorage.getItem('callqa.minBackoffMs')) || undefined
    const socket = new LiveSocket({
      store,
      onState: setLink,
      onLag: (lagMs) => setBehindS(lagMs > 5000 ? Math.round(lagMs / 1000) : 0),
      ...(minBackoffMs ? { minBackoffMs } : {}),
    })
    return { store, socket }
  }, [principal.username])

  // Agents get no live socket, but they do get this one: their own notifications only.
  const notify = useMemo(() => (receivesNotifications(principal) ? new NotifySocket() : null), [principal.username])
  useEffect(() => {
    if (!notify) return
    notify.start()
    window.__callqaNotify = notify
    return () => notify.stop()
  }, [notify])

  useEffect(() => {
    const onHash = () => setPage(currentPage(allowed))
    addEventListener('hashchange', onHash)
    return () => removeEventListener('hashchange', onHash)
  }, [])

  useEffect(() => {
    if (!live) return
    let flashTimer: ReturnType<typeof setTimeout> | undefined
    let cues = 0
    // Once per frame at most (the store's flush), however many critical alerts came in it.
    const unsubscribe = live.store.subscribe(() => {
      if (live.store.newCritical === 0) return
      cues++
      beep()
      setCritical((n) => n + 1)
      clearTimeout(flashTimer)
      flashTimer = setTimeout(() => setCritical(0), 1500)
    })
    live.socket.start()
    const sweep = setInterval(() => live.store.sweep(), 5000)
    window.__callqa = { store: live.store, socket: live.socket, beeps: () => beeps, cues: () => cues }
    return () => {
      unsubscribe()
      live.socket.stop()
      clearInterval(sweep)
      clearTimeout(flashTimer)
    }
  }, [live])

  const logout = async () => {
    live?.socket.stop()
    notify?.stop()
    stopDirectory()
    await api('/v1/session', { method: 'DELETE', quiet401: true }).catch(() => undefined)
    onLogout()
  }

  return (
    <div class={`shell ${critical > 0 ? 'critical-flash' : ''}`}>
      <nav class="top">
        <span class="brand">{t('appName')}</span>
        {allowed.map((p) => (
          <a href={`#/${p}`} class={p === page ? 'active' : ''} data-testid={`nav-${p}`}>
            {t(`nav.${p}` as 'nav.live')}
          </a>
        ))}
        <span class="spacer" />
        {live && link.kind === 'live' && (
          <span class="live-dot" data-testid="link-live">
            ● {t('link.live')}
          </span>
        )}
        {notify && <NotificationBell notify={notify} />}
        <span class="muted small-text" data-testid="center-zone" title={t('app.zoneHint')}>
          {t('app.zone')} {centerTimeZone()}
        </span>
        <span class="who" data-testid="whoami" data-role={principal.role}>
          {session.displayName} · {roleName(principal.role)}
          {principal.teams && ` · ${principal.teams.join(', ')}`}
        </span>
        <button
          type="button"
          class="small secondary"
          data-testid="lang-toggle"
          onClick={() => {
            setLang(lang() === 'zh' ? 'en' : 'zh')
            setLangTick((n) => n + 1)
          }}
        >
          {lang() === 'zh' ? 'English' : '中文'}
        </button>
        <button type="button" class="small secondary" onClick={() => void logout()} data-testid="logout">
          {t('nav.logout')}
        </button>
      </nav>
      {live && <LinkBanner state={link} lagMs={behindS * 1000} onReconnect={() => live.socket.reconnectNow()} />}
      {critical > 0 && (
        <div class="critical-cue" role="alert" data-testid="critical-cue">
          ⚠ {t('live.criticalCue')}
        </div>
      )}
      <main>
        {page === 'live' && live && <LiveWall store={live.store} critical={critical} onFollow={(callId) => live.socket.follow(callId)} />}
        {page === 'kpi' && <KpiPage principal={principal} />}
        {page === 'reports' && <ReportsPage principal={principal} />}
        {page === 'review' && <ReviewPage principal={principal} notify={notify} />}
        {page === 'quality' && <QualityPage principal={principal} />}
        {page === 'rulebook' && <RulebookPage role={principal.role} />}
      </main>
    </div>
  )
}

export function App() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined)
  useEffect(() => {
    setOnUnauthorized(() => setSession(null))
    api<SessionInfo>('/v1/session', { quiet401: true }).then(setSession, () => setSession(null))
  }, [])
  // Names and the center's clock first: no date is shown in the browser's zone, then changed.
  const [ready, setReady] = useState(false)
  useEffect(() => {
    if (!session) return setReady(false)
    let stale = false
    void startDirectory().then(() => !stale && setReady(true))
    return () => {
      stale = true
    }
  }, [session?.principal.username])
  if (session === undefined) return <div class="loading">…</div>
  if (session === null) return <LoginPage onLogin={setSession} />
  if (!ready && !directoryLoaded()) return <div class="loading">…</div>
  return <Console key={session.principal.username} session={session} onLogout={() => setSession(null)} />
}
