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
const CHAPTER8_RULES = ['pointing_out_mistake', 'scolding', 'sarcasm']

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
  ['overpromise', '这个违约金我一定帮您全免了。', '我一定帮您全免了'], // the agent's waiver from its giver (the gift frame reads 我…帮您全免了),
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

// The chapter 8 kinds by structure added in session 9 (acts.ts, "Session 9" comments), written fresh, not copied
// from the tuning set (eval/data/tune9c): each fires on its form with the words its span covers, and the look-alike
// beside it (the same words said sincerely, of others, as advice, hedged) stays quiet for all three chapter 8 rules.
const STRUCTURE_HITS: [rule: string, text: string, words: string][] = [
  ['scolding', '你们这些年轻客户就是这样，办完业务从来不看短信。', '你们这些年轻客户就是这样，办完业务从来不看'],
  ['scolding', '现在的客户都一样，出了事就找客服。', '现在的客户都一样，出了事就找'],
  ['scolding', '自己的套餐自己心里要有数。', '自己心里要有数'],
  ['scolding', '不能什么都指望客服帮您盯着。', '不能什么都指望'],
  ['scolding', '办之前就应该问清楚资费。', '就应该问'],
  ['scolding', '这点基本常识总得有吧。', '这点基本常识总得有吧'],
  ['scolding', '钱充错了只能怪自己。', '只能怪自己'],
  ['scolding', '您就没注意到短信里写的截止日期吗？', '您就没注意到短信里写的截止日期吗'],
  ['scolding', '这是您自己填的地址，您都不记得了吗？', '您自己填的地址，您都不记得了吗'],
  ['scolding', '那么大的红字您是闭着眼看的吗？', '闭着眼看的吗'],
  ['scolding', '这么简单的验证码都输不对。', '这么简单的验证码都输不对'],
  ['scolding', '转个账都能转漏一位。', '转个账都能转漏'],
  ['scolding', '这么简单的设置弄了半小时还没弄好。', '这么简单的设置弄了半小时还没弄好'],
  ['scolding', '路由器都不会用还说网不好。', '路由器都不会用'],
  ['scolding', '您也敢把验证码告诉别人？', '您也敢把'],
  ['scolding', '孩子半夜打游戏您也不管。', '您也不管'],
  ['scolding', '自己不看短信还说是我们没通知。', '还说是我们'],
  ['scolding', '怎么就成了我们的问题了？', '就成了我们的问题'],
  ['scolding', '这会儿才来问有什么用。', '这会儿才来问有什么用'],
  ['scolding', '这种问题本来就不需要打电话来问。', '本来就不需要打电话'],
  ['scolding', '您办之前都不核对一下吗？', '您办之前都不核对一下吗'],
  ['scolding', '说停就停，也不想想后果。', '也不想想后果'],
  ['scolding', '您先查查是不是自己没交费再打过来。', '先查查是不是自己没交费再打过来'],
  ['scolding', '别一张嘴就说我们乱收费。', '别一张嘴就说'],
  ['scolding', '我就是实话实说，话是难听了点。', '我就是实话实说'],
  ['scolding', '我什么意思您心里有数。', '您心里有数'],
  ['scolding', '我哪里不客气了？', '我哪里不客气'],
  ['scolding', '您发火就没道理了。', '您发火就没道理'],
  ['scolding', '说了多少次还是有人不看通知。', '还是有人不看'],
  ['sarcasm', '我脾气可真好，陪您聊了一个钟头。', '我脾气可真好'],
  ['sarcasm', '行，您说没收到那就是没收到。', '您说没收到那就是没收到'],
  ['sarcasm', '钱自己长腿跑了呗。', '自己长腿'],
  ['sarcasm', '对，您当然看过了，只不过看的是别人的账单。', '对，您当然看过了，只不过'],
  ['sarcasm', '您怎么可能记错呢？', '您怎么可能记错呢'],
  ['sarcasm', '我们哪里都不好，就别家好。', '我们哪里都不好'],
  ['sarcasm', '您一点脾气都没有，是我太敏感了。', '一点脾气都没有'],
  ['sarcasm', '岂敢岂敢，您批评得都对。', '岂敢岂敢'],
  ['sarcasm', '我们哪伺候得起您这样的客户。', '我们哪伺候得起'],
  ['sarcasm', '您这么金贵的手机，我哪敢乱碰。', '您这么金贵'],
  ['sarcasm', '您是领导，您说怎样就怎样。', '您是领导'],
  ['sarcasm', '下次再订，省得您又说我们没提醒。', '省得您又说'],
  ['sarcasm', '您干脆把手机锁柜子里，一了百了。', '干脆把手机锁柜子里，一了百了'],
  ['sarcasm', '打游戏的时间倒是都有了吧。', '倒是都有了吧'],
  ['sarcasm', '您倒挺在行，专挑最贵的买。', '倒挺在行'],
  ['sarcasm', '您这眼神真是一流，合同上的大字愣是没看见。', '您这眼神真是一流'],
  ['sarcasm', '您可真谦虚，五十个G都不算多。', '您可真谦虚'],
  ['sarcasm', '您这毅力真让人佩服，试了二十次才输对。', '您这毅力真让人佩服'],
  ['pointing_out_mistake', '您交话费总是晚了三天，所以才被停机。', '您交话费总是晚了三天'],
  ['pointing_out_mistake', '是您自己回复了确认短信。', '是您自己回复了'],
  ['pointing_out_mistake', '您出国前没开通漫游，所以才打不出去。', '您出国前没开通漫游，所以才打不出'],
  ['pointing_out_mistake', '您拨号时多加了一个区号。', '您拨号时多加了'],
  ['pointing_out_mistake', '您忘记关自动续费了。', '您忘记关'],
  ['scolding', '我过分了？', '我过分了？'],
  // A second batch, written after the first was tuned on.
  ['scolding', '这种事情您应该自己先搞清楚再来办。', '搞清楚再来'],
  ['scolding', '您这样做是很不负责任的。', '您这样做是很不负责任'],
  ['scolding', '我都替您着急，这么点事办了三回还没办成。', '这么点事办了三回还没办成'],
  ['scolding', '您每次都这样，说了也白说。', '您每次都这样'],
  ['scolding', '您能不能先把自己的账单看明白？', '您能不能先把自己的账单看明白'],
  ['scolding', '都多大的人了，交个话费还要人提醒。', '多大的人了'],
  ['scolding', '您要是听我的，哪会有今天这些麻烦。', '要是听我的，哪会'],
  ['scolding', '您自己不按规定操作，出了问题还来怪我们。', '不按规定操作，出了问题还来怪我们'],
  ['scolding', '这个您都不知道，那您当初是怎么办的业务？', '这个您都不知道'],
  ['scolding', '您别在这儿胡搅蛮缠了。', '胡搅蛮缠'],
  ['scolding', '您这是典型的不看说明就乱操作。', '您这是典型的不看说明就乱操作'],
  ['scolding', '您这叫自作聪明。', '自作聪明'],
  ['scolding', '这么重要的密码您都能随便告诉别人？', '都能随便'],
  ['scolding', '您稍微动动脑子就知道怎么回事了。', '动动脑子就'],
  ['scolding', '您也太不把自己的事当回事了。', '不把自己的事当回事'],
  ['scolding', '您是不是从来不看我们发的短信？', '是不是从来不'],
  ['scolding', '不懂就别乱改设置，改坏了又来找我们。', '不懂就别乱'],
  ['scolding', '您这话说得就没道理了。', '您这话说得就没道理'],
  ['scolding', '我上次就提醒过您，您根本没往心里去。', '根本没往心里去'],
  ['scolding', '您还有脸说我们服务差？', '还有脸'],
  ['scolding', '说到底还是您自己太大意了。', '您自己太大意'],
  ['scolding', '您这个人怎么听不进去别人的话呢？', '您这个人怎么'],
  ['scolding', '都跟您说了要先停机再换卡，您非要反着来。', '跟您说了要先停机再换卡，您非要'],
  ['scolding', '一个验证码您都要问三遍。', '一个验证码您都要问三遍'],
  ['scolding', '您这样的客户我见得多了。', '这样的客户我见得多了'],
  ['scolding', '这是最基本的常识，您怎么会不知道。', '您怎么会不知道'],
  ['scolding', '您要是早点看短信，也不至于被扣这么多。', '要是早点看短信，也不至于'],
  ['scolding', '合同是您签的，现在翻脸不认账可不行。', '翻脸不认账'],
  ['scolding', '您这态度我们没法沟通。', '您这态度'],
  ['sarcasm', '哎哟，您可真是我们的贵客，一个月打八次电话。', '您可真是'],
  ['sarcasm', '您可太会省钱了，省到停机了都不知道。', '您可太会省钱了'],
  ['sarcasm', '那您真是太有本事了，连客服都不用问就自己全改乱了。', '您真是太有本事了'],
  ['sarcasm', '您这么聪明，怎么就没算明白这笔账呢。', '您这么聪明，怎么就'],
  ['sarcasm', '是啊是啊，全都是我们的错，您一点问题都没有。', '是啊是啊，全都是我们的错'],
  ['sarcasm', '您说的都对，我们移动就是专门坑您的。', '您说的都对'],
  ['sarcasm', '行吧，那您就等着系统自己变好吧。', '等着系统自己变好吧'],
  ['sarcasm', '您真是贵人多忘事，上个月刚办的业务就忘了。', '贵人多忘事'],
  ['sarcasm', '哇，您这操作真是让我大开眼界。', '让我大开眼界'],
  ['sarcasm', '您这网速要求比我们机房还高呢。', '要求比我们机房还高'],
  ['sarcasm', '我哪敢教您啊，您比我们工程师都懂。', '我哪敢'],
  ['sarcasm', '您要是能按时交一次费，我们全体客服都得放鞭炮。', '放鞭炮'],
  ['sarcasm', '您继续这样下去，话费迟早比房租还贵。', '迟早比房租还贵'],
  ['sarcasm', '对对，您最有道理，我们都听您的。', '您最有道理'],
  ['sarcasm', '您这么大方，再多交点也无所谓吧。', '您这么大方，再多交点也无所谓'],
  ['sarcasm', '哟，今天终于舍得打电话来了？', '哟'],
  ['sarcasm', '您这手机用得可真省心，连密码都让别人记。', '您这手机用得可真省心'],
  ['sarcasm', '真是辛苦您了，百忙之中还抽空来欠费。', '百忙之中还'],
  ['sarcasm', '您这个问题问得可真有水平。', '您这个问题问得可真有水平'],
  ['sarcasm', '您可真会挑时间，每次都赶在月底最后一天。', '您可真会挑'],
  ['sarcasm', '好家伙，一个月用了两百个G，您这是开网吧呢。', '好家伙'],
  ['sarcasm', '厉害厉害，三张卡全都欠费了。', '厉害厉害'],
  ['sarcasm', '您放心，您不交费我们也饿不死。', '我们也饿不死'],
  ['sarcasm', '那可真是委屈您了，用着这么差的网还交这么多钱。', '那可真是委屈您了'],
  ['sarcasm', '您的时间可真宝贵，我们等您一个月也是应该的。', '您的时间可真宝贵'],
  ['sarcasm', '这么简单的问题，您可真是难住我了。', '您可真是'],
  ['sarcasm', '原来您还知道有客服电话啊。', '原来您还知道'],
  ['sarcasm', '您这是打算把流量当传家宝攒着吗？', '当传家宝'],
  ['sarcasm', '我们这小庙可留不住您这尊大佛。', '小庙'],
  ['pointing_out_mistake', '您把宽带账号和手机号搞混了。', '您把宽带账号和手机号搞混'],
  ['pointing_out_mistake', '您这个理解有点偏差，套餐内的流量是不能结转的。', '您这个理解有点偏差'],
  ['pointing_out_mistake', '其实是您当时没有勾选自动续费的选项。', '是您当时没有勾选自动续费的'],
  ['pointing_out_mistake', '这个费用是您自己在APP上点了确认才产生的。', '是您自己在APP上点了'],
  ['pointing_out_mistake', '您提供的身份证号码和登记的不一致。', '您提供的身份证号码和登记的不一致'],
  ['pointing_out_mistake', '您把验证码发给了别人，所以账号才被登录。', '您把验证码发给了别人，所以账号才被'],
  ['pointing_out_mistake', '您申请的时候漏填了联系人电话。', '您申请的时候漏填'],
  ['pointing_out_mistake', '您之前说的那个优惠其实已经过期了，是您记岔了。', '您记岔'],
  ['pointing_out_mistake', '您这边操作的顺序反了，应该先解绑再换卡。', '您这边操作的顺序反了'],
  ['pointing_out_mistake', '问题出在您家里的路由器设置上。', '问题出在您'],
  ['pointing_out_mistake', '您没有在规定时间内去营业厅办理，所以申请被取消了。', '您没有在规定时间内去营业厅办理，所以申请被'],
  ['pointing_out_mistake', '您这个账单算得不对，漏算了套餐外的通话费。', '您这个账单算得不对'],
  ['pointing_out_mistake', '是您把手机设置成了飞行模式。', '您把手机设置成了'],
  ['pointing_out_mistake', '您上次给的银行卡号是错的。', '您上次给的银行卡号是错的'],
  ['pointing_out_mistake', '您把流量包和话费包弄反了。', '您把流量包和话费包弄反'],
  // A third batch.
  ['scolding', '您也是成年人了，这点判断力应该有吧。', '您也是成年人了'],
  ['scolding', '您那边磨磨蹭蹭的，后面还有一堆事呢。', '磨磨蹭蹭'],
  ['scolding', '一个密码重置您折腾了半个小时。', '一个密码重置您折腾了半个小时'],
  ['scolding', '您这么着急，早干嘛不看短信？', '早干嘛'],
  ['scolding', '您别老觉得是我们的问题。', '别老觉得是我们'],
  ['scolding', '我可没工夫陪您在这绕圈子。', '没工夫陪您'],
  ['scolding', '话我已经说得很明白了，是您自己不愿意听。', '您自己不愿意听'],
  ['scolding', '您这么说就有点不讲道理了。', '不讲道理'],
  ['scolding', '您要这么说，那我也没什么好讲的了。', '没什么好讲的了'],
  ['scolding', '您有什么资格对我大呼小叫？', '您有什么资格'],
  ['scolding', '您好好想想，是谁没按时交费的？', '是谁没按时交费的'],
  ['scolding', '出了问题就知道打电话骂人。', '就知道打电话'],
  ['scolding', '不是我说您，您这个习惯真得改改。', '不是我说您'],
  ['scolding', '您这记性也太差了吧。', '记性也太差'],
  ['scolding', '这种低级错误您也能犯。', '低级错误'],
  ['scolding', '您就是不肯承认自己错了。', '不肯承认'],
  ['scolding', '天天来问同一个问题，您不烦我都烦了。', '您不烦我都烦'],
  ['scolding', '这都是您自己惹出来的麻烦。', '惹出来的'],
  ['sarcasm', '行啊，您可真是个省心的好客户。', '您可真是'],
  ['sarcasm', '您真是一点都不着急，停机三天了才想起来。', '真是一点都不着急'],
  ['sarcasm', '您这速度，等您弄完天都亮了。', '天都亮了'],
  ['sarcasm', '哎呀，我们可担不起这么大的罪名。', '担不起'],
  ['sarcasm', '不敢当不敢当，您才是专家。', '不敢当不敢当'],
  ['sarcasm', '那您真是太有远见了，提前一年就开始欠费。', '您真是太有远见了'],
  ['sarcasm', '您这个账算得比会计还精。', '您这个账算得比会计还精'],
  ['sarcasm', '那我可得把您供起来了。', '把您供起来'],
  ['sarcasm', '是，您最忙，全世界就您最忙。', '全世界就您最'],
  ['sarcasm', '您高兴就好，反正钱是您的。', '您高兴就好'],
  ['sarcasm', '这么贵的套餐您都舍得办，您可真是个土豪。', '您可真是'],
  ['sarcasm', '您这台手机都够进博物馆了。', '博物馆'],
  ['sarcasm', '您真会给自己找理由。', '真会给自己找理由'],
  ['sarcasm', '那您可真是太忙了，忙到一年都没空看一次账单。', '您可真是太忙了'],
  ['sarcasm', '我等着您教我们怎么做运营商呢。', '教我们怎么做运营商呢'],
  ['sarcasm', '您继续用吧，反正多扣的钱又不是我的。', '反正多扣的钱又不是我的'],
  ['sarcasm', '谢谢您提醒，我们都不知道自己是干什么的。', '不知道自己是干什么的'],
  ['pointing_out_mistake', '您把话费和流量的余额看混了。', '您把话费和流量的余额看混'],
  ['pointing_out_mistake', '您输入的验证码已经过期了，是您输入得太晚了。', '您输入得太晚了'],
  ['pointing_out_mistake', '您这个地址写漏了门牌号。', '您这个地址写漏了'],
  ['pointing_out_mistake', '您误以为这个套餐是不限量的。', '您误以为'],
  ['pointing_out_mistake', '您当时签的是二十四个月的合约，您记成十二个月了。', '您记成'],
  ['pointing_out_mistake', '您付款的时候用错了账户。', '您付款的时候用错'],
  ['pointing_out_mistake', '您发的短信格式不对，所以没有开通成功。', '您发的短信格式不对'],
  ['pointing_out_mistake', '您重启路由器的方法不对，要先拔电源。', '您重启路由器的方法不对'],
  ['pointing_out_mistake', '您把宽带的缴费日期当成了手机的缴费日期。', '您把宽带的缴费日期当成了'],
  // A fourth batch.
  ['scolding', '您这个人就是太固执，怎么劝都不听。', '您这个人就是太固执'],
  ['scolding', '交费提醒我们发了那么多次，您倒好，一次没交。', '您倒好'],
  ['scolding', '您怎么能把卡随便借给别人用呢？', '您怎么能把卡随便借给别人用呢'],
  ['scolding', '跟您说话真费劲。', '跟您说话真费劲'],
  ['scolding', '我教了您三遍了，您还是记不住。', '您还是记不住'],
  ['scolding', '您这是在浪费我的时间。', '浪费我的时间'],
  ['scolding', '自己的手机自己都不会设置，还怪网络不好。', '自己的手机自己都不会'],
  ['scolding', '您先把情况搞清楚，别一打电话就嚷嚷。', '别一打电话就嚷'],
  ['scolding', '拜托您看清楚再说好吗？', '拜托您看清楚'],
  ['scolding', '您听听您自己说的，有道理吗？', '您听听您自己'],
  ['scolding', '都是成年人了，做事要有点分寸。', '做事要有点分寸'],
  ['scolding', '这个问题您已经问过好几遍了，自己不会记一下吗？', '自己不会记一下吗'],
  ['scolding', '您不交费还有理了？', '还有理了'],
  ['sarcasm', '哇哦，您可真是个大聪明。', '您可真是'],
  ['sarcasm', '您可真会过日子，一个月就用三块钱。', '您可真会'],
  ['sarcasm', '那行，您就继续用您那台老古董吧。', '古董'],
  ['sarcasm', '您这么厉害，干脆自己开个运营商得了。', '这么厉害，干脆自己'],
  ['sarcasm', '我们哪有您懂啊，您都快成专家了。', '我们哪有您懂'],
  ['sarcasm', '您说的都是真理，我们记下了。', '都是真理'],
  ['sarcasm', '您可真是体贴，专挑我们下班的时候打过来。', '您可真是'],
  ['sarcasm', '我可真佩服您的想象力。', '佩服您'],
  ['sarcasm', '好嘛，全都怪我们，您最无辜了。', '您最无辜'],
  ['sarcasm', '原来是我们的错，我们不该让您办这个套餐。', '原来是我们的错'],
  ['sarcasm', '您这么有钱，还在乎这十块钱？', '您这么有钱，还'],
  ['sarcasm', '那您真是太幸运了，连着三个月都被扣费。', '您真是太幸运了'],
  ['pointing_out_mistake', '您记错交费日期了，应该是每月五号。', '记错'],
  ['pointing_out_mistake', '您开通的是五元包，不是十元包，您看岔了。', '您看岔'],
  ['pointing_out_mistake', '是您自己关闭了来电提醒功能。', '是您自己关闭了'],
  ['pointing_out_mistake', '您弄错了缴费的渠道。', '您弄错了'],
  ['sarcasm', '您这是把主卡当副卡办了。', '您这是把主卡当副卡办了'],
  ['pointing_out_mistake', '您之前的理解不对，这个优惠只限新用户。', '您之前的理解不对'],
  ['pointing_out_mistake', '您把月租和通话费加在一起算了，所以觉得多。', '您把月租和通话费加在一起算了，所以觉得'],
  ['pointing_out_mistake', '您没注意到合同里的违约条款。', '没注意到'],
  ['pointing_out_mistake', '您刚才说的那个金额不对，实际是六十八块。', '您刚才说的那个金额不对'],
  // A fifth batch.
  ['scolding', '您能不能长点脑子，别什么链接都点。', '长点脑子'],
  ['scolding', '这么明显的提示您看不到吗？', '这么明显的提示您看不到吗'],
  ['scolding', '您自己的卡丢了怎么能怪我们呢？', '怎么能怪我们'],
  ['scolding', '交了这么多年话费，连怎么查余额都不知道。', '连怎么查余额都不知道'],
  ['scolding', '您就别在这儿抬杠了，规定就是这样。', '抬杠'],
  ['scolding', '我都说得这么清楚了，您怎么还问？', '说得这么清楚了，您怎么还'],
  ['scolding', '您一个大人跟我较什么劲？', '较什么劲'],
  ['scolding', '提醒您多少次了要绑定银行卡，您就是当耳边风。', '耳边风'],
  ['scolding', '您那密码设得跟没设一样，被盗了能怪谁。', '能怪谁'],
  ['scolding', '这种事情本来就该您自己操心。', '本来就该您自己'],
  ['scolding', '您办事也太随意了吧。', '您办事也太随意'],
  ['scolding', '好好的套餐被您改得乱七八糟。', '被您改得乱七八糟'],
  ['scolding', '您看看您，又把自己的卡锁了。', '您看看您'],
  ['scolding', '这个都要人教，那您平时是怎么用手机的？', '都要人教'],
  ['scolding', '您这就是典型的贪小便宜吃大亏。', '贪小便宜'],
  ['scolding', '不看合同就签字，吃亏了也是活该。', '活该'],
  ['scolding', '您这样胡乱投诉对谁都没好处。', '胡乱'],
  ['scolding', '我没义务陪您一直耗着。', '我没义务'],
  ['sarcasm', '您这个要求提得真是清新脱俗。', '清新脱俗'],
  ['sarcasm', '您真是太节约了，连两块钱的流量包都舍不得买。', '您真是太节约了'],
  ['sarcasm', '那您就接着等吧，等到明年说不定就好了。', '接着等吧'],
  ['sarcasm', '您这么精打细算，怎么还会多交钱呢？', '您这么精打细算，怎么还'],
  ['sarcasm', '行，您是客户您说了算，我们都是打工的。', '我们都是打工的'],
  ['sarcasm', '您可真准时，每次都是最后一分钟交费。', '您可真准时'],
  ['sarcasm', '我们的网络哪配得上您这么高贵的手机。', '哪配得上'],
  ['sarcasm', '这么小的事您都能记一年，记性真不错。', '记性真不错'],
  ['sarcasm', '哎，您这么聪明的人也会被骗啊。', '聪明'],
  ['sarcasm', '您真是我们的VIP，投诉次数全省第一。', '全省第一'],
  ['sarcasm', '要不这样，我们把基站搬到您家门口去？', '搬到您家'],
  ['sarcasm', '佩服，您是我见过第一个把宽带当电话用的人。', '您是我见过第一个'],
  ['sarcasm', '您不用解释了，我都懂，都是我们的错。', '我都懂，都是我们的错'],
  ['pointing_out_mistake', '您把缴费日期记成了十五号，其实是五号。', '您把缴费日期记成了'],
  ['pointing_out_mistake', '这个是因为您没有及时更新手机系统。', '您没有及时'],
  ['pointing_out_mistake', '您把这两个号码的账单弄混了。', '您把这两个号码的账单弄混'],
  // A sixth batch.
  ['scolding', '您怎么老是记不住自己的服务密码？', '您怎么老是记不住'],
  ['scolding', '都说了要本人来办，您偏偏让家里人来。', '您偏偏让'],
  ['scolding', '我们又不是您的私人助理，什么都得替您记着。', '我们又不是您的私人助理'],
  ['scolding', '您这么大声嚷嚷也解决不了问题。', '嚷嚷也解决不了'],
  ['scolding', '您不交钱还想用网，天底下哪有这种好事？', '天底下哪有这种好事'],
  ['scolding', '这种问题您上网一搜就知道了，还要打电话问。', '一搜就知道了，还要打电话'],
  ['scolding', '您的意思是我们故意坑您？您可得讲证据。', '您可得讲证据'],
  ['scolding', '早知道今天，当初就该听我们的建议。', '当初就该听我们'],
  ['scolding', '您还好意思说我们态度差，您先看看您自己。', '您还好意思'],
  ['scolding', '您老人家也别倚老卖老。', '倚老卖老'],
  ['sarcasm', '哦，那又怎么样呢？', '那又怎么样呢'],
  ['sarcasm', '哟，您老人家终于想起我们了。', '哟'],
  ['sarcasm', '您真会挑时候，我们刚要下班您就来了。', '真会挑时候'],
  ['sarcasm', '您这想法可真够天真的，免费升级千兆？', '您这想法可真够天真的'],
  ['sarcasm', '那您可得好好保管这张卡，毕竟是您家的传家宝。', '传家宝'],
  ['sarcasm', '您的要求我们记下了，等我们当了老板再说。', '等我们当了老板'],
  ['sarcasm', '嗯，您说什么都有道理，那我们这些员工都回家算了。', '都回家算了'],
  ['sarcasm', '您可真是个大忙人，一年就接我们一次电话。', '您可真是'],
  ['sarcasm', '我们移动真是荣幸，能被您这么惦记着。', '真是荣幸，能被您这么'],
  ['sarcasm', '您要是嫌贵，那您可以去找更便宜的嘛，反正满大街都是。', '满大街都是'],
  ['sarcasm', '呵呵，您高兴就好。', '您高兴就好'],
  ['sarcasm', '您这逻辑真是无懈可击。', '无懈可击'],
  ['pointing_out_mistake', '您看的那个价格是活动价，已经结束了，您看错时间了。', '看错'],
  ['pointing_out_mistake', '您输入的是旧密码，新密码您还没设置。', '您输入的是旧'],
  ['pointing_out_mistake', '您刚才念的号码少了一位数字。', '您刚才念的号码少了一位'],
  ['pointing_out_mistake', '您的卡是自己掰坏的，不是质量问题。', '您的卡是自己掰坏的'],
  ['pointing_out_mistake', '您充值的时候选错了面额。', '您充值的时候选错'],
  // A seventh batch (mistakes).
  ['pointing_out_mistake', '您把月份看错了，这是九月的账单。', '您把月份看错'],
  ['pointing_out_mistake', '您当时签的是两年合约，不是一年，您记错了。', '您记错了'],
  ['pointing_out_mistake', '您把我们的客服电话和诈骗电话搞混了。', '您把我们的客服电话和诈骗电话搞混'],
  ['pointing_out_mistake', '这是因为您没有按时续费，套餐才自动降档了。', '没有按时'],
  ['pointing_out_mistake', '您报的身份证号后四位不对。', '您报的身份证号后四位不对'],
  // An eighth batch.
  ['scolding', '您这又是何苦呢，早按我说的做不就好了。', '何苦呢'],
  ['scolding', '您一会儿要办一会儿不办，到底想干嘛？', '一会儿要办一会儿'],
  ['scolding', '我好心提醒您，您还嫌我多管闲事。', '我好心提醒您，您还'],
  ['scolding', '这个月第三次挂失了，您就不能看好自己的东西吗？', '就不能看好自己的东西吗'],
  ['scolding', '您要这么不讲道理，那我们也没办法沟通。', '不讲道理'],
  ['scolding', '您先冷静一下，别动不动就吼。', '动不动就'],
  ['scolding', '我们也是按规定办事，您冲我们发脾气有什么用？', '冲我们发'],
  ['scolding', '您问的问题网上都有，自己不会查一下吗？', '自己不会查一下吗'],
  ['sarcasm', '那您可真是个好家长，孩子半年花了五千块游戏费您都不知道。', '您可真是'],
  ['sarcasm', '恭喜您，成功把自己的号码注销了。', '恭喜您，成功把'],
  ['sarcasm', '您这个操作堪称教科书级别的反面案例。', '教科书级别'],
  ['sarcasm', '真佩服您，合同签了都不看一眼。', '佩服您'],
  ['sarcasm', '您这么懂行，应该来我们这儿上班。', '这么懂行，应该来我们这儿上班'],
  ['sarcasm', '那我们真该给您颁个奖，年度最忠实的欠费用户。', '给您颁个奖'],
  ['sarcasm', '对对对，全世界就我们移动最黑。', '对对对，全世界就我们'],
  ['sarcasm', '哟，这不是我们的老熟人嘛，又来啦？', '哟'],
  ['sarcasm', '您真是太会算账了，为了省一块钱多花了一百。', '您真是太会算账了'],
]

