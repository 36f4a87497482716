import { useState } from 'preact/hooks'
import { api, ApiError, type SessionInfo } from '../api.js'
import { t } from '../i18n.js'
import { unlockAudio } from '../live/beep.js'

export function LoginPage({ onLogin }: { onLogin: (session: SessionInfo) => void }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    unlockAudio()
    setBusy(true)
    setError(null)
    try {
      onLogin(await api<SessionInfo>('/v1/session', { method: 'POST', json: { username, password }, quiet401: true }))
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setError(t('login.limited', { s: err.retryAfterSeconds ?? 60 }))
      else if (err instanceof ApiError && err.status === 401) setError(t('login.bad'))
      else setError(t('error.generic', { m: (err as Error).message }))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="login" onSubmit={submit} data-testid="login-form">
      <h1>{t('appName')}</h1>
      <h2>{t('login.title')}</h2>
      <label>
        {t('login.username')}
        <input name="username" autocomplete="username" value={username} onInput={(e) => setUsername((e.target as HTMLInputElement).value)} required />
      </label>
      <label>
        {t('login.password')}
        <input name="password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} required />
      </label>
      {error && (
        <p class="error" data-testid="login-error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('login.submit')}
      </button>
      <p class="muted small-text">{t('login.note')}</p>
    </form>
  )
}
