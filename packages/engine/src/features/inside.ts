/**
 * Who the information belongs to (第八章 一.4, 第十章 保密), for the `disclosure` act (features/acts.ts): the cues
 * that an agent sentence tells the customer something of the inside or of another customer, found from how it is
 * framed rather than from a list of secrets.
 *
 * - Candour about the inside: an insider's opener (说实话, 说白了, 不瞒您说, 私底下跟您说, 跟您说句心里话) in a
 *   sentence whose subject matter is the operator's inside (内部, 组长, 领导, 同事, 机房, 考核, 指标, 提成, 规矩…).
 *   The same opener about a plan or the customer's own bill (说实话这个套餐更划算) tells nothing inside.
 * - The inside's wish to hide it, told: 不让我们跟客户讲, 上面压着不让说, 能压就压, 官网那个是对外的说法.
 * - The agent marking it as a leak: 提前透露给您, 别说是我告诉您的, 别往外传…说出去我要挨处分, 一般不给客户的.
 * - Another customer's account: a third party (她, 那户, 隔壁那家, 有个老太太, 另外一个客户, 这个号码的机主) with a
 *   value of their account or person (姓廖, 住在, 尾号, 一百二十八的那档, 四十多个G, 欠了半年).
 * Quiet: an apology (the agent owning an error, 第八章 二.5), a denial or refusal (不能透露, 需要保密), a fraud warning,
 * the customer's own family on the customer's account (您爱人她的副卡).
 * Runs on the compact text (spaces removed); offsets are into it. Sentence-local, like every act cue.
 */