// Innocent look-alikes: reassurance of people in general, advice, a genuine question, the agent's own patience
// offered, things that work by themselves, sincere concession and deference, praise denied or of ourselves.
const STRUCTURE_QUIET: string[] = [
  '很多客户都一样，刚开始都不太会用这个APP。',
  '现在的用户都是这样办理的，很方便。',
  '您自己要注意保管好密码哦。',
  '您自己要看好手机，别借给陌生人。',
  '建议您办理之前先问清楚资费。',
  '您不用怪自己，这个很常见。',
  '您就没有收到任何短信吗？',
  '您是没收到还是没看到？',
  '师傅说这么简单的问题都修不好，他也很抱歉。',
  '这点小问题都不会影响使用。',
  '老人手机都不会用很正常，我教您。',
  '这个功能很多人都能用错，您别担心。',
  '您也不用管，系统会自动处理。',
  '您先看看短信，如果没有再打电话过来。',
  '别一上来就用大流量，先看看套餐余量。',
  '我实话实说，这个套餐确实不适合您。',
  '您心里有数就行，我们随时为您服务。',
  '您发火我能理解，换我也着急。',
  '我很有耐心的，您慢慢说。',
  '我们有的是时间，您慢慢来，不着急。',
  '您说要退那就退，我这就帮您办。',
  '系统会自己扣费，您不用操心。',
  '后台应用自己跑了不少流量，我教您关掉。',
  '对，您当然可以退，只是要扣手续费。',
  '您怎么可能记错呢，是我们系统显示延迟了。',
  '我们哪能让您白跑一趟。',
  '您是老板的话，可以办集团套餐。',
  '免得您又来回跑，我直接帮您办了。',
  '别等到月底才发现流量超了，可以开个提醒。',
  '看好您的手机，别让孩子乱买东西。',
  '换个新光猫，一了百了。',
  '您倒是说说都办了什么业务吧。',
  '我就好奇问一下，您是不是用的双卡手机？',
  '反正都要办，您今天办了就是了。',
  '那是那是，您说了算，就按您说的办。',
  '我们考虑得不够周到，没提醒您停机，真抱歉。',
  '我们的网络质量一流，您这边断网是因为欠费停机了。',
  '您的退款晚了两天到账，非常抱歉。',
  '您说得对，是我们搞错了，马上给您改。',
  '您没收到短信，所以我再给您发一次。',
  '您真是我们的老客户了，感谢您这么多年的支持。',
  '您这么快就找到了，真厉害。',
  '这个确实容易搞混，很多客户都问过。',
  '我们这边之前登记错了，给您添麻烦了。',
  '您说得对，这确实是我们没通知到位。',
  '请您记得每月二十号之前交费，避免产生滞纳金。',
  '按照规定，携号转网需要先结清费用。',
  '我理解您的心情，被多扣钱谁都会着急。',
  '您先打开设置，然后点移动网络，我一步步教您。',
  '刚才那位客户也说“我是不是太笨了”，其实一点都不笨。',
  '您说是自己粗心了，没关系，这种事谁都会遇到。',
  '哈哈，您家小朋友可真会玩，连游戏皮肤都买上了，我帮您设个限额吧。',
  '您的账单实际上是98元，之前显示的128元是预估金额。',
  '您记得真准，就是上个月十五号办的。',
  '谢谢您这么耐心地等我查完。',
  '这个地方确实写得不太清楚，我们会反馈改进。',
  '不好意思，是我刚才没说清楚，让您误会了。',
  '您可以放心，这笔费用会在三个工作日内退回。',
  '这边提醒您一下，流量包到月底就失效了。',
  '您别自责，这个页面设计得确实容易点错。',
  '哈哈，您这个问题问得好，很多人都没想到。',
  '我同事说您上次来电的时候很客气，谢谢您。',
  '以后有问题随时打给我们，我们很乐意帮忙。',
  '政策规定，合约期内降档需要支付违约金。',
  '您慢慢来，不着急，我等您。',
  '系统提示“您的号码已欠费”，我帮您看看是哪笔费用。',
  '您是第一次办理这个业务吗？我给您详细说一下。',
  '这种情况不是您的问题，是网络在割接。',
  '您放心，这个错误我们已经改过来了。',
  '您确实很细心，连小数点都核对了。',
  // A third batch of look-alikes, shaped like the new frames.
  '您放心，这个我们自己心里有数，一定跟进到底。',
  '您是觉得资费太贵了吗？',
  '咱们办之前就应该先问清楚资费，所以我先跟您说一下。',
  '这些客户都是老用户了，我们会优先处理。',
  '现在的客户大多喜欢在APP上办，您也可以试试。',
  '您也不用担心，系统会自动退回。',
  '这个页面都不会显示扣费记录，要点进明细才看得到。',
  '您要是听我的建议，可以先办一个月试试。',
  '如果您按我说的操作，应该就能恢复了。',
  '我们的套餐都能随时变更，您放心。',
  '您稍微等一下，我动动鼠标帮您查一下。',
  '您是不是从来没用过这个功能？我给您介绍一下。',
  '我上次就提醒过您要带身份证，您记得带上就行。',
  '这个验证码五分钟内有效，您可以多试几次。',
  '您怎么会不知道呢，我们确实没给您发短信，是我们的问题。',
  '这笔钱不认账是不可能的，我们一定给您退。',
  '是啊是啊，您说的这个情况我们也遇到过，马上帮您处理。',
  '您这么大方，还给我们提建议，谢谢您。',
  '真羡慕您还能出国旅游，祝您玩得开心。',
  '您百忙之中抽空接电话，谢谢您。',
  '我们这边一点问题都没有的话，就是手机的问题了。',
  '您对网速的要求比较高，可以考虑千兆宽带。',
  '系统会自己恢复的，您稍等几分钟。',
  '您提供的号码和登记的一致，没有问题。',
  '您的设置没有问题，顺序也是对的。',
  '我已经帮您把套餐改成了58元的。',
  '您把身份证准备好，然后到营业厅办理就可以。',
  '您没开通国际漫游的话，出国前记得开一下。',
  '那是那是，您说得有道理，我们会改进的。',
  '我们哪能让您白等，马上给您安排。',
  '哈哈，您这个比喻太形象了。',
  '您的耐心真的让我很感动，谢谢您。',
  '我这边耐心给您解释一下这个费用。',
  '您要是有时间，可以去营业厅看看新款手机。',
  '您说的没错，确实是十号扣的费。',
  '您怎么可能不生气呢，换我也会生气的。',
  '这点小事不用您操心，我来处理。',
  '您自己的号码当然是您做主。',
  '这种情况不怪您，是短信通知晚了。',
  '您当然可以选择不续约，这是您的权利。',
  // A fourth batch: sincere praise with the new praise words, safety advice, reassurance.
  '您真是太周到了，还提前把资料准备好了。',
  '您这个建议一流，我一定反馈上去。',
  '我很佩服您，这么大年纪还学会用APP了。',
  '您真是网购达人，这个优惠您肯定用得上。',
  '自己的号码自己保管好，别轻易告诉别人验证码，这是我们的安全提醒。',
  '这个问题还是有人会遇到，不过很好解决。',
  '您心里有数就好，有需要随时找我们。',
  '我们这边都能查到记录，您放心。',
  '这个功能新手都能学会，我教您。',
  '不能光靠系统提醒，我们也会人工给您打电话。',
  '您怎么可能忘了呢，那时候您还在出差，正常的。',
  '岂止是您，很多客户都搞不清这个规则。',
  '您就是我们要找的幸运客户，恭喜您获得流量包。',
  '您说的那个营业员态度不好，我替他向您道歉。',
  '您可真细心，连这个细节都注意到了，谢谢您。',
  '您今天好耐心，我们一起把问题解决了。',
  '您是不是换了新手机？新手机需要重新设置一下。',
  '别担心，这种情况很常见，大家都会遇到。',
  '我们理解错了您的意思，不好意思。',
  '您这个问题问得很好，我详细说一下。',
  // A fifth batch.
  '您这个要求合情合理，我马上帮您处理。',
  '您说得太对了，这个流程确实应该简化。',
  '您真是太节约了，这个套餐正好适合您，又实惠又够用。',
  '我没说清楚，您别介意。',
  '是我们不对，扣费之前应该先通知您的。',
  '您放心，我们不会让您多交一分冤枉钱。',
  '我们把基站的情况报上去了，会尽快优化。',
  '您这么细心，我们也放心多了。',
  '您看看您的短信，里面有一条验证码。',
  '您一个人带孩子还要处理这些事，真不容易。',
  '这个规定就是这样，我给您解释一下原因。',
  '您要是再遇到这种情况，可以直接打电话给我。',
  '您说的这些我都记下来了，会反馈给相关部门。',
  '如果您觉得这个套餐不合适，我们可以再换。',
  '您不用担心，这个不会影响您的信用。',
  '哈哈，您的手机号真好记，六个八。',
  '您是我见过最有耐心的客户了，真的谢谢您。',
  '您自己的钱当然要看紧一点，我们也会帮您把关。',
  '咱们先别着急，我一步步帮您查。',
  '您说的对，我刚才确实说错了。',
  // A sixth batch.
  '您怎么老是这么客气，谢谢您。',
  '您的意思我明白了，我们会核实清楚。',
  '说实话，这个套餐对您来说有点浪费，我帮您换个便宜的。',
  '您这个想法很好，我们正好有类似的活动。',
  '哦，那您稍等，我帮您查一下。',
  '您的要求我们记下了，三个工作日内给您答复。',
  '您老人家别着急，我慢慢给您说。',
  '我们又不是只有这一种套餐，您可以再看看别的。',
  '您真会挑，这个是我们最划算的套餐。',
  '您说什么都有道理的话，我们就照您说的办。',
  '呵呵，您真幽默，我们也希望网速越快越好。',
  '这个问题上网一搜就有教程，我把链接发给您。',
  '早知道这样，我们应该提前通知您，真是不好意思。',
  '您先看看您手机的设置，是不是开了飞行模式。',
  '像您这样准时交费的客户真不多，谢谢您。',
  // A seventh batch: corrections without blame, the agent's own errors, hedges, denials of the customer's mistake.
  '您的套餐实际上是每月88元，之前账单上多扣的我们已经退了。',
  '这个地址我们录错了，我马上帮您改过来。',
  '不是您的问题，是我们系统把您的号码弄错了。',
  '您没收到短信可能是被拦截了，我帮您看看。',
  '如果您输错了验证码，可以重新获取一次。',
  '您说您填错了地址，没关系，我这边可以直接修改。',
  '很多客户都会把这两个套餐搞混，名字确实很像。',
  '您当时办理的时候，营业员可能没给您讲清楚。',
  '师傅说线路没问题，可能是路由器需要重启一下。',
  '您记得没错，确实是上个月十号开通的。',
  '这边核对了一下，您提供的信息都是对的。',
  '您放心，就算填错了也能改。',
  '这个费用不是您用超的，是系统计费延迟。',
  '您是不是把验证码发给别人了？如果是的话要尽快改密码。',
  '我刚才说错了，正确的到期日是三十号。',
  '是我没听清楚，麻烦您再说一遍号码。',
  '您忘了密码没关系，我教您怎么重置。',
  '为了避免输错，建议您复制粘贴。',
  '您之前的理解也有道理，只是规则后来改了。',
  '这个页面很多人都会点错，我们已经在优化了。',
  '您看到的是旧版的资费，新版的我发给您。',
  '不是您弄错了，是活动规则本身写得不清楚。',
  '您没有做错什么，这个是正常的系统提示。',
  '您手机显示无服务，可能是所在区域信号弱。',
  '我们给您开错了套餐，非常抱歉，现在已经改好了。',
]

