import { describe, expect, it } from 'vitest'
import { furtherHelpAt, offersFurtherHelp } from './further-help.js'

describe('offers of further help', () => {
  it.each(['还有什么需要我帮您的吗?', '您看还有什么不清楚的吗?', '请问还有别的吗?', '您还有其他业务要办理吗?'])('offers on %s', (text) => {
    expect(offersFurtherHelp(text)).toBe(true)
    expect(furtherHelpAt(text, 0, text.length)).toBe(true)
  })

  it.each(['您平时都不看短信的吗?', '这个月的流量还有2个G。'])('no offer on %s', (text) => {
    expect(offersFurtherHelp(text)).toBe(false)
  })

  it('looks no further than the clauses it is given', () => {
    const text = '您平时都不看短信的吗?还有别的问题吗?'
    expect(furtherHelpAt(text, 0, 10)).toBe(false)
    expect(furtherHelpAt(text, 11, text.length)).toBe(true)
  })

  it('takes 这还有什么不明白的 for the reproach it is', () => {
    const text = '这还有什么不明白的?'
    expect(furtherHelpAt(text, 0, text.length)).toBe(false)
  })
})
