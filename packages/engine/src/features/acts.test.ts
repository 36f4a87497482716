/**
 * The chapter 8 acts (features/acts.ts) through the whole per-utterance decision: for each act, forms
 * that must fire (with the exact words the finding's spans cover) and innocent near-misses that must not.
 */
import { describe, expect, it } from 'vitest'
import { detectUtterance } from '../detect.js'
import { loadDefaultRulebook } from '../rulebook/parse.js'
import { actCues } from './acts.js'
import { UtteranceFeatures } from './utterance.js'

const rulebook = loadDefaultRulebook()

const said = (rule: string, text: string): string[] =>
  detectUtterance(rulebook, { speaker: 'agent', text })
    .filter((f) => f.rule === rule)
    .flatMap((f) => (f.spans ?? []).map((s) => text.slice(s.start, s.end)))

const HITS: [rule: string, text: string, words: string][] = [
  ['pointing_out_mistake', '您把会员和流量包弄混了，扣的是会员费。', '您把会员和流量包弄混'],
  ['pointing_out_mistake', '先生，您预约单上留的地址是错的。', '您预约单上留的地址是错的'],
  ['pointing_out_mistake', '您当时肯定是没仔细看页面。', '没仔细看'],
  ['pointing_out_mistake', '真的，您报给我的号码少了一位。', '您报给我的号码少了一位'],
  ['pointing_out_mistake', '套餐是您自己上个月在网上营业厅改的。', '是您自己上个月在网上营业厅改的'],
  ['pointing_out_mistake', '事实不是您说的那样。', '事实不是您说的'],
  ['pointing_out_mistake', '您 搞错了 这张卡是副卡', '您 搞错了'],
  ['scolding', '这么大个人了，连拔插一下电源都不会吗？', '这么大个人了'],
  ['scolding', '短信都发了三次，您平时都不看手机的吗？', '您平时都不看手机的吗'],
  ['scolding', '光猫上的红灯亮了你也不看一眼，你自己不检查还怪我们？', '你也不看一眼，你自己不检查还怪'],
  ['scolding', '早就跟你讲过充值前先核对号码，你偏偏不听。', '早就跟你讲过'],
  ['scolding', '您要是早点交费，哪会停机。', '要是早点交费，哪会'],
  ['sarcasm', '哟，您可真是难伺候。', '难伺候'],
  ['sarcasm', '好好好，您最有道理，都是我们的错，行了吧。', '好好好，您最有道理，都是我们的错，行了吧'],
  ['sarcasm', '那您慢慢考虑，爱续不续。', '爱续不续'],
  ['sarcasm', '行 您可 真行', '您可 真行'],
  ['internal_disclosure', '我们后台积分那个系统这几天老是抽风。', '后台积分那个系统这几天老是抽风'],
  ['internal_disclosure', '其实我们有个员工专享的套餐才58。', '员工专享的套餐'],
  ['overpromise', '另外以后您的网速肯定比现在快一倍。', '肯定比现在快一倍'],
  ['overpromise', '您放心，三天之内肯定给您装好。', '三天之内肯定给您装好'],
  ['overpromise', '另外您办的这个档位，我给您每月再减二十块。', '给您每月再减二十块'],
  ['scolding', '我们装机的时候就交代过不要拔电源，您就是不听。', '交代过不要拔电源，您就是不听'],
  ['sarcasm', '您忘性真大，三号那天打电话申请的。', '忘性真大'],
  ['internal_disclosure', '最近系统在升级，经常出错。', '系统在升级，经常出错'],
  // Kinds added 2026-12-02 (blind2 as tuning material, dev 400-419).
  ['pointing_out_mistake', '您买错了，这个是单月的流量包。', '您买错'],
  ['pointing_out_mistake', '您把钱转到别人的账户上了。', '您把钱转到别人'],
  ['pointing_out_mistake', '错的不是计费，问题出在您那边。', '问题出在您'],
  ['pointing_out_mistake', '那是您上周在APP里自己取消的，跟套餐没关系。', '是您上周在APP里自己取消的'],
  ['pointing_out_mistake', '记录上都有，您再好好回忆一下。', '您再好好回忆'],
  ['pointing_out_mistake', '分明是您家里人用您的卡办的。', '分明是您家里人用您的卡办的'],
  ['scolding', '停了以后可别又打电话来骂人。', '别又打电话来'],
  ['scolding', '这么明显的按钮您也找不到？', '这么明显的按钮您也找不到'],
  ['scolding', '您连开关机都弄不明白吗？', '连开关机都弄不明白'],
  ['scolding', '哭什么哭，又不是不给您办。', '哭什么哭'],
  ['scolding', '您自己也不去查查短信。', '您自己也不去查'],
  ['sarcasm', '您这一天打八个电话，也真够有空的。', '也真够有空的'],
  ['sarcasm', '去吧，去了您就知道什么叫真贵了。', '就知道什么叫真贵了'],
  ['sarcasm', '五块钱对您来说也算钱？', '也算钱'],
  ['sarcasm', '别的用户都没意见，就您讲究。', '就您讲究'],
  ['internal_disclosure', '我们的开户系统昨天还宕过一次机。', '系统昨天还宕过一次机'],
  ['internal_disclosure', '这个我们有个熟人价，便宜二十。', '熟人价'],
  ['internal_disclosure', '这个月我们的维修人员走了一半。', '人员走了一半'],
  ['scolding', '您都不重启一下就打电话来。', '您都不重启一下就'],
  ['overpromise', '您放心，以后肯定不会再掉线了。', '肯定不会再'],
  ['overpromise', '这个违约金我一定帮您全免了。', '一定帮您全免了'],
  // Reproach by the shape of the clause (issue 10, item 4): told then defied, rhetorical blame, silencing, guilt.
  ['scolding', '我上次就提醒过你别装那个软件，你偏要装。', '你偏要装'],
  ['scolding', '插卡的时候不看方向，卡槽坏了赖谁？', '赖谁'],
  ['scolding', '您先别说了，好好听我讲。', '好好听我讲'],
  ['scolding', '宽带给您修好了，您倒好，转头又给差评。', '您倒好'],
  ['scolding', '您要是早点续费，也不会断网。', '要是早点续费，也不会'],
  ['scolding', '您这人也太固执了。', '您这人也太固执'],
  // Sarcasm by shape: a mock guess, praise beside the customer's mishap, mock encouragement.
  ['sarcasm', '您这是要把整个小区的流量都包了呀。', '您这是要把整个小区的流量都包了呀'],
  ['sarcasm', '您真是聪明，一张卡能补丢四回。', '聪明'],
  ['sarcasm', '那您就继续多交吧。', '继续多交'],
  ['sarcasm', '哟，您还知道查账单呢。', '哟'],
  ['sarcasm', '您可真准时，每次都最后一天交费。', '您可真准时'],
  ['scolding', '你又乱点了，扣费了吧。', '你又乱点'],
  ['scolding', '您有点马虎了。', '您有点马虎'],
  // Kinds by structure (2026-12-03): the inside's quotas, prices, confidences and troubles; a promise by its shape;
  // the customer's own act as the cause; a contradiction; mock praise turned into a suggestion.
  ['internal_disclosure', '这个路由器进价才八十。', '进价'],
  ['internal_disclosure', '我这个月还差两单，您就当帮帮我。', '还差两单'],
  ['internal_disclosure', '您这一投诉，我就会被扣绩效。', '被扣绩效'],
  ['internal_disclosure', '悄悄告诉您，下个月这个套餐要涨价。', '悄悄告诉您'],
  ['internal_disclosure', '领导让我们每人每天推十五个宽带。', '领导让我们每人每天推十五个'],
  ['internal_disclosure', '其实后台数据都乱了。', '其实后台数据都乱了'],
  ['internal_disclosure', '装维那边的派单系统又瘫了。', '系统又瘫了'],
  ['overpromise', '您放心，下周一之前肯定给您赔到位。', '肯定给您赔'],
  ['overpromise', '这次我私下再送您二十块话费。', '我私下再送您二十块'],
  ['overpromise', '这个套餐终身不涨价。', '终身不涨'],
  ['overpromise', '这个零头我给您抹了。', '我给您抹了'],
  ['overpromise', '我自己掏钱给您补五十块话费。', '自己掏钱给您补'],
  ['overpromise', '肯定给您办好，办不成我负责。', '办不成我负责'],
  ['overpromise', '网速提上去以后，任何时候都不会卡。', '任何时候都不会'],
  ['overpromise', '保证明天中午之前钱就退到您卡上。', '保证明天中午之前钱就退到'],
  ['pointing_out_mistake', '您自己没开自动续费，所以断了。', '您自己没开自动续费'],
  ['pointing_out_mistake', '您说反了，是先交后用。', '您说反'],
  ['pointing_out_mistake', '您漏看了第二条短信。', '您漏看'],
  ['sarcasm', '您这么会省钱，怎么不去当理财师呀。', '怎么不去当'],
  ['sarcasm', '可不是嘛，全世界就您最辛苦。', '全世界就您最'],
  ['sarcasm', '您这网速，乌龟都比您快。', '乌龟都比您快'],
  ['sarcasm', '一年才充一次十块钱，真是太会过了。', '真是太会过了'],
  ['sarcasm', '行，我等着您的投诉。', '等着您的投诉'],
  ['sarcasm', '对，我们就是故意坑您的。', '就是故意坑您'],
  ['sarcasm', '您这是第一次用电脑吧。', '您这是第一次'],
  ['sarcasm', '您不去当演员真是可惜了。', '不去当演员真是可惜'],
  ['scolding', '都跟您解释清楚了，您还在这纠缠。', '跟您解释清楚了，您还在这纠缠'],
  ['scolding', '这么简单的事您都弄不好。', '这么简单的事您都弄不好'],
  ['scolding', '您先把情况搞清楚了再来投诉。', '搞清楚了再来'],
  ['scolding', '现在后悔有什么用。', '后悔有什么用'],
  ['scolding', '您别说了，听我讲。', '别说了，听我讲'],
  ['scolding', '提醒您多少次了，您都当耳边风。', '耳边风'],
  ['scolding', '您把我们当什么了？', '把我们当什么了'],
  ['scolding', '您别在这撒野。', '别在这撒野'],
  ['sarcasm', '真羡慕您，这么有空。', '羡慕您，这么有空'],
  ['sarcasm', '这么实惠您都嫌贵。', '这么实惠您都嫌贵'],
  ['sarcasm', '您这运气也是没谁了。', '没谁了'],
  ['pointing_out_mistake', '您理解得不太对，这个是按天算的。', '您理解得不太对'],
  ['pointing_out_mistake', '停机是因为您忘了交月租。', '您忘了'],
  ['pointing_out_mistake', '这个不怪我们，是您自己关了自动续费。', '不怪我们，是您'],
  ['pointing_out_mistake', '您自己装的那个软件扣的钱，跟我们没关系。', '您自己装的那个软件扣的钱，跟我们没关系'],
  ['sarcasm', '您这换卡比换手机还勤。', '比换手机还勤'],
  ['scolding', '办事之前不动脑子的吗？', '不动脑子'],
  ['scolding', '这是常识，您不会不懂吧？', '您不会不懂吧'],
  ['scolding', '您这火气也太冲了。', '火气也太冲'],
  ['pointing_out_mistake', '不是我们乱扣，是您开通了彩铃。', '不是我们乱扣，是您'],
  ['pointing_out_mistake', '您是没绑银行卡才扣款失败的。', '您是没绑银行卡才'],
  ['pointing_out_mistake', '您填的那个邮编根本不存在。', '您填的那个邮编根本不存在'],
]