describe('chapter 8 kinds by structure (session 9)', () => {
  it.each(STRUCTURE_HITS)('%s fires on %s', (rule, text, words) => {
    expect(said(rule, text)).toContain(words)
  })

  it.each(STRUCTURE_QUIET)('no chapter 8 finding on %s', (text) => {
    for (const rule of CHAPTER8_RULES) expect(said(rule, text)).toEqual([])
  })
})

describe('pointing out a mistake against a state explained or a slip reassured (session 12)', () => {
  // What is not set up yet on the customer's phone or line, explained with its remedy: no mistake pointed out.
  it.each([
    '您的手机还没有设置接入点,所以一直显示连不上网络,我教您设置一下。',
    '您号码没开通国际漫游,所以出国以后打不出去,我现在帮您开通。',
    // The slip reassured right after it (the rulebook's phrases clear on `reassured` as the act does).
    '您没听清楚没关系,我再慢一点说一遍。',
    '您填错了没关系,我帮您改一下。',
  ])('no pointing_out_mistake on %s', (text) => {
    expect(said('pointing_out_mistake', text)).toEqual([])
  })

  // The customer named as the doer of the omission (您 + a verb, 是您, 您自己): still pointed out.
  it.each([
    ['您订的是自动续订的漫游包,回国后没退订,所以还在扣。', '没退订'],
    ['您出发前没订通话包,所以按标准资费收的。', '您出发前没订通话包'],
    ['是您下了订单没有付款,所以订单就自动取消了。', '是您下了订单没有付款'],
  ])('pointing_out_mistake on %s', (text, words) => {
    expect(said('pointing_out_mistake', text).join('')).toContain(words)
  })
})

