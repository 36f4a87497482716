/**
 * 第十章 保密 — what the agent must not tell the customer, found by the kind of thing told rather than by its words
 * (beside the act frames of features/acts.ts `disclosure`): internal_disclosure's frames.
 *
 * - Another customer's case: a particular other subscriber (楼上那户, 您邻居张大爷, 前面那个用户, 有个大姐, 姓陈的那位,
 *   the holder of another number) named with what their account holds or what happened to their case (办的是…, 欠费,
 *   退了三百, 也投诉过, 通话记录). Not others in general (好多用户都问过), not the customer's own account.
 * - Staff matters: a colleague's or a superior's personnel matter (请假, 离职, 被开了, 扣了绩效, 挨批, 业务不熟), the
 *   agent's own employment (外包的, 不是正式员工, 工资就两千), a penalty staff bear for the call (一个差评扣五十, 绩效就没了),
 *   short hands (人手紧, 走了好几个).
 * - Targets, quotas and pay for sales: a quota in so many words (指标, 业绩, 达标, 转化率, 考核) on the agent's side, a
 *   workload with its count (一天得打八十个), a commission (提成, 佣金, 每装一户三十块).
 * - Internal processes: what the inside does with a case and will not say (压着, 先放着, 拖到月底才看, 不点头就转不到),
 *   a gate of the inside (得先过班长那关), a rule of the inside (内部的规矩, 领导让我们这么说, 话术, 故意设计的, 就是为了让
 *   大家多订), a discretion kept from customers (可以改价只是一般不给改, 闹得厉害的话是可以减免的), concealment
 *   (对外就说…, 不让我们跟客户承认, 没发通知, 能压就压), how customers are labelled inside ("高危投诉用户", 流失预警名单).
 * - Internal prices and unpublished offers: what staff pay (员工办才一百八), the price outside (对外价), what agents or
 *   dealers earn (代理点的佣金), retention offers (挽留优惠, 只给要走的用户), an offer not made public (没有公开的, 还没公告,
 *   提前透露, 内部刚定的方案), a gift asked to be kept quiet (别提是我给的).
 * - Faults in other words: the operator's plant broken with the telling marked as inside knowledge (其实, 一直没修, 没批钱,
 *   乱标), a billing fault that hit many (误扣了一大批人), leased lines.
 *
 * Quiet, by kind: refusing to tell (不方便透露, 要保密, 查不到), denying (不是什么内部价), a public notice or offer (发过公告,
 * 公开的活动), hedges and questions, the customer's words echoed (frames.ts `heldBack`).
 */
import type { ActCue } from './acts.js'
import { clauseEnd, clauseStart, sentenceEnd, sentenceStart } from './bounds.js'
import { clauseBefore, echoed, framed, heldBack, runFrames, sentenceOf, type Frame } from './frames.js'
import type { UtteranceFeatures } from './utterance.js'

const NUM = '[\\d一二两三四五六七八九十百千几半]'
const STAFF = '(同事|客服|营业员|员工|班长|组长|主管|经理|实习生|新人|新来的|刚来的|小姑娘|小伙子|临时工|工程师|装维|那位|那个人|那个小姑娘|那个)'
const INSIDE = '(内部|上面|上头|领导|公司|班长|组长|主管|经理|后台|财务|技术那边|质检|我们|我们这边|我这边|这边)'

// Refusing to tell, a denial, privacy named: the sentence tells nothing.
const DECLINED = /(不方便|不能|没法|无法|不便|不可以|不好|不允许|没有权限|没权限)[^,.!?;]{0,6}(说|讲|透露|告诉|细说|给您|给你|查|看)|要?保密|隐私|查不到|看不着|看不到|不是什么|没有什么|没这回事|不存在|冒充|所谓的|诈骗|骗子/
// A public notice or a published offer named in the sentence.
const PUBLIC = /(发过|发了|已经发|提前发|都发了|已经在|贴出来|官网上?(已经)?(公告|写|有)|公告了|公开的|公开资费|统一的|都一样|谁办都|短信(也)?(通知|公告)|(通知|公告)过|都通知)/
const NEGATED_BEFORE = /((?<!要)不(?!然|过|管|论|但|仅|只)|没|没有|不会|别|并不|并没有|不是|没什么|没啥)[^,.!?;]{0,2}$/

