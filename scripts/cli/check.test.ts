import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TSX = join(ROOT, 'node_modules/.bin/tsx')
const tmp = mkdtempSync(join(tmpdir(), 'callqa-check-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

function callqa(args: string[], env: Record<string, string> = {}, input?: string) {
  const out = spawnSync(TSX, ['scripts/callqa.ts', 'check', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
    env: { ...process.env, NO_COLOR: '', ...env },
  })
  return { code: out.status, stdout: out.stdout, stderr: out.stderr }
}

function file(name: string, text: string): string {
  const path = join(tmp, name)
  writeFileSync(path, text)
  return path
}

// Each case spawns the real CLI (tsx + jieba load, 1-2 s each, far more on a loaded machine).
describe('callqa check', { timeout: 180_000 }, () => {
  it('prints one JSON report per call per line with the fields of the issue', () => {
    const out = callqa(['--json', 'samples/05-angry-agent-forbidden-phrases.jsonl', 'samples/07-interruptions-slow-answer.jsonl'])
    expect(out.stderr).toBe('')
    expect(out.code).toBe(0)
    const lines = out.stdout.trim().split('\n')
    expect(lines).toHaveLength(2)
    const report = JSON.parse(lines[0]!)
    expect(Object.keys(report).slice(0, 7)).toEqual(['callId', 'agentId', 'teamId', 'score', 'findings', 'metrics', 'rulebook'])
    expect(report).toMatchObject({ callId: 'c-20261129-0005', agentId: 'a-12', teamId: 't-2', score: 65, rulebook: { id: 'handbook-default', version: '1' } })
    expect(report.findings[0]).toMatchObject({ rule: 'forbidden_phrase', severity: 'critical', seq: 3, phrase: '不知道', text: '嗯…不知道啊,这个我也不清楚。' })
    expect(typeof report.findings[0].atMs).toBe('number')
    expect(report.metrics.agentCpm).toBe(120)
    expect(JSON.parse(lines[1]!).findings.map((f: { rule: string }) => f.rule)).toEqual(['interruption', 'slow_response', 'interruption'])
  })

  it('prints a report for a person, offending words marked, without colour when stdout is no terminal', () => {
    const out = callqa(['samples/05-angry-agent-forbidden-phrases.jsonl'])
    expect(out.code).toBe(0)
    expect(out.stdout).toContain('得分 65/100')
    expect(out.stdout).toContain('严重 服务忌语')
    expect(out.stdout).not.toMatch(/forbidden_phrase|score /)
    expect(out.stdout).toContain('嗯…【不知道】啊,【这个我也不清楚】。')
    expect(out.stdout).toContain('-10 服务忌语「不归我们管…找领导去吧」')
    expect(out.stdout).not.toContain('\x1b[')
  })

  it('speaks English with --lang en, one language at a time', () => {
    const out = callqa(['--lang', 'en', 'samples/05-angry-agent-forbidden-phrases.jsonl'])
    expect(out.code).toBe(0)
    expect(out.stdout).toContain('score 65/100')
    expect(out.stdout).toContain('Critical Forbidden phrase')
    expect(out.stdout).not.toMatch(/得分|严重|语速|问候/)
    // The deduction names what was said, as the Chinese one does.
    expect(out.stdout).toMatch(/-10 Forbidden phrase 「不归我们管…找领导去吧」 \(utterance 5\)/)
  })

  it('marks every span of a finding, not only the first', () => {
    const out = callqa(['samples/05-angry-agent-forbidden-phrases.jsonl'])
    // One finding per utterance and act, two stretches said: both marked.
    expect(out.stdout).toContain('嗯…【不知道】啊,【这个我也不清楚】。')
    expect(out.stdout).toContain('【这是规定,就不行】,【我解决不了】。')
  })

  it('says in the report that lines were rejected, and makes up no slow response across them (exit 1)', () => {
    const at = '"at":"2026-11-29T08:00:00.000Z"'
    const path = file(
      'gap.jsonl',
      [
        `{"type":"call.started","callId":"c-gap","agentId":"a-1","teamId":"t-1","direction":"outbound",${at}}`,
        '{"type":"utterance","callId":"c-gap","seq":0,"speaker":"agent","text":"您好，我是中国移动客服代表小王，请问是李先生吗？","startMs":0,"endMs":6000,"final":true}',
        '{"type":"utterance","callId":"c-gap","seq":1,"speaker":"customer","text":"是我，什么事？","startMs":6500,"endMs":8000,"final":true}',
        '{"type":"utterance","callId":"c-gap","seq":2,"speaker":"agent","text":"我们推出了新的套餐","startMs":9000,"endMs":12000,"final":true}',
        '{"type":"utterance","callId":"c-gap","seq":3,"speaker":"customer","text":"具体有什么优惠？","startMs":12500,"endMs":14000,"final":true}',
        '{"type":"utterance","callId":"c-gap","seq":4,"speaker":"agent","text":"这个套餐每月128元，含30GB国内流量和500分钟通话，办理后次月生效，合约期内不可降档。","startMs":14500,"endMs":60000,"final":"yes"}',
        '{"type":"utterance","callId":"c-gap","seq":5,"speaker":"agent","text":"感谢您的耐心，祝您生活愉快，再见。","startMs":62000,"endMs":66000,"final":true}',
        '{"type":"call.ended","callId":"c-gap","endMs":67000,"disposition":"success"}',
      ].join('\n'),
    )
    const json = callqa(['--json', path])
    expect(json.code).toBe(1)
    const report = JSON.parse(json.stdout)
    expect(report.incomplete).toEqual({ rejectedLines: 1, lines: [6] })
    // Across the rejected line 6 (the agent's answer) the engine sees 14 s → 62 s as one 48 s wait: not judged.
    expect(report.findings.filter((f: { rule: string }) => f.rule === 'slow_response')).toEqual([])
    expect(report.metrics.slowResponses).toBe(0)
    const text = callqa([path])
    expect(text.stdout).toContain('不完整：1 行被拒绝（第 6 行）')
    // The same wait with nothing missing before it is a real one and still counts.
    const real = file('gap-real.jsonl', readFileSync(path, 'utf8').split('\n').filter((l) => !l.includes('"final":"yes"')).join('\n'))
    const full = JSON.parse(callqa(['--json', real]).stdout)
    expect(full.incomplete).toBeUndefined()
    expect(full.findings.filter((f: { rule: string }) => f.rule === 'slow_response')).toHaveLength(1)
  })

  it('calls an empty file an error, and checks the other files when one cannot be read (exit 2)', () => {
    const empty = file('empty.jsonl', '\n\n')
    const out = callqa(['--json', empty, 'samples/no-such.jsonl', 'samples/03-broadband-renewal-no-greeting.jsonl'])
    expect(out.code).toBe(2)
    expect(out.stderr).toContain(`${empty} is empty: no events to check`)
    expect(out.stderr).toContain('cannot read samples/no-such.jsonl: no such file')
    expect(out.stderr).not.toMatch(/ENOENT/)
    expect(out.stderr).toContain('2 of 3 files could not be checked')
    expect(out.stdout.trim().split('\n')).toHaveLength(1)
  })

  it('colours the offending words with --color and never with NO_COLOR', () => {
    expect(callqa(['--color', 'samples/05-angry-agent-forbidden-phrases.jsonl']).stdout).toContain('\x1b[1;4;31m不知道\x1b[22;24;39m')
    expect(callqa(['samples/05-angry-agent-forbidden-phrases.jsonl'], { NO_COLOR: '1' }).stdout).not.toContain('\x1b[')
  })

  it('reports bad lines with their line numbers on stderr and checks the rest (exit 1)', () => {
    const path = file(
      'bad.jsonl',
      [
        '{"type":"call.started","callId":"c-9","agentId":"a-1","teamId":"t-1","direction":"outbound","at":"2026-11-29T08:00:00.000Z"}',
        'not json',
        '{"type":"utterance","callId":"c-9","seq":1,"speaker":"boss","text":"x","startMs":0,"endMs":1}',
        '{"type":"utterance","callId":"c-404","seq":1,"speaker":"agent","text":"您好","startMs":0,"endMs":900}',
        '{"type":"utterance","callId":"c-9","seq":2,"speaker":"agent","text":"我不知道","startMs":1000,"endMs":3000}',
        '{"type":"call.ended","callId":"c-9","endMs":4000,"disposition":"success"}',
        '{"type":"utterance","callId":"c-9","seq":3,"speaker":"agent","text":"再见","startMs":4100,"endMs":4900}',
      ].join('\n'),
    )
    const out = callqa(['--json', path])
    expect(out.code).toBe(1)
    const errors = out.stderr.trim().split('\n')
    expect(errors).toHaveLength(4)
    expect(errors[0]).toMatch(/CQ_ERR_NOT_JSON: line 2 is not valid JSON/)
    expect(errors[1]).toMatch(/CQ_ERR_INVALID_EVENT: line 3: utterance\.speaker/)
    expect(errors[2]).toMatch(/CQ_ERR_UNKNOWN_CALL: line 4: utterance for call c-404/)
    expect(errors[3]).toMatch(/CQ_ERR_CALL_ENDED: line 7: call c-9 has ended/)
    const report = JSON.parse(out.stdout)
    expect(report.findings.map((f: { phrase?: string; rule: string }) => f.phrase ?? f.rule).sort()).toEqual(['missing_closing', 'missing_greeting', '不知道'])
  })

  it('warns about a call without call.ended and checks it as abandoned', () => {
    const path = file(
      'unended.jsonl',
      '{"type":"call.started","callId":"c-8","agentId":"a-1","teamId":"t-1","direction":"outbound","at":"2026-11-29T08:00:00.000Z"}\n' +
        '{"type":"utterance","callId":"c-8","seq":1,"speaker":"agent","text":"您好,请问是张先生吗?","startMs":0,"endMs":5000}\n',
    )
    const out = callqa(['--json', path])
    expect(out.code).toBe(0)
    expect(out.stderr).toContain('call c-8 has no call.ended; checked as abandoned at 5000 ms')
    expect(JSON.parse(out.stdout)).toMatchObject({ disposition: 'abandoned', endMs: 5000, findings: [] })
  })

  it.each([
    [[], /no transcript file given/],
    [['--frobnicate', 'samples/01-5g-upgrade-clean.jsonl'], /unknown option --frobnicate/],
    [['--rulebook'], /--rulebook needs a file name/],
    [['samples/no-such-call.jsonl'], /cannot read samples\/no-such-call\.jsonl: no such file/],
    [['--lang', 'fr', 'samples/01-5g-upgrade-clean.jsonl'], /--lang must be zh or en, got "fr"/],
    [['--rulebook', 'no-such-rulebook.yaml', 'samples/01-5g-upgrade-clean.jsonl'], /cannot read rulebook no-such-rulebook\.yaml/],
  ])('exits 2 with a clear message on bad usage or unreadable input (%#)', (args, message) => {
    const out = callqa(args)
    expect(out.code).toBe(2)
    expect(out.stdout).toBe('')
    expect(out.stderr).toMatch(message)
  })

  it('exits 2 naming the line of a broken rulebook', () => {
    const path = file('broken.yaml', 'id: x\nversion: "1"\nscore: {base: 100, maxBonus: 5}\nrules:\n  speaking_rate: {severity: warning, weight: -3, targetCpm: 120, tolerance: 0.2}\n')
    const out = callqa(['--rulebook', path, 'samples/01-5g-upgrade-clean.jsonl'])
    expect(out.code).toBe(2)
    expect(out.stderr).toContain(`${path}:5:`)
    expect(out.stderr).toContain('rules.speaking_rate.weight: must be at least 0, got -3')
  })

  it('reads a transcript from stdin when the file is -', () => {
    const out = callqa(['--json', '-'], {}, readFileSync(join(ROOT, 'samples/03-broadband-renewal-no-greeting.jsonl'), 'utf8'))
    expect(out.code).toBe(0)
    expect(JSON.parse(out.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['missing_greeting', 'missing_closing'])
  })

  it('checks with another rulebook', () => {
    const path = file('lenient.yaml', 'extends: handbook-default\nid: lenient\nversion: "2"\nrules:\n  speaking_rate: {enabled: false}\n')
    const out = callqa(['--json', '--rulebook', path, 'samples/06-fast-talker.jsonl'])
    expect(out.code).toBe(0)
    expect(JSON.parse(out.stdout)).toMatchObject({ rulebook: { id: 'lenient', version: '2' }, findings: [], score: 100 })
  })
})