describe('a guarantee within the agent\'s power (session 12)', () => {
  // The agent guarantees its own reporting (in the clause after 保证) or the data protection the operator owes anyway.
  it.each(['我向您保证,我会把您的情况如实反映上去。', '我们保证您的个人信息不会泄露给任何第三方。'])('no overpromise on %s', (text) => {
    expect(said('overpromise', text)).toEqual([])
  })

  it.each([
    ['我保证,明天一定能给您办好。', '保证'],
    ['我保证能办好,会及时给您回电话。', '保证'],
  ])('overpromise on %s', (text, words) => {
    expect(said('overpromise', text).join('')).toContain(words)
  })
})

describe('chapter 8 by doer, question shape and offer (session 13)', () => {
  // A mistake asked with a reproach in it is said, not asked; a plain or alternative question still asks.
  it.each([
    ['您是不是又把验证码填错了?', '您是不是又把验证码填错'],
    ['您自己没看账单吗?上个月就写着了。', '您自己没看账单'],
    ['您办的时候就没核对一下套餐名称吗?', '就没核对'],
    ['您是不是没仔细看就点了确认啊?', '没仔细'],
    ['您难道没注意到短信里的到期时间吗?', '没注意'],
  ])('pointing_out_mistake on the reproachful question %s', (text, words) => {
    expect(said('pointing_out_mistake', text).join('')).toContain(words)
  })
  it.each([
    '您看一下是不是密码填错了?',
    '您当时是没收到还是收到了又删了?',
    '阿姨,我说慢一点,您哪里没听清随时叫我。',
    '要是是您自己填错了也不要紧,我帮您改过来。',
    '我们这边看到您的号码昨天服务密码连续输错被锁住了,给您回个电话。',
  ])('no pointing_out_mistake on %s', (text) => {
    expect(said('pointing_out_mistake', text)).toEqual([])
  })

  it.each([
    ['scolding', '你自己不会打开营业厅APP查一下吗?', '你自己不会打开营业厅APP查一下吗'],
    ['scolding', '为什么老是你这儿出问题?', '为什么老是你'],
    ['scolding', '有你这样办业务的吗?', '有你这样办业务的吗'],
    ['scolding', '提醒你多少回了都改不了。', '提醒你多少回了都改不了'],
    ['scolding', '办之前怎么不先问清楚?', '怎么不先问清楚'],
    ['sarcasm', '您老人家还追5G啊?', '您老人家还追5G啊'],
    ['sarcasm', '这么先进的功能,您估计也用不来。', '这么先进的功能,您估计也用不来'],
    ['sarcasm', '要不您干脆自己开个通信公司得了。', '干脆自己开个通信公司'],
    ['sarcasm', '您这思路可真是清奇。', '您这思路可真是清奇'],
  ])('%s fires on %s', (rule, text, words) => {
    expect(said(rule, text).join('')).toContain(words)
  })

  // 现在知道着急了 is a reproach; with a mocking 哟 in its sentence it is the sarcasm alone.
  it('reads 哟,现在知道着急了 as sarcasm, not scolding too', () => {
    expect(said('sarcasm', '哟,现在知道急了?')).not.toEqual([])
    expect(said('scolding', '哟,现在知道急了?')).toEqual([])
    expect(said('scolding', '早干嘛去了,现在才着急。')).not.toEqual([])
  })

  it.each([
    ['scolding', '您看还有什么不明白的吗?'],
    ['scolding', '请问您还有别的需要吗?'],
    ['sarcasm', '哟,那真是不巧,师傅今天约满了,我帮您改到明天可以吗?'],
  ])('%s stays quiet on %s', (rule, text) => {
    expect(said(rule, text)).toEqual([])
  })
})