// A dare (大不了扣我工资, 随便投诉,扣我钱我也不怕): the penalty is named to defy the customer, forbidden_phrase's defiance.
// Rushing (快点, 我们一天要打两百个您长话短说) and indifference (爱办不办) likewise: the inside is named to brush the customer
// off, not told.
const DARE = /(大不了|随便|尽管|无所谓|不怕|不在乎|爱怎么|也没用|有本事|去投诉|投诉去|告去|去告|认了|快点|快一点|赶紧|抓紧|长话短说|没空|没时间|哪有空|麻利|磨蹭|利索点|爱办不办|爱[\u4e00-\u9fff]不[\u4e00-\u9fff](?=[,.!?;]|$)|随(您|你)便?)/
/** The inside named in a dare, a rush or a shrug (see DARE), in the sentence of [s, e). */
export const dared = (t: string, s: number, e: number): boolean => DARE.test(sentenceOf(t, s, e))
const notNegated = (t: string, s: number): boolean => !NEGATED_BEFORE.test(clauseBefore(t, s))
const quiet = (t: string, s: number, e: number): boolean => {
  const sentence = sentenceOf(t, s, e)
  return DECLINED.test(sentence)
}

// A particular other subscriber: a neighbour, the one before, a person with a surname or a classifier; the holder of
// another number. Then what their account or case holds.
const OTHER_PERSON = new RegExp(
  [
    '(楼上|楼下|隔壁|对门|对面|同一栋|同一个小区|你们楼|您们楼|你们小区|您小区|你们单元|隔壁单元)[^,.!?;]{0,8}(那户|那家|那位|一户|一家|客户|用户|大姐|大爷|阿姨|先生|女士|老太太|姓)',
    '(您|你)的?邻居',
    '(另外|另一|前面|刚才|刚刚|上一|之前|昨天|前两天|前几天|今天|上午|下午)(有)?(一)?(个|位|户|家)[^,.!?;]{0,6}(客户|用户|大姐|大爷|阿姨|老太太|老大爷|老人|先生|女士|小伙子|姑娘|人)',
    '(?<!(我们|这边|我|咱们|咱)(这里|这儿)?(还)?)有(一)?(个|位)[^,.!?;]{0,4}(大姐|大爷|阿姨|老太太|老大爷|客户|用户|先生|女士)(?!专|回馈|活动|优惠|福利|权益)',
    '姓[\\u4e00-\\u9fff]的',
    '以前是[^,.!?;]{0,10}(人|用户|客户)(在)?用的',
    '(?<![您你])(那个|一个)(客户|用户)',
  ].join('|'),
  'g',
)
const ACCOUNT_DETAIL = new RegExp(
  `(办的|套餐|欠费|欠了|退了|退给|赔了|给(他|她)(们)?(退|赔|免|减)|投诉|通话(记录|清单|详单|特别多|很多|频繁)|话费|用[^,.!?;]{0,4}(g|G|兆)|流量|交到|一个月[^,.!?;]{0,3}(花|用|交)|扣了|拆(他|她)|闹到|吵了|骂了|打来|打过来|打几百|专线价|报的是|也是(这个|一样的)?(问题|情况)|比(您|你)[^,.!?;]{0,3}(便宜|贵|高|低)|登记|住在|号码|(我们|我)(这边)?在(跟|处理|办))`,
)
// A family member's own line or call (您闺女也打过来问过, 她那个号也是这个套餐) — not what they did for the customer
// (您女儿帮您办的, 充到了您女儿的号码上).
const FAMILY_OWN = /(您|你)的?(闺女|女儿|儿子|老公|老婆|爱人|家人|父亲|母亲|妈妈|爸爸|孩子|亲戚|家里人)(?![^,.!?;]{0,6}(帮|给|替)(您|你))[^.!?;]{0,14}?(也打(过)?(来|过来)|(她|他)(那个|的)?(号|号码|卡)[^,.!?;]{0,6}(也是|是|欠|套餐|话费|通话))/g
const IGNORANT = /(不知道|不清楚|不了解|不晓得|说不好|说不准|没通知我们|没告诉我们|也没收到)/
const CREDENTIAL = /(密码|验证码|身份证|账号|银行卡|卡号|个人信息)/
const GENERIC_OTHERS = /(好多|很多|不少|许多|有些|一些|大家|其他|别的|其它|所有)(的)?(人|用户|客户)/