const CANDOUR = /(说实话|实话(跟|和|对)?(您|你)?(说|讲)|(讲|说)(句)?实(在)?话|说白了|说实在的|实不相瞒|不瞒(您|你)说|心里话|私底下|私下(跟|和|告诉)|老实(跟(您|你))?(说|讲)|小道消息)/g
// Only an insider gives the inside story (交个实底, 透个底, 内幕): told, whatever it is about.
const INSIDER_TIP = /(交个?实?底|透个?实?底|透露个|内幕|小道消息)/g
// The operator's inside as the sentence's matter (not a plan, a price list or the customer's account).
const INSIDE = /(内部|组长|班长|主管|领导|上面|上头|经理|同事|部门|投诉组|施工队|机房|后台|系统|服务器|数据库|技术部|技术那边|it部|财务|网优|坐席|kpi|考核|指标|绩效|提成|工资|奖金|名额|额度|文件|开会|会上|规矩|不成文|培训|外包|设备|故障|没人管|没人处理|早就知道|预算|经费)/
// 其实 with the inside as the doer of a fault (其实是财务那边对账的同事搞错的, 那次其实是我们IT部门改程序没测试): the
// story behind a fault; not a reading of the customer's account (其实系统显示您已经缴费了).
const ACTUALLY = /其实(是|就是)?(我们|咱们)?[^,.!?;]{0,4}(同事|部门|it部|技术部|财务|施工队|经理|组长|主管|领导|外包)[^,.!?;]{0,8}(错|没按|没测|改|挖断|弄坏|漏|忘)/g
// The inside's wish to keep it from customers, told to one; or its orders (领导都明说了, 组长每天开会都点名, 经理定的).
const CONCEAL = /((组长|领导|主管|经理)[^,.!?;]{0,8}(开会|点名|明说|明确说|交代(过|了))|(组长|领导|主管|经理)的?定的|(不|没)(让|准|许)(我们|我)?[^,.!?;]{0,6}(说|讲|承认|透露|公开|告诉)|压着[^,.!?;]{0,2}不(让)?(说|讲|报|公开)|能(压|拖|推|瞒)就(压|拖|推|瞒)|(上头|上面)[^,.!?;]{0,2}交代|怕[^,.!?;]{0,2}公开|对外的?(说法|口径)|对外(就)?说(是|成))/g
// The agent's own leak, said as one.
const LEAK = /((提前|偷偷|悄悄|私下)[^,.!?;]{0,2}(透露|泄露)|(别|不要|千万别|可别)(说|讲|提)(是)?我(说|讲|告诉|给|透露)|一般(人|不)[^,.!?;]{0,4}不?(告诉|给|对|跟)(他|她|客户|别人|外人|人)|一般不(给|告诉|对)(客户|别人|外人))/g
// Another person named by surname, as a customer (那个号码是一个姓吴的女士在用), not a colleague (姓王的工程师).
const NAMED_OTHER = /姓(?!名)[\u4e00-\u9fff]的(女士|先生|客户|用户|机主|户主|阿姨|大爷|老人|小伙子|姑娘)/g
// A colleague's standing told (营业厅那个小姑娘是新来的,还在试用期), not the agent's own (我是新来的).
const STAFF_STATUS = /(试用期|实习期|没转正|刚入职|新来的(?!用户|客户)|人心惶惶|被(省公司|公司|上级|总部|领导)?(通报|处分|处罚))/g
const COLLEAGUE = /(营业厅|营业员|同事|员工|小姑娘|小伙子|师傅|工程师|客服|领导|组长|主管|我们这边|公司)/
// Secrecy asked with the agent's own risk named (别往外传, 说出去我要挨处分的).
const HUSH = /((别|不要|千万别|可别)[^,.!?;]{0,2}(往外|对外|跟别人|跟外人|到处)(说|讲|传|提)|(说|传)出去)/g
const AGENT_RISK = /(挨处分|被处分|受处分|吃处分|被开除|丢饭碗|挨批|被骂|扣我|我要倒霉|我就完了)/
// Another customer: a third person, and a value of their account or person.
const THIRD = /(她|(?<![其吉])他(?!们)|(他|她)们?家|那户|那家|这户|对门|邻居|隔壁|楼上|楼下|老太太|老大爷|另外一个客户|另一个客户|别的客户|其他客户|有个客户|有位客户|号码(的|原来的|以前的|之前的)?(机主|户主|主人|使用人|持有人)|(原|前|前任|上一任|之前的)(来的)?(机主|户主)|刚才(打进来|来电)的?(一位|一个|那位)|登记的?(机主|户主))/g
const THIRD_AHEAD = new RegExp(THIRD.source, 'g')
const THEIR_VALUE = /(姓(?!名)[\u4e00-\u9fff]|住在|尾号|欠费|欠了|(机主|户主)[^,.!?;]{0,2}(是|叫)|[\d一二两三四五六七八九十百千几多]+(块|元|个g|g|档|分钟|个电话|张副卡|个副卡|成)|(交|欠|充|扣)了?[\d一二两三四五六七八九十百千几]{2,}|[\d一二两三四五六七八九]+[百千万]多?(?![分米兆])|叫[\u4e00-\u9fff](?!您|你)|报的是|办的是)/
// The customer's own family (您父亲那个号码…他每个月要多交十块): on the customer's side, not another customer.
const OWN_FAMILY = /(您|你)(的|家)?(爱人|老公|老婆|先生|太太|儿子|女儿|孩子|父亲|母亲|爸|妈|家人|家里|副卡|老人)/
const PRONOUN = /^(她|他)$/
// Their account (or person) named: a bare 他/她 is anybody (the engineer on his way).
const ACCOUNT = /(办的|办了|套餐|话费|交|欠|扣|通话|号码|流量|用|账单|姓|住在|尾号|价|主人|机主|户主|叫)/
const APOLOGY = /(抱歉|对不起|不好意思|道歉|歉意)/
const DENIED = /((不能|不便|不方便|无法|不会|不可以|不得|禁止|严禁)[^,.!?;]{0,4}(透露|泄露|告诉|提供|说)|需要保密|要保密|保密的|冒充|诈骗|骗子)/
const NEGATED_BEFORE = /(不|没|别|没有|不是|不会|如果|要是)$/

const STOPS = /[.!?;]/

function sentenceAround(t: string, s: number, e: number): [number, number] {
  let a = s
  while (a > 0 && !STOPS.test(t[a - 1]!)) a--
  let b = e
  while (b < t.length && !STOPS.test(t[b]!)) b++
  return [a, b]
}

function each(re: RegExp, t: string, f: (s: number, e: number) => void): void {
  re.lastIndex = 0
  for (let m = re.exec(t); m; m = re.exec(t)) {
    f(m.index, m.index + m[0].length)
    if (m[0].length === 0) re.lastIndex++
  }
}