describe('chapter 8 kinds from tune11c\'s misses (session 13)', () => {
  it.each([
    ['pointing_out_mistake', '您没等页面跳转就又点了一次付款。', '没等页面跳转就又点了'],
    ['pointing_out_mistake', '合同第五条写着呢,您签之前就该仔细读一读。', '之前就该仔细读'],
    ['pointing_out_mistake', '那个复位键您当时就不该去按。', '您当时就不该去'],
    ['pointing_out_mistake', '您当时回了确认短信,现在又说没办过。', '现在又说没'],
    ['scolding', '这么点小事还特意打电话来问。', '这么点小事还特意打电话'],
    ['scolding', '两天而已,至于这么着急吗?', '至于这么着急吗'],
    ['scolding', '您这也太粗心了,页面上写得很清楚。', '您这也太粗心'],
    ['scolding', '这下好了吧,您自己乱删,现在又要补办。', '这下好了吧'],
    ['scolding', '这才几天您就忘了?', '这才几天您就忘'],
    ['scolding', '您自己翻一下账单不就知道了?', '您自己翻一下账单不就知道了'],
    ['scolding', '不会就别乱改嘛,改坏了还不是我们的师傅上门。', '不会就别乱'],
    ['sarcasm', '那您这么专业,还需要我解释吗?', '您这么专业,还'],
  ])('%s fires on %s', (rule, text, words) => {
    expect(said(rule, text).join('')).toContain(words)
  })

  it.each([
    ['pointing_out_mistake', '记录显示是您本人昨天在APP上把套餐改成了八元的保号套餐。'],
    ['pointing_out_mistake', '网络好了,不过您手机里把网络设置成了仅2G,您把它改回来就行。'],
    ['pointing_out_mistake', '查清楚了,是我们页面只能输十七位,确实不是您漏填了。'],
    ['pointing_out_mistake', '您别自责,密码记混的情况太常见了。'],
    ['sarcasm', '真棒,您记得可真清楚,我教一遍您就会了。'],
  ])('%s stays quiet on %s', (rule, text) => {
    expect(said(rule, text)).toEqual([])
  })
})