// The holder of another number named (那个号码登记的机主姓孔): told by the name alone.
const OTHER_HOLDER = /机主(是)?(姓(?![名氏])|叫(?!什么|啥))(?![您你])[\u4e00-\u9fff]/g

/** Another customer's case: [person start, detail end, detail start]. */
function otherCustomer(t: string): [number, number, number][] {
  const out: [number, number, number][] = []
  OTHER_HOLDER.lastIndex = 0
  for (let m = OTHER_HOLDER.exec(t); m; m = OTHER_HOLDER.exec(t)) if (!quiet(t, m.index, m.index + m[0].length)) out.push([m.index, m.index + m[0].length, m.index])
  OTHER_PERSON.lastIndex = 0
  for (let m = OTHER_PERSON.exec(t); m; m = OTHER_PERSON.exec(t)) {
    const s = m.index
    const e = s + m[0].length
    const from = sentenceStart(t, s)
    const to = sentenceEnd(t, e)
    const sentence = t.slice(from, to)
    // Their case told: a detail of the account or case after the person, in the sentence (or the sentence before is the
    // person and this one the detail: 她一个月用四十多个G, read below by the pronoun frame).
    const rest = t.slice(e, to)
    const detail = ACCOUNT_DETAIL.exec(rest)
    if (detail === null) continue
    if (DECLINED.test(sentence) || DARE.test(sentence) || GENERIC_OTHERS.test(t.slice(clauseStart(t, s), e)) || /(本人|自己)(打|来|去|办|查)/.test(rest)) continue
    // The person as the object of what the customer may do or ask (您可以问问您邻居), or a condition on them.
    if (/(问问|问一下|让|请|叫)$/.test(t.slice(Math.max(from, s - 3), s)) || /(如果|要是|假如)/.test(t.slice(from, s))) continue
    out.push([s, e + detail.index + detail[0].length, e + detail.index])
  }
  return out
}

// He or she, with the usage or the bill of their line (她一个月用四十多个G, 他这个号码每个月都打几百个电话).
const THIRD_USAGE = new RegExp(
  `(他|她)(这个|那个)?(号|号码|手机)?[^,.!?;]{0,6}(一个月|这个月|每个月|每月|上个月)[^,.!?;]{0,8}(用[^,.!?;]{0,3}${NUM}+[^,.!?;]{0,2}(g|G|兆|分钟)|话费|通话|打[^,.!?;]{0,3}${NUM}+个电话|欠)|(他|她)(这个|那个)?(号|号码)[^,.!?;]{0,4}(也是这个套餐|欠了|欠费)|(她|他)[^,.!?;]{0,4}跟[^,.!?;]{0,10}(号码|尾号)[^,.!?;]{0,4}通话`,
  'g',
)