const QUIET: [rule: string, text: string][] = [
  ['pointing_out_mistake', '是我们这边搞错了，给您开成了日包，实在抱歉。'],
  ['pointing_out_mistake', '很多客户都会把日包和月包搞混，这个很正常。'],
  ['pointing_out_mistake', '您是说上次的客服说您搞错了，是吗？'],
  ['pointing_out_mistake', '您看一下是不是验证码填错了？'],
  ['pointing_out_mistake', '您登录的时候如果密码输错了，可以重新设置。'],
  ['pointing_out_mistake', '您放心，不会扣错的。'],
  ['pointing_out_mistake', '其实那次是我们的规则没解释清楚，不是您的问题。'],
  ['pointing_out_mistake', '您好,小沃已为您登记反馈,请您留意回复。'],
  ['pointing_out_mistake', '您理解得没错。'],
  ['scolding', '高先生，您的家庭套餐连您爱人的副卡都可以一起共享流量。'],
  ['scolding', '您看怎么方便，可以在APP上办。'],
  ['scolding', '您平时不用流量吗？'],
  ['scolding', '那您想好了再说吧。'],
  ['sarcasm', '您真厉害，一下就找到了。'],
  ['sarcasm', '好好好，那您接着点下面的确认办理。'],
  ['sarcasm', '亲爱的不是的哈'],
  ['sarcasm', '您说一下延期就可以了呢'],
  ['internal_disclosure', '系统显示您的积分还是两千三百分。'],
  ['internal_disclosure', '这个是价保系统计算的 不会出错哦'],
  ['internal_disclosure', '可能是某个软件在后台崩溃导致的耗电。'],
  ['overpromise', '我们会尽快安排工程师联系您。'],
  ['overpromise', '我们一定尽快帮您解决。'],
  ['overpromise', '这个我帮您申请一下，看看能不能给您减二十块。'],
  ['scolding', '有什么不明白的随时咨询我们哦'],
  ['sarcasm', '您可真客气，谢谢您。'],
  ['internal_disclosure', '如果有,可能会误删系统文件导致死机或重启.'],
  ['internal_disclosure', '请问您在什么程序下使用搜狗输入法会导致程序崩溃呢？'],
  ['pointing_out_mistake', '这个套餐其实挺不错的。'],
  ['pointing_out_mistake', '她那样跟您说话确实不对。'],
  ['pointing_out_mistake', '路由器是您自己买的，我们这边不负责更换。'],
  ['pointing_out_mistake', '这事不一定是您的问题，我再核实一下。'],
  ['pointing_out_mistake', '您好好考虑一下再决定。'],
  ['scolding', '您就别为难我了，我去问问主管。'],
  ['scolding', '您先听我说完嘛，然后您再决定。'],
  ['scolding', '这个很多老用户也不清楚，没关系。'],
  ['scolding', '这个小妹这边也不清楚，我帮您问一下。'],
  ['scolding', '到时候别忘了看短信哦。'],
  ['scolding', '您想什么时候办都可以。'],
  ['sarcasm', '这个价格真够实惠的。'],
  ['sarcasm', '让您受委屈了，真是委屈您了，实在抱歉。'],
  ['sarcasm', '到时候您就知道怎么用了，很简单。'],
  ['internal_disclosure', '验证码千万别跟别人说。'],
  ['internal_disclosure', '师傅说您家信号不够强，要加个放大器。'],
  ['internal_disclosure', '要是三天里忙不过来，我给您申请延期。'],
  ['internal_disclosure', '我们内部会尽快给您补发短信。'],
  ['internal_disclosure', '抱歉，刚才我说得不对，员工价不对外，我收回。'],
  ['overpromise', '不好意思，刚才说得太绝对了。'],
  ['overpromise', '主管不在，在也不会马上批。'],
  ['overpromise', '我们一定会不断改进服务。'],
  // The agent takes the blame, advises, empathises or praises in earnest: no reproach, no sarcasm.
  ['scolding', '跟您说了别担心，我们会处理好的。'],
  ['scolding', '这次是我们没提醒到位，跟您说了别乱点却没讲清楚为什么，抱歉。'],
  ['scolding', '如果不清楚的话就先别自己操作，我来教您。'],
  ['scolding', '这个很多人都搞不清，您问得好。'],
  ['scolding', '您一有问题就找我们就行。'],
  ['scolding', '您非要今天办的话，我帮您加急。'],
  ['sarcasm', '您真聪明，一下就找到了。'],
  ['sarcasm', '您还记得是哪天办的呢？'],
  ['sarcasm', '您这是要办理什么业务呢？'],
  ['sarcasm', '今天系统又崩了一次，积分明细要明天才能看到。'],
  ['sarcasm', '您记性真好，服务密码一次就报对了。'],
  ['sarcasm', '您真是太辛苦了，跑了三次营业厅。'],
  ['sarcasm', '您这个办法聪明，绑定自动缴费就再也不怕忘了。'],
  ['scolding', '陌生链接以后莫乱点哈，现在骗子多。'],
  ['scolding', '您是不是乱点了什么？我帮您查一下。'],
  // Look-alikes of the kinds by structure: a hypothesis, the agent's own doing, a readout, a denial, own reporting.
  ['scolding', '如果下次再遇到这种短信，您注意点就行。'],
  ['scolding', '要是下次还收到这种链接，以后可得小心点。'],
  ['scolding', '如果您乱点了的话，扣费也能退。'],
  ['scolding', '您看看您这边还有什么需要的。'],
  ['scolding', '等您听完再决定也不迟。'],
  ['sarcasm', '好的，您继续说，我听着呢。'],
  ['sarcasm', '我也挺羡慕这个套餐的用户。'],
  ['pointing_out_mistake', '因为您是老用户，所以可以多送五个G。'],
  ['pointing_out_mistake', '这个跟您没关系，是我们系统的问题。'],
  ['pointing_out_mistake', '是我把您的地址记错了，抱歉。'],
  ['pointing_out_mistake', '如果您把号码输错了，重新输一遍就行。'],
  ['internal_disclosure', '系统显示您的宽带还没恢复，我给您派单。'],
  ['internal_disclosure', '我们内部核实一下，有结果给您回电。'],
  ['internal_disclosure', '您说的员工价我们这边是没有的，都是公开资费。'],
  ['internal_disclosure', '我的工号是3027，有问题随时找我。'],
  ['internal_disclosure', '我们客服没有提成的，您按需要办就行。'],
  ['internal_disclosure', '这个月的账单还差两天才出。'],
  ['internal_disclosure', '您每个月要交五十八块月租。'],
  ['internal_disclosure', '您手机里的数据丢了可以找售后恢复。'],
  ['internal_disclosure', '您说营业厅讲系统坏了是吧，我这边看是正常的。'],
  ['overpromise', '我保证把您的情况如实反馈上去。'],
  ['overpromise', '已经百分百退到您账户了，您查一下。'],
  ['overpromise', '退订以后就不会再扣费了。'],
  ['overpromise', '我帮您申请一下，看看能不能给您减免。'],
  ['overpromise', '我退不了，这个要走流程。'],
  ['overpromise', '我个人建议您先别充。'],
  ['overpromise', '这个我一定帮您问，办不了我再给您打过来。'],
  ['overpromise', '停机期间月租是不收的。'],
  ['overpromise', '这个套餐每个月送您十个G流量。'],
  ['overpromise', '我们绝不会再出现这种情况。'],
  ['overpromise', '退款一般三到五个工作日到账。'],
  ['sarcasm', '真有您的，记这么清楚，省我不少事。'],
  ['sarcasm', '您可真是帮了大忙，多亏您记得号码。'],
  ['sarcasm', '真是太感谢您了，帮我们发现了这个问题。'],
  ['scolding', '您如果下次还是不会设置，随时打过来。'],
  ['scolding', '我这样说您听明白了吗？'],
  ['pointing_out_mistake', '您提供的资料还差一份，麻烦您补一下。'],
  ['pointing_out_mistake', '您看的是上个月的账单，这个月的还没出。'],
  ['sarcasm', '您可真是我们的老客户了，十几年了。'],
  ['sarcasm', '祝您好运连连，生活愉快。'],
  ['scolding', '您放心，这次给您解释清楚了，有问题再来问。'],
  ['scolding', '我们也要讲道理，不能让您白花钱。'],
  ['pointing_out_mistake', '不是我们这边的问题，也不是您的问题，是银行系统延迟。'],
]