describe('chapter 8 kinds from tune9c and tune12m (session 13)', () => {
  it.each([
    ['pointing_out_mistake', '您自己开的会员,怎么还怪系统呢?', '您自己开的'],
    ['pointing_out_mistake', '您上周把自动续费取消了,这才停的机。', '这才停'],
    ['scolding', '六位数的密码都输不对。', '都输不对'],
  ])('%s fires on %s', (rule, text, words) => {
    expect(said(rule, text).join('')).toContain(words)
  })
  it.each([
    ['pointing_out_mistake', '您交了欠费,这才开的机。'],
    ['scolding', '您那边的宽带都连不上吗?我帮您查一下。'],
  ])('%s stays quiet on %s', (rule, text) => {
    expect(said(rule, text)).toEqual([])
  })
})

describe('negative questions, concessions, relayed words (session 13)', () => {
  // A negative 的吗 question of use or possession asks; of care not taken, or with an emphasis, it reproaches.
  it.each([
    '您平时不怎么用流量的吗?那我给您推荐个通话多的套餐。',
    '您家里没装固话的吗?现在装机免费。',
    '您之前没办过携号转网的吗?第一次办要先查询资格。',
  ])('no scolding on %s', (text) => {
    expect(said('scolding', text)).toEqual([])
  })
  it.each([
    ['您签合同之前不看条款的吗?', '您签合同之前不看条款的吗'],
    ['您平时都不查话费的吗?', '您平时都不查话费的吗'],
  ])('scolding on %s', (text, words) => {
    expect(said('scolding', text).join('')).toContain(words)
  })

  it.each([
    '就算是您自己按错了也没事,我帮您取消。',
    '您这个问题问得好,好多人都没注意到。',
    '您爱人说您当时办错了套餐,我帮您查一下。',
    '这张卡当初您自己在营业厅办了实名,所以登记的是您本人。',
  ])('no pointing_out_mistake on %s', (text) => {
    expect(said('pointing_out_mistake', text)).toEqual([])
  })
  it('pointing_out_mistake on the customer\'s own act and the trouble after it', () => {
    expect(said('pointing_out_mistake', '您上个月自己开通了自动续订,所以一直在扣费。').join('')).toContain('所以一直')
  })
  it('sarcasm on remembering only now', () => {
    expect(said('sarcasm', '哟,今天才想起来交话费了?').join('')).toContain('想起来交')
  })
})

