/**
 * The notification badge in the top bar and its panel: unread count (red when an appeal waiting
 * for this manager is overdue), the items, the manager's appeal queue size, mark read.
 */
import { useEffect, useState } from 'preact/hooks'
import { ruleName, t } from '../i18n.js'
import { dateTime } from '../format.js'
import { agentName } from '../directory.js'
import type { ListedNotification, NotifySocket } from './notify-socket.js'

function text(n: ListedNotification): string {
  const call = n.callId
  switch (n.kind) {
    case 'deduction':
      return t('notify.deduction', { call, score: n.score, items: (n.deductions ?? []).map((d) => `${ruleName(d.rule)} -${d.points}`).join('、') })
    case 'appeal_filed':
      return t('notify.appealFiled', { call, rule: ruleName(n.appeal?.rule ?? ''), agent: agentName(n.agentId), reason: n.appeal?.reason ?? '', due: n.appeal ? dateTime(n.appeal.dueAt) : '' })
    case 'appeal_decided':
      return n.appeal?.status === 'overturned'
        ? t('notify.appealOverturned', { call, rule: ruleName(n.appeal.rule), score: n.score, reply: n.appeal.reply ?? '' })
        : t('notify.appealUpheld', { call, rule: ruleName(n.appeal?.rule ?? ''), reply: n.appeal?.reply ?? '' })
  }
}

export function NotificationBell({ notify }: { notify: NotifySocket }) {
  const [state, setState] = useState(notify.state())
  const [open, setOpen] = useState(false)
  useEffect(() => notify.subscribe(() => setState(notify.state())), [notify])
  const overdue = state.items.some((n) => n.overdue) || (state.waiting?.overdue ?? 0) > 0
  const read = (ids: string[] | 'all') => void notify.markRead(ids).catch(() => undefined)
  return (
    <span class="bell-wrap">
      <button
        type="button"
        class={`small bell ${overdue ? 'overdue' : ''}`}
        data-testid="notify-badge"
        data-count={state.unread}
        data-overdue={overdue ? 'true' : 'false'}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {t('notify.bell')}
        {state.unread > 0 && <span class="badge" data-testid="notify-count">{state.unread > 999 ? '999+' : state.unread}</span>}
      </button>
      {open && (
        <div class="notify-panel" data-testid="notify-panel" role="dialog">
          {state.waiting && (
            <p data-testid="notify-waiting" data-pending={state.waiting.pending} data-overdue={state.waiting.overdue}>
              {t('notify.waiting', { n: state.waiting.pending })}
              {state.waiting.overdue > 0 && <b class="bad"> · {t('notify.waitingOverdue', { n: state.waiting.overdue })}</b>}
            </p>
          )}
          {state.items.length === 0 && <p class="muted">{t('notify.none')}</p>}
          <ul>
            {state.items.map((n) => (
              <li data-testid="notify-item" data-kind={n.kind} data-id={n.id} data-status={n.appeal?.status ?? ''} class={n.overdue ? 'overdue' : ''}>
                <a href="#/review">{text(n)}</a>
                {n.overdue && <b class="bad"> {t('notify.overdue')}</b>}
                <span class="muted small-text"> {dateTime(n.createdAt)}</span>
                <button type="button" class="small secondary" data-testid="notify-read" onClick={() => read([n.id])}>
                  {t('notify.read')}
                </button>
              </li>
            ))}
          </ul>
          {state.items.length > 0 && (
            <button type="button" class="small" data-testid="notify-read-all" onClick={() => read('all')}>
              {t('notify.readAll')}
            </button>
          )}
        </div>
      )}
    </span>
  )
}