describe('chapter 8 acts', () => {
  it.each(HITS)('%s fires on %s', (rule, text, words) => {
    expect(said(rule, text)).toContain(words)
  })

  it.each(QUIET)('%s stays quiet on %s', (rule, text) => {
    expect(said(rule, text)).toEqual([])
  })

  it('never fires on customer speech', () => {
    for (const [rule, text] of HITS) expect(detectUtterance(rulebook, { speaker: 'customer', text }).filter((f) => f.rule === rule)).toEqual([])
  })

  it('waits on a partial until the sentence holding the act has ended', () => {
    const open = detectUtterance(rulebook, { speaker: 'agent', text: '您当时肯定是没仔细看页面' }, { partial: true })
    expect(open.filter((f) => f.rule === 'pointing_out_mistake')).toEqual([])
    const closed = detectUtterance(rulebook, { speaker: 'agent', text: '您当时肯定是没仔细看页面。就直接' }, { partial: true })
    expect(closed.filter((f) => f.rule === 'pointing_out_mistake')).toHaveLength(1)
  })

  it('lets a self-correction later in the sentence clear a disclosure before any partial alert', () => {
    const cut = detectUtterance(rulebook, { speaker: 'agent', text: '员工价不对外' }, { partial: true })
    expect(cut.filter((f) => f.rule === 'internal_disclosure')).toEqual([])
    const taken = detectUtterance(rulebook, { speaker: 'agent', text: '员工价不对外，我收回。' }, { partial: true })
    expect(taken.filter((f) => f.rule === 'internal_disclosure')).toEqual([])
    const said = detectUtterance(rulebook, { speaker: 'agent', text: '员工价不对外。' }, { partial: true })
    expect(said.filter((f) => f.rule === 'internal_disclosure')).toHaveLength(1)
  })

  it('reads indifference right after a threat as the dare, not as sarcasm too', () => {
    const f = new UtteranceFeatures('您随意。')
    expect(actCues(f, 'sarcasm')).toHaveLength(1)
    const dare = new UtteranceFeatures('您随意。')
    dare.afterThreat = true
    expect(actCues(dare, 'sarcasm')).toEqual([])
  })

  it('computes an act once per utterance', () => {
    const f = new UtteranceFeatures('您把会员和流量包弄混了。')
    expect(actCues(f, 'mistake')).toBe(actCues(f, 'mistake'))
  })
})