describe('难道 and the repeated omission (session 13)', () => {
  it.each(['难道您还没收到新卡?我帮您查一下快递。', '难道您这边换过手机?我看一下登录记录。'])('no scolding on %s', (text) => {
    expect(said('scolding', text)).toEqual([])
  })
  it.each([
    ['难道您不知道欠费会停机吗?', '难道您'],
    ['您难道连短信都不看吗?', '您难道'],
  ])('scolding on %s', (text, words) => {
    expect(said('scolding', text).join('')).toContain(words)
  })
  it('pointing_out_mistake on 又没 asked', () => {
    expect(said('pointing_out_mistake', '您是不是又没交话费?').join('')).toContain('又没交')
  })
})

describe('the times told counted at the customer (session 13)', () => {
  it('scolding on a rhetorical count addressed to the customer, not on a stated one', () => {
    expect(said('scolding', '跟你讲了八百遍了,先交费再开机。').join('')).toContain('跟你讲了八百遍')
    expect(said('scolding', '我跟您讲了三遍了,按月收费。')).toEqual([])
  })
})

describe('more sarcasm and scolding in other words (session 13)', () => {
  it.each([
    ['sarcasm', '真是辛苦您了,还惦记着我们这个运营商。', '辛苦您了,还惦记'],
    ['sarcasm', '您要是能算明白账单,我把名字倒过来写。', '名字倒过来写'],
    ['scolding', '你到底有没有搞清楚情况?', '有没有搞清楚情况'],
    ['scolding', '都说了这不是我们的问题,你还折腾什么?', '还折腾什么'],
    ['pointing_out_mistake', '不对,您说的那个活动上个月就结束了。', '不对,您说的'],
  ])('%s fires on %s', (rule, text, words) => {
    expect(said(rule, text).join('')).toContain(words)
  })
  it.each([
    ['scolding', '我先帮您搞清楚情况,您稍等。'],
    ['pointing_out_mistake', '您说的不对的地方我都记下了,会反馈给营业厅。'],
    ['sarcasm', '辛苦您了,这么晚还接我们的电话。'],
  ])('%s stays quiet on %s', (rule, text) => {
    expect(said(rule, text)).toEqual([])
  })
})