// Characters one of which every cue holds: most sentences have none, and then no pattern runs.
const ANY = /[姓试习职惶通拖瞒交实白瞒心私底透幕让准许压公外说讲提露般传她他户门邻壁楼太爷客机组领主经]/

/** Disclosure cues of the inside or of another customer in the compact text `t`: [start, end) pairs, sorted. */
export function insideCues(t: string): [number, number][] {
  if (!ANY.test(t)) return []
  const out: [number, number][] = []
  const keep = (s: number, e: number, sentence: string): void => {
    if (APOLOGY.test(sentence) || DENIED.test(sentence)) return
    if (NEGATED_BEFORE.test(t.slice(Math.max(0, s - 2), s))) return
    out.push([s, e])
  }
  each(CANDOUR, t, (s, e) => {
    const [a, b] = sentenceAround(t, s, e)
    const sentence = t.slice(a, b)
    if (INSIDE.test(t.slice(e, b)) || INSIDE.test(t.slice(a, s))) keep(s, e, sentence)
  })
  each(ACTUALLY, t, (s, e) => {
    const [a, b] = sentenceAround(t, s, e)
    keep(s, e, t.slice(a, b))
  })
  each(INSIDER_TIP, t, (s, e) => {
    const [a, b] = sentenceAround(t, s, e)
    keep(s, e, t.slice(a, b))
  })
  each(CONCEAL, t, (s, e) => {
    const [a, b] = sentenceAround(t, s, e)
    keep(s, e, t.slice(a, b))
  })
  each(LEAK, t, (s, e) => {
    const [a, b] = sentenceAround(t, s, e)
    keep(s, e, t.slice(a, b))
  })
  each(NAMED_OTHER, t, (s, e) => {
    const [a, b] = sentenceAround(t, s, e)
    if (t[b] !== '?' && !/[吗么]$/.test(t.slice(a, b))) keep(s, e, t.slice(a, b))
  })
  each(STAFF_STATUS, t, (s, e) => {
    const [a, b] = sentenceAround(t, s, e)
    if (COLLEAGUE.test(t.slice(a, b))) keep(s, e, t.slice(a, b))
  })
  each(HUSH, t, (s, e) => {
    const [a, b] = sentenceAround(t, s, e)
    if (AGENT_RISK.test(t.slice(a, b))) keep(s, e, t.slice(a, b))
  })
  each(THIRD, t, (s, e) => {
    const [a, b] = sentenceAround(t, s, e)
    if (OWN_FAMILY.test(t.slice(a, s))) return
    // Told to another customer (跟别的客户说过了), not told of one.
    if (/(跟|对|给|向|和|帮|替)$/.test(t.slice(Math.max(a, s - 1), s))) return
    // The value in the third person's own stretch (to the next third person or the end of the sentence).
    THIRD_AHEAD.lastIndex = e
    let next = THIRD_AHEAD.exec(t)
    // 隔壁那家, 对门的张阿姨: words for one third party side by side are one.
    // A pronoun (他交的是一年六百) refers back to the same third party: only another third party ends the stretch.
    while (next !== null && PRONOUN.test(next[0])) next = THIRD_AHEAD.exec(t)
    const after = t.slice(e, next !== null && next.index > e + 2 && next.index < b ? next.index : b)
    const v = THEIR_VALUE.exec(after)
    if (v === null) return
    // Their account named on the way to the value (那户欠了两百多, 他交的是一年六百), not a number of anything (一百多个台).
    if (!ACCOUNT.test(after.slice(0, v.index + v[0].length))) return
    // The customer's own (机主就是您, 尾号…): no other customer.
    if (/(是|就是)(您|你)/.test(after.slice(0, v.index + v[0].length))) return
    // A question (她的号码尾号是多少?) asks, it does not tell.
    if (t[b] === '?' || /[吗么]$/.test(t.slice(a, b))) return
    keep(s, e + v.index + v[0].length, t.slice(a, b))
  })
  if (out.length < 2) return out
  out.sort((x, y) => x[0] - y[0] || y[1] - x[1])
  const merged: [number, number][] = []
  for (const m of out) if (merged.length === 0 || m[0] >= merged[merged.length - 1]![1]) merged.push(m)
  return merged
}
