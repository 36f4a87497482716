/**
 * zh-CN first, with the handbook's own terms (第八章 外呼中心服务规范); English as a toggle.
 * One flat dictionary per language; a missing English entry falls back to Chinese.
 */
import { dispositionLabel, roleLabel, ruleLabel, severityLabel, speakerLabel, type Lang } from './protocol.js'

export type { Lang }

const zh = {
  appName: 'callqa 外呼质检',
  'nav.live': '实时监控',
  'nav.kpi': '绩效指标',
  'nav.reports': '通话报告',
  'nav.rulebook': '质检规则',
  'nav.logout': '退出',
  'app.zone': '中心时区',
  'app.zoneHint': '日期与时间均按呼叫中心所在时区（CALLQA_TIMEZONE）显示',
  'login.title': '登录实时监控台',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.bad': '用户名或密码错误',
  'login.limited': '登录尝试过多，请 {s} 秒后再试',
  'login.note': '按《安全保密制度》，客户个人信息在所有页面均已隐去。',
  'link.connecting': '正在连接…',
  'link.catchingUp': '正在补齐断线期间的告警…',
  'link.live': '实时',
  'link.reconnecting': '连接已断开（{reason}），{s} 秒后第 {n} 次重连',
  'link.unauthorized': '登录已失效，请重新登录',
  'link.behind': '数据延迟 {s} 秒',
  'link.reconnectNow': '立即重连',
  'live.calls': '进行中的通话',
  'live.alerts': '告警',
  'live.noCalls': '当前没有进行中的通话',
  'live.noAlerts': '暂无告警',
  'live.agent': '外呼员',
  'live.team': '班组',
  'live.duration': '时长',
  'live.cpm': '语速',
  'live.cpmUnit': '字/分',
  'live.band': '标准 96~144',
  'live.greeted': '问候语',
  'live.greetedYes': '已问候',
  'live.greetedNo': '未问候',
  'live.greetedPending': '待定',
  'live.findings': '违规',
  'live.ended': '已结束',
  'live.score': '得分',
  'live.ack': '确认',
  'live.acked': '{by} 已于 {at} 确认',
  'live.follow': '实时转写',
  'live.close': '关闭',
  'live.transcriptEmpty': '等待转写…',
  'live.partial': '识别中',
  'live.criticalCue': '严重告警',
  'live.unacked': '未确认',
  'live.riskHint': '客户提及投诉渠道：转投诉管理员跟进，不计入外呼员违规',
  'live.filterAll': '全部',
  'live.filterUnacked': '仅未确认',
  'live.agentsOnly': '外呼员账号只能查看本人的通话报告。',
  'kpi.scope': '范围',
  'kpi.team': '班组',
  'kpi.agent': '外呼员',
  'kpi.id': '编号',
  'kpi.from': '开始日期',
  'kpi.to': '结束日期',
  'kpi.granularity': '粒度',
  'kpi.day': '按日',
  'kpi.month': '按月',
  'kpi.load': '查询',
  'kpi.csv': '导出 CSV',
  'kpi.calls': '通话数',
  'kpi.successful': '成功数',
  'kpi.avgScore': '平均分',
  'kpi.medianScore': '中位分',
  'kpi.greetingRate': '问候语使用率',
  'kpi.closingRate': '结束语使用率',
  'kpi.avgCpm': '平均语速',
  'kpi.interruptions': '打断客户/通',
  'kpi.complaintRisk': '投诉风险通话',
  'kpi.violations': '违规（不含投诉风险）',
  'kpi.choose': '请选择',
  'kpi.seatDays': '台席·日',
  'kpi.staffing': '人员编制（第三章）',
  'kpi.perSeatCalls': '日均呼出/台席',
  'kpi.perSeatSuccess': '日均成功/台席',
  'kpi.band': '标准范围',
  'kpi.scoreTrend': '得分趋势',
  'kpi.byPhrase': '服务忌语统计',
  'kpi.rateDist': '语速分布',
  'kpi.rateSlow': '过慢 (<96)',
  'kpi.rateOk': '适中 (96~144)',
  'kpi.rateFast': '过快 (>144)',
  'kpi.byRule': '违规类型',
  'kpi.empty': '该范围内没有通话',
  'kpi.forbidden': '无权查看该范围',
  'kpi.volume': '呼出量与标准',
  'reports.search': '搜索',
  'reports.minScore': '最低分',
  'reports.maxScore': '最高分',
  'reports.rule': '规则',
  'reports.any': '不限',
  'reports.callId': '通话编号',
  'reports.startedAt': '开始时间',
  'reports.disposition': '结果',
  'reports.open': '查看报告',
  'reports.more': '加载更多',
  'reports.none': '没有符合条件的通话',
  'reports.count': '共 {n} 条',
  'rulebook.title': '当前规则库',
  'rulebook.version': '版本',
  'rulebook.try': '试一试',
  'rulebook.tryHint': '粘贴 JSONL 转写，或每行一句“坐席：…”/“客户：…”的对话（对话按每分钟 120 字估算时间，语速与应答及时仅供参考）',
  'rulebook.run': '检查',
  'rulebook.findings': '检查结果',
  'rulebook.none': '未发现违规',
  'rulebook.phrases': '短语',
  'rulebook.severity': '严重程度',
  'error.generic': '出错了：{m}',
}

type Key = keyof typeof zh