describe('a slip called normal (session 13)', () => {
  it('no pointing_out_mistake when the slip is called normal right after it', () => {
    expect(said('pointing_out_mistake', '您没看到那条提醒也正常,现在短信太多了。')).toEqual([])
    expect(said('pointing_out_mistake', '您没看到那条提醒,所以才欠费停机。')).not.toEqual([])
  })
})

describe('thanks for real help (session 13)', () => {
  it('no sarcasm on 您可真是帮了我大忙', () => {
    expect(said('sarcasm', '您可真是帮了我大忙,这个信息很关键。')).toEqual([])
  })
})

describe('not even looked, asked (session 13)', () => {
  it.each([
    ['您是不是根本没看账单?', '根本没看'],
    ['您是不是压根没留意到续费提醒?', '压根没留意'],
  ])('pointing_out_mistake on %s', (text, words) => {
    expect(said('pointing_out_mistake', text).join('')).toContain(words)
  })
  it('no pointing_out_mistake on a plain question about a slip', () => {
    expect(said('pointing_out_mistake', '请问您是不是记错日期了?没关系,我帮您查一下。')).toEqual([])
  })
})

describe('talking back counted, blame refused back (session 13)', () => {
  it.each([
    ['我说一句您顶三句。', '我说一句您顶三句'],
    ['您就不能先看看短信再打?', '您就不能先看看短信再打'],
    ['这是您自己的问题,别赖我们。', '别赖我们'],
  ])('scolding on %s', (text, words) => {
    expect(said('scolding', text).join('')).toContain(words)
  })
  it('no scolding on a request not to hang up', () => {
    expect(said('scolding', '您先别挂,我帮您查一下。')).toEqual([])
  })
})

describe('more irony (session 13)', () => {
  it.each([
    ['您真棒,又把充电器弄丢了。', '真棒'],
    ['您就等着吧,说不定哪天它自己就好了。', '说不定哪天它自己就好了'],
    ['您这路由器是爷爷辈的吧。', '爷爷辈的'],
  ])('sarcasm on %s', (text, words) => {
    expect(said('sarcasm', text).join('')).toContain(words)
  })
  it.each(['您真棒,一次就把密码改好了。', '您家孩子真棒,还会帮您查流量。'])('no sarcasm on %s', (text) => {
    expect(said('sarcasm', text)).toEqual([])
  })
})

describe('mistakes in other verbs (session 13)', () => {
  it.each([
    ['您报的身份证号有两位对不上。', '有两位对不上'],
    ['您把月租和流量费混为一谈了。', '混为一谈'],
    ['您错把充值卡密码发给了别人。', '您错把'],
  ])('pointing_out_mistake on %s', (text, words) => {
    expect(said('pointing_out_mistake', text).join('')).toContain(words)
  })
  it('no pointing_out_mistake when the system mixed them up', () => {
    expect(said('pointing_out_mistake', '是我们系统把两笔费用混淆了,我马上给您更正。')).toEqual([])
  })
})

describe('the owner of a thing and the record read out (session 13)', () => {
  it('pointing_out_mistake when the owner is the doer in the predicate\'s clause', () => {
    expect(said('pointing_out_mistake', '您的号码填错了,少了一位。').join('')).toContain('您的号码填错')
  })
  it.each([
    '叔叔您好,我看到您的卡被锁了,是服务密码连续输错了三次。',
    '我这边查到您的订单填错了地址,需要您确认一下新地址。',
  ])('no pointing_out_mistake on %s', (text) => {
    expect(said('pointing_out_mistake', text)).toEqual([])
  })
})

describe('acted without waiting, not a success (session 13)', () => {
  it('no pointing_out_mistake when what followed was a success', () => {
    expect(said('pointing_out_mistake', '您之前没等到短信就办好了,说明系统很快。')).toEqual([])
  })
})

describe('the network at the customer\'s place wondered at (session 13)', () => {
  it('no scolding on a fault wondered at', () => {
    expect(said('scolding', '为什么总是您这边信号不好?我帮您报修一下基站。')).toEqual([])
    expect(said('scolding', '怎么每次都是你出问题?')).not.toEqual([])
  })
})

describe('哟 with good wishes (session 13)', () => {
  it('no sarcasm on a surprised 哟 followed by a blessing', () => {
    expect(said('sarcasm', '哟,今天是您生日啊,祝您生日快乐!')).toEqual([])
    expect(said('sarcasm', '哟,您还挺会挑时候的,半夜打过来。')).not.toEqual([])
  })
})

describe('told, in an ASR homophone (session 13)', () => {
  it('scolding on 早根您说了…您偏不换 (根 for 跟: told to the customer, not the customer\'s words echoed)', () => {
    expect(said('scolding', '早 根您说了换个路由器,您偏 不换。')).not.toEqual([])
  })
})

describe('forgotten so soon, asked (session 13)', () => {
  it('pointing_out_mistake on 这才几天您就忘了?', () => {
    expect(said('pointing_out_mistake', '上周您自己在APP上办的,这才几天您就忘了?').join('')).toContain('忘')
  })
  it('no pointing_out_mistake on a plain question about forgetting', () => {
    expect(said('pointing_out_mistake', '您是不是忘了带身份证?没关系,我们可以线上核验。')).toEqual([])
  })
})