const FRAMES: Frame[] = [
  // Staff matters.
  {
    kind: 'staff',
    anchor: /请假|病假|休假|产假|离职|辞职|开除|开了|辞退|调走|调到|处分|挨批|批评|被投诉|绩效|奖金|工资|不会操作|业务不熟|不熟练|顶班/,
    re: new RegExp(`${STAFF}[^.!?;]{0,16}?(请假|请病假|病假|休假|产假|离职|辞职|被开除|开除|被开了|让开了|给开了|被辞退|辞退|调走|被调|调到[^,.!?;]{0,4}去|受了?处分|挨了?处分|被处分|挨批|被批评|批评了|被投诉|扣了?(绩效|奖金|工资)|(绩效|奖金|工资)(也|都)?(被)?扣|不会操作|业务不熟|不熟练|在顶班|顶班)`, 'g'),
    // A personnel matter told, not one promised (我保证那个师傅会被开除 is a promise: overpromise's).
    ok: (t, s, e) => notNegated(t, s) && !/我是(新来的|刚来的|新人)/.test(t.slice(s, e)) && !/(会|将|要|一定)被/.test(t.slice(s, e)) && !dared(t, s, e),
  },
  {
    kind: 'employment',
    anchor: /外包|正式员工|临时工|工资|底薪/,
    re: new RegExp(`外包(公司)?的|不是[^,.!?;]{0,4}正式(员工|工)|(都是|是)临时工|工资(就|才|只有)[^,.!?;]{0,3}${NUM}+|底薪`, 'g'),
    ok: (t, s, e) => !dared(t, s, e),
  },
  {
    kind: 'short_staffed',
    anchor: /人手|走了|顶俩|顶两|人不够|没人愿意/,
    re: new RegExp(`人手(紧|不够|不足|短缺)|(?<!(刚|就|已经|早))走了(好几个|一半|不少|两个|几个|三个)(?!小时|钟头|天|分钟|月)|一个人顶(俩|两个|仨)|人不够用|没人愿意干`, 'g'),
  },
  {
    kind: 'staff_penalty',
    anchor: /扣|绩效|奖金|工资|提成|考核|挨|处分|被罚|淘汰|末位/,
    re: new RegExp(`扣(了)?(我|我们)?的?(钱|分|绩效|奖金|工资|${NUM}+(块|元|分)|${NUM}+(?=[,.!?;]|$))|(绩效|奖金|工资|提成|考核)[^,.!?;]{0,4}(就)?(没了|完了|泡汤|垫底|扣光|要扣|被扣|就扣)|挨(批|骂|处分|罚)|受处分|被罚|(要|就)淘汰|末位`, 'g'),
    ok: (t, s, e) => {
      if (/[您你]/.test(t.slice(e, e + 1)) || !notNegated(t, s) || DARE.test(sentenceOf(t, s, e))) return false
      // 扣钱 and 扣分 are staff's only with the evaluation named (流量超了就扣钱 charges the customer).
      if (/^扣/.test(t.slice(s, e))) return /(差评|好评|质检|抽检|考核|绩效|满意度|满意率|成功率|录音|指标|任务|工资|奖金|提成|组长|班长|主管|领导|扣我)/.test(sentenceOf(t, s, e))
      return true
    },
  },
  // Targets, quotas, commission.
  {
    kind: 'quota',
    anchor: /指标|kpi|业绩|达标|转化率|挽留率|成功率|外呼量|任务量|冲量|考核|满意度|满意率|压力/,
    re: /(指标|kpi|业绩|达标|转化率|挽留率|外呼量|任务量|冲量|考核)|(成功率|满意度|满意率)[^,.!?;]{0,2}(要|得|低于|不到|要到|达不到|低了|不够|卡得)|(上面|上头|领导|公司)[^,.!?;]{0,6}压力/g,
    ok: (t, s, e) => {
      if (!notNegated(t, s) || /(没有|没啥|没什么|不影响|不是为了)[^,.!?;]{0,6}$/.test(clauseBefore(t, s)) || quiet(t, s, e) || PUBLIC.test(sentenceOf(t, s, e)) || dared(t, s, e)) return false
      const word = t.slice(s, e)
      const sentence = sentenceOf(t, s, e)
      // 考核 as the agent's own evaluation (按二十四小时回复算考核, 考核就看…, 影响我的考核), not staff training promised
      // (加强人员的培训与考核); 达标 of the team's count, not of a signal or a speed.
      if (word === '考核') return /(算考核|考核就|考核(看|过不了|不合格|指标|压力|不过)|按[^,.!?;]{0,10}考核|(我|我们)的考核|影响[^,.!?;]{0,4}考核)/.test(sentence)
      if (word === '达标') return /((就|还)差[^,.!?;]{0,8}|(这个月|这月|本月|组|我)[^,.!?;]{0,8})达标/.test(sentence) && !/(信号|网速|速率|测速|速度|带宽|测试|检测|标准|质量)/.test(sentence)
      if (word === '业绩') return !/(公司的?业绩(很|挺|不错|良好|增长))/.test(sentence)
      return true
    },
  },
  {
    kind: 'workload',
    anchor: /一天|每天|每人|每个人|一个人|一个月|每个月|每月|今天/,
    re: new RegExp(`(一天|每天|每人|每个人|一个人|一个月|每个月|每月|今天)[^,.!?;]{0,6}(要|得|必须|有指标)[^,.!?;]{0,3}(打|打够|推|卖|办|装|拉|签|完成|冲|外呼)[^,.!?;]{0,3}${NUM}+(个|单|户|通|件|套)`, 'g'),
    // The agent's side owes the count (我们一天得打八十个), not the customer (您每天要打…) nor an offer (今天给您推荐一个).
    // A team's norm (我们, 每人, 组长说…), not one agent's day told as an excuse (我一天要打两百个: rushing, forbidden_phrase's).
    ok: (t, s, e) => /(我们|组|每人|每个人|一个人|领导|上面|公司|指标)/.test(t.slice(sentenceStart(t, s), s + 8)) && !/(您|你)/.test(t.slice(Math.max(0, s - 2), e)) && !DARE.test(t),
  },
  {
    kind: 'commission',
    anchor: /提成|题成|佣金|抽成|返佣|回扣|奖励|拿/,
    re: new RegExp(`[提题]成|佣金|抽成|返佣|回扣|(每|一)(装|办|卖|拉|签)(一)?(户|个|单|张|台)[^,.!?;]{0,6}(有|拿|奖励|给)[^,.!?;]{0,3}${NUM}+(块|元)|(办|装|卖)一(个|户|单)拿${NUM}+(块|元)`, 'g'),
    ok: (t, s, e) => notNegated(t, s) && !/(您|你)(可以|能|就|也)?(获得|拿到|得到|领)/.test(sentenceOf(t, s, e)),
  },
  // Internal processes.
  {
    kind: 'withheld',
    anchor: /压|拖|放着|往前排|往后排|才看|才批|才审|才处理|点头|不批|得先过/,
    re: /压着|压下来|压下去|压个|能压就压|(拖|压)到[^,.!?;]{0,4}(才|再)|先拖|拖[一二两三四五六七八九十几]+天|先放着|(才|再)往前排|往后排|(月底|月初|一个月)才(批|看|处理|审)/g,
    ok: (t, s, e) => notNegated(t, s) && /(工单|单子|投诉|诉求|退费|内部|班长|组长|主管|领导|后台|财务|他们|我们|上面)/.test(sentenceOf(t, s, e)),
  },
  {
    kind: 'inside_rule',
    anchor: /内部|话术|故意|为了让|收入|利润|规矩|培训|开会|领导让|上面让|公司让/,
    re: new RegExp(`内部[^.!?;]{0,6}的?(规矩|潜规则|套路|方案|安排|流程|做法)|${INSIDE}[^.!?;]{0,6}的?(潜规则|套路)|话术|(内部|上面|上头|领导|公司|我们)[^.!?;]{0,8}故意(这么|这样)?(设计|设的|定的|安排|弄的|搞的|为之)|就是为了(让)?(大家|客户|用户|您们|你们)?多(订|交|花|办|用|充|收)|(收入|利润|赚钱)的?大头|(领导|上面|上头|公司|培训)[^,.!?;]{0,6}(让|要|教|要求)(我们|我)?(这么|这样)(跟[^,.!?;]{0,3})?(说|讲)|(培训|开会)的时候[^,.!?;]{0,6}(说|讲|明说|交代)|内部(一般|都|就)?(是)?(先|会|要)?(拖|压|升级成|标|按)`, 'g'),
    ok: (t, s, e) => !quiet(t, s, e) && (!/(的规定|按规定|按流程|正常流程|统一)/.test(sentenceOf(t, s, e)) || /(话术|故意|潜规则)/.test(t.slice(s, e))),
  },
  {
    kind: 'discretion',
    anchor: /只是|但是|不过|闹|没人问|有人问/,
    re: /(可以|能)(直接)?(改价|改|减免|退|免|补)[^.!?;]{0,8}(只是|但是|不过)(一般)?(不给|不让|不对|不会给)|闹(得)?(厉害|大|凶)[^.!?;]{0,10}(可以|能|就|才)(给)?(减免|退|赔|免)|没人问就不(提|说|退|管)|有人问(才|就)(退|给|赔)/g,
  },
  {
    kind: 'concealment',
    anchor: /通知|公告|让|对外|能压|怕公开|内部处理|报上去|往上报|没批|乱标|往外/,
    re: /没(有)?(发|出|贴)(任何)?(通知|公告)(?![您你])|(没|不)(让|叫|许)(我们)?(往外|对外|跟客户|跟用户|跟您)?(说|讲|传|承认|透露|提)|对外(就|统一|一律)?(说|讲|宣称|称)(?!明)|能压就压|怕公开|先内部处理|(一直)?没(报上去|往上报)|(上面|上头|领导)[^,.!?;]{0,4}没批(钱|经费)?|乱标|没让往外/g,
    ok: (t, s, e) => notNegated(t, s) && !quiet(t, s, e) && !/(收到|看到|接到|您|你)[^,.!?;]{0,3}$/.test(clauseBefore(t, s)) && !/[吗么]/.test(t.slice(e, e + 3)) && !CREDENTIAL.test(sentenceOf(t, s, e)),
  },
  {
    kind: 'label',
    anchor: /用户|客户|名单|判断/,
    re: /(高危|睡眠|流失|预警|黑名单|潜在|敏感|难缠|低价值|沉默|高风险|恶意|骚扰|重点)(投诉)?(用户|客户|名单)|系统判断(您|你)/g,
    ok: (t, s, e) => {
      const sentence = sentenceOf(t, s, e)
      if (DECLINED.test(sentence)) return false
      // 重点 only as a label given inside, in quotes or with its handling (单独盯着).
      if (/^重点/.test(t.slice(s, e)) && !/["“”]/.test(sentence) && !/(盯着|单独|升级成)/.test(sentence)) return false
      // Given inside (备注, 标成, 管您这种叫…, 名单, 系统判断), not a taunt (你们这种恶意投诉用户我们见多了).
      return /(备注|标|列为|列入|管(您|你)这种叫|叫|名单|判断|抽出来|升级成|归为|定为|划为|属于)/.test(sentence)
    },
  },
  {
    kind: 'surveillance',
    anchor: /看|查/,
    re: /(后台|系统|我们)[^,.!?;]{0,4}(能|可以|都能|看得)(看|查)?(着|到|见)?[^.!?;]{0,14}(啥都|什么都|每天几点|几点上网)/g,
  },
  // Internal prices and unpublished offers.
  {
    kind: 'internal_price',
    anchor: /员工|对外价|外面|代理/,
    re: new RegExp(`员工[^,.!?;]{0,6}(办|买|用|价|才|只要|只)[^,.!?;]{0,8}${NUM}+|对外(的)?价|外面(是)?(办不|买不|拿不|没有这)|代理(点|商)?的?[^,.!?;]{0,4}(佣金|返|提成|拿货|进价)`, 'g'),
    ok: (t, s, e) => !quiet(t, s, e) && notNegated(t, s),
  },
  {
    kind: 'unpublished',
    anchor: /挽留|只给|只对|只针对|只面向|公开|透露|内部|公告|公布/,
    re: /挽留[^,.!?;]{0,4}(优惠|包|政策|套餐|方案|预算|活动|福利|价|专用|专门)|只(给|对|针对|面向)(要走的|想走的|转网的|挑出来的|特定的|少数)|(没有|没|未|还没|尚未)(对外)?公开|(提前|偷偷|私下|悄悄)?(跟|给|向)?(您|你)?透露(?!一下吗)|还没(有)?(公告|公布|发公告|发通知|对外)/g,
    ok: (t, s, e) => {
      if (quiet(t, s, e) || !notNegated(t, s)) return false
      // Not yet public, and to be told when it is (等公开了我第一时间通知您): a public notice to come; not yet public and not
      // known to the agent either (还没公布,我也不清楚): nothing is told.
      const sentence = sentenceOf(t, s, e)
      if (IGNORANT.test(t)) return false
      // A retention offer told as there, not denied anywhere in its clause (我们不会给您什么挽留优惠, 挽留优惠?门儿都没有).
      if (/挽留/.test(t.slice(s, e)) && /(不|没|无|别)/.test(t.slice(clauseStart(t, s), clauseEnd(t, e)) + t.slice(clauseEnd(t, e), Math.min(t.length, clauseEnd(t, e) + 8)).replace(/^[?]/, ''))) return false
      // 透露 asserted, not refused in any words (我没有义务跟您透露, 凭什么透露给你).
      if (/透露/.test(t.slice(s, e)) && /(不|没|无|凭什么|怎么(可能|会|能)|哪能|谁会|别)/.test(clauseBefore(t, s))) return false
      return !/等[^,.!?;]{0,6}(公开|公布|公告|通知)/.test(sentence) && !/(以|按)[^,.!?;]{0,4}(公告|通知)为准/.test(sentence)
    },
  },
  {
    kind: 'quiet_gift',
    anchor: /别|不要|千万|说出去|传出去/,
    re: /(?<![区分特差告离类级识辨性个派])(别|不要|可别|千万别)(往外|对外|跟别人|跟外人|到处)?(说|讲|传|提|声张)(是我)?|(说|传)出去(我|就)/g,
    ok: (t, s, e) => {
      const sentence = sentenceOf(t, s, e)
      return /(是我给|我私人|我个人|我要挨|我会挨|处分|内部|偷偷|私下|给(您|你)[^,.!?;]{0,4}(开|办|弄|留|申请|补|送)了)/.test(sentence) && !CREDENTIAL.test(sentence)
    },
  },
  // Candour: the telling marked as inside knowledge (说实话, 不瞒您说, 偷偷告诉您), with the inside named after it.
  {
    kind: 'candour',
    anchor: /实话|实在话|不瞒|透个底|说白了|私底下|偷偷|偷摸|悄悄|背地里/,
    re: /(说|讲)?(句)?(实话|实在话|心里话)(说)?|不瞒(您|你)(说)?|透个底|说白了|私底下(跟(您|你)说)?|(偷偷|偷摸|悄悄|背地里)(地)?(跟|告诉|给)(您|你)(说|讲)?/g,
    ok: (t, s, e) => {
      const rest = t.slice(e, sentenceEnd(t, e) < t.length ? sentenceEnd(t, sentenceEnd(t, e) + 1) : t.length)
      if (DECLINED.test(rest) || PUBLIC.test(rest) || /(抱歉|对不起|不好意思|道歉)/.test(rest)) return false
      return /(流程|审批|部门|内部|后台|系统|计费|机房|基站|指标|提成|考核|员工|资费[^,.!?;]{0,3}(要|会)(调|涨|降|改)|要(调|涨价|降价|取消|下线))/.test(rest)
    },
  },
  // Faults in other words.
  {
    kind: 'inside_fault',
    anchor: /基站|光缆|分光箱|机房|设备|线路|信号|覆盖|光交|机柜/,
    re: /(基站|光缆|分光箱|机房|设备|线路|信号|光交箱|机柜|网络)[^.!?;]{0,10}?(坏了|坏的|是坏|老化|停电|断电|没覆盖|覆盖不好|没覆盖好|故障|出问题|有问题|就坏|早坏)/g,
    ok: (t, s, e) => {
      if (!notNegated(t, e - 2) && !/老化|停电/.test(t.slice(s, e))) return false
      const sentence = sentenceOf(t, s, e)
      if (PUBLIC.test(sentence) || DECLINED.test(sentence) || /(可能|也许|或许|是不是|会不会|如果|要是)/.test(t.slice(sentenceStart(t, s), e))) return false
      // Told as inside knowledge: 其实, 说实话, a fault long left (一直没修好), money not approved.
      return /(其实|根本|私底下|不瞒(您|你)|说实话|实话|透个底|偷偷|悄悄|一直没|好几天了|一个礼拜|一直都|没批|没发|没通知|没报)/.test(t.slice(sentenceStart(t, s), sentenceEnd(t, e)))
    },
  },
  {
    kind: 'fault_at_scale',
    anchor: /扣|按错|算错|多收|批|好些|好多|很多|不少/,
    re: /(误扣|多扣|扣错|按错|算错|多收|乱扣|重复扣)[^.!?;]{0,12}(一大批|一批|好些|好多|很多|不少|一堆)(人|用户|客户)|(一大批|好些|好多|很多|不少)(人|用户|客户)(都)?(这样|被[^,.!?;]{0,3}扣|多扣|误扣|扣错)/g,
    ok: (t, s, e) => !quiet(t, s, e) && (/(系统|计费|后台|我们|上头|上面|悄悄)/.test(sentenceOf(t, s, e)) || /误扣|按错|乱扣/.test(t.slice(s, e))),
  },
  {
    kind: 'system_fault',
    anchor: /当机|按错|误扣|乱扣/,
    re: /(系统|后台|计费|程序|服务器)[^.!?;]{0,6}(当机|按错|误扣|乱扣)/g,
    ok: (t, s) => !/(不是|并非|没有|如果|万一|可能|避免)[^,.!?;]{0,4}$/.test(t.slice(Math.max(0, s - 8), s)),
  },
  {
    kind: 'leased',
    anchor: /租|别家|别人家|第三方/,
    re: /租(的|用)[^,.!?;]{0,6}(线路|网络|光缆|基站|别家)|(别家|别人家|第三方)的(线路|网络|光缆|基站)|我们是租的/g,
    ok: (t, s, e) => !quiet(t, s, e),
  },
]

/** The disclosure frames' occurrences in the utterance, in normalised offsets, each the agent's own assertion. */
// What a condition takes back: a fault supposed (如果系统出故障) is none; an offer or a rule told under a condition (要是您咬死了
// 要转网,后台有个挽留优惠) is told all the same. Labels are named in quotes, not quoted from anyone.
const SUPPOSED_AWAY = new Set(['inside_fault', 'fault_at_scale', 'system_fault', 'concealment', 'leased'])

export function secrecyCues(features: UtteranceFeatures): ActCue[] {
  const fr = framed(features)
  const t = fr.soft
  const kinds = new Map<number, string>()
  const found = runFrames(t, FRAMES).map(({ s, e, kind }) => {
    kinds.set(s, kind)
    return [s, e] as [number, number]
  })
  // Another customer's case is judged where its detail is told (您说的是对门的张阿姨吧,她办的是…: the echo asks who, the
  // detail after it is the agent's).
  const detailAt = new Map<number, number>()
  for (const [s, e, d] of otherCustomer(t)) {
    found.push([s, e])
    detailAt.set(s, d)
  }
  FAMILY_OWN.lastIndex = 0
  for (let m = FAMILY_OWN.exec(t); m; m = FAMILY_OWN.exec(t)) if (!quiet(t, m.index, m.index + m[0].length)) found.push([m.index, m.index + m[0].length])
  THIRD_USAGE.lastIndex = 0
  for (let m = THIRD_USAGE.exec(t); m; m = THIRD_USAGE.exec(t)) if (!quiet(t, m.index, m.index + m[0].length)) found.push([m.index, m.index + m[0].length])
  if (found.length === 0) return []
  found.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  const out: ActCue[] = []
  for (const [s, e] of found) {
    if (out.length > 0 && s < out[out.length - 1]!.end) continue
    const q = { start: s, end: e, phrase: features.text.slice(s, e) }
    const kind = kinds.get(s)
    const d = detailAt.get(s)
    if (d !== undefined) {
      if (!heldBack(fr, { start: d, end: e, phrase: q.phrase }, true)) out.push(q)
      continue
    }
    if (kind === 'label' ? !echoed(fr, s) && !features.question(q) : !heldBack(fr, q, kind === undefined || SUPPOSED_AWAY.has(kind))) out.push(q)
  }
  return out
}