const en: Partial<Record<Key, string>> = {
  appName: 'callqa call QA',
  'nav.live': 'Live',
  'nav.kpi': 'KPIs',
  'nav.reports': 'Reports',
  'nav.rulebook': 'Rulebook',
  'nav.logout': 'Log out',
  'app.zone': 'Center time',
  'app.zoneHint': 'Dates and times follow the call center\'s time zone (CALLQA_TIMEZONE)',
  'login.title': 'Sign in to the live console',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.bad': 'Wrong username or password',
  'login.limited': 'Too many attempts: try again in {s} s',
  'login.note': 'Per the confidentiality rules, customer personal data is masked on every page.',
  'link.connecting': 'Connecting…',
  'link.catchingUp': 'Catching up on alerts missed while disconnected…',
  'link.live': 'Live',
  'link.reconnecting': 'Disconnected ({reason}); reconnect attempt {n} in {s} s',
  'link.unauthorized': 'Session expired: please sign in again',
  'link.behind': 'Behind by {s} s',
  'link.reconnectNow': 'Reconnect now',
  'live.calls': 'Live calls',
  'live.alerts': 'Alerts',
  'live.noCalls': 'No live calls',
  'live.noAlerts': 'No alerts',
  'live.agent': 'Agent',
  'live.team': 'Team',
  'live.duration': 'Duration',
  'live.cpm': 'Speaking rate',
  'live.cpmUnit': 'chars/min',
  'live.band': 'band 96-144',
  'live.greeted': 'Greeting',
  'live.greetedYes': 'greeted',
  'live.greetedNo': 'no greeting',
  'live.greetedPending': 'pending',
  'live.findings': 'Findings',
  'live.ended': 'ended',
  'live.score': 'Score',
  'live.ack': 'Acknowledge',
  'live.acked': 'acknowledged by {by} at {at}',
  'live.follow': 'Live transcript',
  'live.close': 'Close',
  'live.transcriptEmpty': 'Waiting for speech…',
  'live.partial': 'partial',
  'live.criticalCue': 'Critical alert',
  'live.unacked': 'unacknowledged',
  'live.riskHint': 'The customer named a complaint channel: for the complaint manager, not counted as the agent\'s violation',
  'live.filterAll': 'All',
  'live.filterUnacked': 'Unacknowledged',
  'live.agentsOnly': 'Agent accounts see only their own call reports.',
  'kpi.scope': 'Scope',
  'kpi.team': 'Team',
  'kpi.agent': 'Agent',
  'kpi.id': 'Id',
  'kpi.from': 'From',
  'kpi.to': 'To',
  'kpi.granularity': 'Granularity',
  'kpi.day': 'Daily',
  'kpi.month': 'Monthly',
  'kpi.load': 'Show',
  'kpi.csv': 'Export CSV',
  'kpi.calls': 'Calls',
  'kpi.successful': 'Successful',
  'kpi.avgScore': 'Average score',
  'kpi.medianScore': 'Median score',
  'kpi.greetingRate': 'Greeting rate',
  'kpi.closingRate': 'Closing rate',
  'kpi.avgCpm': 'Average speaking rate',
  'kpi.interruptions': 'Interruptions per call',
  'kpi.complaintRisk': 'Complaint-risk calls',
  'kpi.violations': 'Violations (complaint risk apart)',
  'kpi.choose': 'Choose…',
  'kpi.seatDays': 'Seat-days',
  'kpi.staffing': 'Staffing (chapter 3)',
  'kpi.perSeatCalls': 'Calls per seat-day',
  'kpi.perSeatSuccess': 'Successes per seat-day',
  'kpi.band': 'Band',
  'kpi.scoreTrend': 'Score trend',
  'kpi.byPhrase': 'Forbidden phrases',
  'kpi.rateDist': 'Speaking-rate distribution',
  'kpi.rateSlow': 'Slow (<96)',
  'kpi.rateOk': 'In band (96-144)',
  'kpi.rateFast': 'Fast (>144)',
  'kpi.byRule': 'Findings by rule',
  'kpi.empty': 'No calls in this range',
  'kpi.forbidden': 'Not allowed to see this scope',
  'kpi.volume': 'Call volume against the band',
  'reports.search': 'Search',
  'reports.minScore': 'Min score',
  'reports.maxScore': 'Max score',
  'reports.rule': 'Rule',
  'reports.any': 'Any',
  'reports.callId': 'Call',
  'reports.startedAt': 'Started',
  'reports.disposition': 'Outcome',
  'reports.open': 'Open report',
  'reports.more': 'Load more',
  'reports.none': 'No matching calls',
  'reports.count': '{n} calls',
  'rulebook.title': 'Active rulebook',
  'rulebook.version': 'Version',
  'rulebook.try': 'Try it',
  'rulebook.tryHint': 'Paste a JSONL transcript, or a dialogue with one "坐席：…" / "客户：…" line per utterance (a dialogue is timed at 120 characters a minute: speaking-rate and response-time findings are indicative only)',
  'rulebook.run': 'Check',
  'rulebook.findings': 'Findings',
  'rulebook.none': 'No findings',
  'rulebook.phrases': 'Phrases',
  'rulebook.severity': 'Severity',
  'error.generic': 'Error: {m}',
}

let current: Lang = (localStorage.getItem('callqa.lang') as Lang | null) === 'en' ? 'en' : 'zh'

export function lang(): Lang {
  return current
}

export function setLang(next: Lang): void {
  current = next
  localStorage.setItem('callqa.lang', next)
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en'
}

export function t(key: Key, vars?: Record<string, string | number>): string {
  let text = (current === 'en' ? en[key] : undefined) ?? zh[key]
  if (vars) for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v))
  return text
}

// People-facing domain labels come from the protocol's one catalogue (packages/protocol/src/labels.ts).
export function ruleName(rule: string): string {
  return ruleLabel(rule, current)
}

export function severityName(severity: string): string {
  return severityLabel(severity, current)
}

export function dispositionName(disposition: string): string {
  return dispositionLabel(disposition, current)
}

export function speakerName(speaker: string): string {
  return speakerLabel(speaker, current)
}

export function roleName(role: string): string {
  return roleLabel(role, current)
}
