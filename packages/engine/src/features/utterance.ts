/**
 * Utterance features: everything the lexicon rules ask about an utterance's words, computed once per
 * utterance in this one place (the monitor builds one `UtteranceFeatures` per utterance fed and hands it
 * to every rule). Cheap parts are computed at once (normalised text, clause and sentence boundaries);
 * the part-of-speech tags (jieba `tag`, ~1 µs a character) only for a sentence some rule has a hit in,
 * and then once for all rules.
 *
 * Positions are offsets into the NORMALISED text (`norm.text`, see text/normalize.ts), where Chinese
 * punctuation is ASCII: clauses end at `, . ! ? ; :`, sentences at `. ! ? ;`.
 *
 * The context features (the innocent uses of issue 10 by kind), for an occurrence [start, end):
 * - `question`: the occurrence sits in a question: an A-not-A (行不行, 知不知道), a question particle
 *   right after it (不行吗), or, later in its sentence, a yes/no question (不知道您现在方便吗,
 *   不知道您是否…, 不行的话是不是…?) — an embedded or alternative question whose marker comes later.
 * - `condition`: a conditional marker before it in its clause (如果, 要是, 万一, 实在, 再…), or a
 *   consequence right after it (不行的话, 不行就…, 不行, 您就/再…: a bare 不行 opening a condition).
 * - `reported`: the agent echoes or summarises the customer (您是说…, 您刚才说…, 您反映…) earlier
 *   in the same sentence.
 * - `subject`: who or what the predicate is about, from the nearest word before it in its clause that
 *   can be a subject (pronoun or noun by POS tag, adverbs and particles skipped): `agent` (我, 我们, 小妹,
 *   妹子, 这边, 本人, 咱们 …), `customer` (您, 你), `third` (他, 别人, 同事 …), `demonstrative` (这个,
 *   那种: what the customer asked for), `thing` (any noun: 信号, 网速, 手机, 套餐), or `none`.
 * - `onBehalf`: later in the sentence the agent names the customer's loss (吃亏, 多花, 不划算 …): an
 *   objection made for the customer's benefit.
 * - `emphatic`: an adverb of insistence right before the predicate (也, 都, 真, 确实, 根本 …).
 * - `thing_subject`: the subject is a thing; where the stretch before a 不行 names nothing (是不行的, 那就是
 *   不行了, a bare 不行 after a comma), the topic of the stretch before in its sentence when what is said of
 *   it is a fault (光猫灯 一直闪 那就是不行了); never for a negated service action (号码改不了).
 * - `third_subject`: someone else is the doer (让师傅麻利点儿过去); `see_whether`: the occurrence is the
 *   question embedded after a verb of finding out (…看能不能快点); `choice`: the customer is left a free
 *   choice (随您挑, A还是B 都随您); `denied`: 怎么会不知道 asserts the knowing; `recommended`: a place named for
 *   what it offers the customer (上面有详细的资费).
 * - `customer_declined`: the customer's last turn put the offer off or declined it (call context, set by the monitor
 *   like `afterThreat`), and the occurrence is the agent's not-doing (先不给您办): compliance, no refusal.
 * - `ability_only`: a taunt that names what the customer can do (会, 教, 学) and no understanding in its sentence.
 * - `futility_grounded`: the utterance says why shouting at the agent is futile (rank, another's doing, the rule).
 * - `split_word`: the occurrence starts inside an adverb (快 of 尽快): that word was said.
 * - `count_of_mistakes`: a count of times in an utterance naming no saying or asking, only a mistake.
 * - `elsewhere_subject`: a place other than the agent's side does not offer it (外面是办不了的).
 * - `fault_named`: 跟我们没关系 with the cause named in the utterance (怪您自己): a fault denied, not a duty.
 * - `customer_decides`: the customer's wish decides, said after it (按您的意思来).
 * - `explained`: a decision explained politely: an apology opens the utterance before the occurrence and its sentence
 *   gives the reason or what it takes (很抱歉,过户涉及实名信息,网上暂时办不了,所以才需要两位本人到场).
 */
import { normalizeWithMap, type NormalizedText } from '../text/normalize.js'
import { actScorer, type ActScores } from './act-scorer.js'
import { tagWords, type TaggedWord } from '../text/segment.js'
import { disownedGuarantee, ownActGuarantee } from './promise.js'

export type Subject = 'agent' | 'customer' | 'third' | 'demonstrative' | 'thing' | 'none'

/** The context features a rulebook entry may list under `clearedBy` (see the module comment). */
export const CONTEXT_FEATURES = ['question', 'wonder_whether', 'condition', 'reported', 'not_agent_subject', 'thing_subject', 'on_behalf', 'not_a_threat', 'after_threat', 'customer_subject', 'agent_subject', 'follow_up', 'self_correction', 'offer', 'apology', 'agent_or_third_subject', 'help_in_sentence', 'third_subject', 'see_whether', 'choice', 'denied', 'recommended', 'offer_repeat', 'attributive', 'past_ignorance', 'wish_condition', 'wondered', 'rival_topic', 'way_judged', 'reassured', 'third_party_said', 'own_fault', 'machine_subject', 'unhurried', 'counted_trigger', 'explained', 'own_act', 'disowned', 'customer_declined', 'ability_only', 'futility_grounded', 'split_word', 'count_of_mistakes', 'elsewhere_subject', 'fault_named', 'customer_decides'] as const
export type ContextFeature = (typeof CONTEXT_FEATURES)[number]

/** Features that read the sentence after the occurrence's (see `settled`). */
export const NEXT_SENTENCE_FEATURES: ReadonlySet<ContextFeature> = new Set(['on_behalf', 'follow_up', 'not_a_threat', 'offer', 'apology', 'recommended', 'offer_repeat'])

const CLAUSE_END = new Set([',', '.', '!', '?', ';', ':'])
const SENTENCE_END = new Set(['.', '!', '?', ';'])

/** Words by which the agent refers to themself (issue 10: all of them profess the agent's own ignorance). */
export const AGENT_SELF = ['我们这边', '我这边', '我们', '小妹', '妹子', '妹妹', '这边', '本人', '咱们', '咱', '我']
const CUSTOMER = ['您们', '你们', '您', '你']
const THIRD = ['他们', '她们', '他', '她', '别人', '对方', '人家', '客户', '用户', '人', '同事', '师傅', '领导', '经理', '技术', '工程师', '营业厅', '谁']
// 它, 它们 stand for a thing or an animal, never a party to the call: what they do is a thing's working.
const NON_HUMAN_PRONOUN = new Set(['它', '它们'])
const OBJECT_CLASSIFIER = /^(张|台|部|根|条|只|盏|块|把|款|副|套)$/
const OBJECT_DEMONSTRATIVE = /^[这那](张|台|部|根|条|只|盏|块|把|款|副|套)$/
const DEMONSTRATIVE = new Set(['这个', '那个', '这种', '那种', '这样', '那样', '这些', '那些', '这', '那', '此', '这项', '这款'])
// Tags of words that do not name the subject: adverbs, particles, auxiliaries, conjunctions, punctuation,
// modal verbs and copulas (是, 能, 会), numerals and measure words (这个 is tagged r; 个 alone q).
const SKIP_TAGS = new Set(['d', 'u', 'y', 'e', 'o', 'c', 'p', 'x', 'uj', 'ul', 'uz', 'uv', 'ud', 'ug', 'zg', 'q', 'm', 'mq', 'f'])
const SKIP_WORDS = new Set(['是', '能', '会', '可', '也', '都', '就', '还', '又', '再', '要', '得', '的', '了', '说', '现在', '目前', '暂时', '真的', '确实', '实在', '其实', '已经', '老是', '总是', '一直', '还是', '越来越', '特别', '非常', '太', '很', '有点', '有些', '怎么', '老', '总', '可能', '应该', '大概', '也许', '或许', '估计', '好像', '似乎', '貌似', '好象', '肯定', '一定', '根本', '本身', '自己', '那块', '这块', '方面', '一般', '当时', '之前', '以前', '后来', '根本就'])
// Verbs of what a customer asks for: a noun after one is its object (办这个业务不行 refuses the request).
const REQUEST_VERBS = new Set(['办', '办理', '开', '开通', '改', '修改', '换', '更换', '退', '退订', '取消', '申请', '转', '加', '订', '订购', '升级', '降', '给', '用', '要', '补', '免', '减免', '打', '处理', '受理', '操作', '提速', '退款', '退费', '延期', '暂停', '停机', '复机', '过户', '注销', '销户', '续约', '续费', '移机', '赔偿', '返还', '兑换', '恢复', '解除', '解约', '转网', '携转', '赠送', '送', '试用', '体验', '要求', '请求', '需求', '诉求'])
// jieba glues a request verb to the word before it (积分换/v, 来办/v): the word still names the action.
const REQUEST_VERB_END = /[办开改换退转订补免减降送]$/
const REQUEST_NOUNS = new Set(['事', '事儿', '事情', '这事', '这事儿', '要求', '申请', '请求', '诉求'])
const CONCESSIVE = new Set(['就算', '即使', '哪怕', '即便', '纵然', '虽然', '虽说', '尽管'])
const NOUN_TAG = /^(n|nz|ng|nr|ns|nt|vn|an|eng|s|j|l)$/

// 等…以后/的时候 is a temporal condition (等新卡激活后就不行了: a future state, no refusal).
// A concession (就算您是VIP也不行, 哪怕…也) is no condition: the refusal stands whatever holds.
const CONDITION_BEFORE = /(如果|如|若|要是|假如|万一|倘若|一旦|假设|实在|再|否则|不然|要不|到时候|要(?=还|是|再|也)|等[^,.!?;]{1,10}(以后|之后|后|的时候|完))/
// The consequence of a bare 不行 opening a condition (不行您就回拨, 不行我就给您改, 不行也没关系).
const CONSEQUENCE_AFTER = /^[了的呢吧啊呀哦\s]{0,2}(的话|时|的时候|就|那就|的情况|([您你咱我他她]们?)?(再|可以|还可以|随时|就|直接|也可以|先(?!生))|也(没关系|没事|不要紧|不碍事|无所谓|可以|行|不怕))/
// 不行, 您就别为难我了: a plea (别, 不要) after 就 is no consequence of a condition.
const CONSEQUENCE_NEXT_CLAUSE = /^\s*(您就|你就|您再|你再|就|那就|那您|那你|再|咱们就|我们就|咱们再|我们再|您可以|可以|建议)(?!\s*([别甭]|不要|不用|不必))/
// A negated predicate ending the occurrence (不行, 办不了, 没办法, 不清楚): what a bare condition can be.
const NEGATED_PREDICATE = /([不没][^\s,.!?;]{0,3}|不了|不成|不到)[的了呢吧啊呀哦]*$/
const CONCESSIVE_BEFORE = /(再怎么|无论|不管|再多|说破天|说破嘴)[^,.!?;]*$/
// 再…也, 怎么…也: a concession (whatever you do, it stays so), not a consequence.
const CONCESSION_NEXT = /^[^,.!?;]*?(再|怎么|多少|几)[^,.!?;]*(也|都)(一样|不|没|白搭|这样|是)|^\s*(就|那就|你就|您就)(这样|这么着|这么定|这么办|算了|死心|认了|别)/
// Relayed speech: a third party (a colleague, the last agent) said it to the customer, or made the
// customer do it, or said it of the customer (那位营业员说您不懂), and the agent tells it back (当时那位客服跟您说…,
// 客服让您去找领导, 她当时连说了两遍不行).
// The third party must be the one speaking: 我让同事给您回电 directs a colleague, 领导说了不行 (no listener,
// no past) is the agent relaying a refusal as final.
const RELAYED = /(?<![让叫请帮找我])(他|她|他们|她们|客服|同事|营业员|工作人员|话务员|师傅|那位|那个人|对方|人家|上一个|前一个|别人)[^.!?;]{0,16}?((跟|和|对|给)(您|你|他|她|客户)[^,.!?;]{0,3}(说|讲|提|回|解释|承诺|答复)|(回|冲|让|叫|嫌|骂|怪|说|讲)(您|你|他|她|客户)|(当时|上次|上回|那次|那天|之前|以前)[^,.!?;]{0,4}(说|讲|回|让|叫))/
const RHETORICAL_TOLD = /(没|没有|不是|不也|不都)[^,.!?;]{0,6}(说|讲|告诉|解释|提醒)(过)?(了)?(过)?(您|你)?[^,.!?;]{0,2}(吗|嘛|么|\?)|(说|讲|告诉)(过)?(了)?[^,.!?;]{0,3}(怎么|咋)(还|又)/
const NEW_SUBJECT_CLAUSE = /[,:\s]\s*(现在|这次|今天)?(您|你|我|咱)/
// A time word may sit between the customer and the verb of saying (您上周说…, 您昨天电话里反映…).
const REPORTED = /(?<![帮给为替跟向和到让叫请])(您|你)(刚才|刚刚|刚|之前|前面|上次|上周|上个月|昨天|前天|前几天|那天|早上|上午|下午|电话里|一直|也|的意思)?(电话里)?(是)?(说|讲|提到|反映|反馈|讲的|说的|意思是|觉得|认为|的意思)|(您|你)(天天|老是|总是|整天|成天|一直|也)?(喊着|嚷着|嚷嚷着|吵着|闹着)|客户(说|反映)|据您|听您说|您这边反映/
// A thing's fault or lack of capacity: what makes a later bare 不行 a judgment of the thing.
const MALFUNCTION = /(松了|松动|重启|进水|受潮|烧坏|烧了|接触不良|(年头|年限)[^,.!?;]{0,2}(长|久)|用了[^,.!?;]{0,3}(年|好久)|用(得|太|很|那么|这么)?久|旧|老化|太老|老了|差|太慢|很慢|特别慢|慢得|弱|卡顿|卡死|闪|红灯|不亮|灭了|掉线|断网|断了|坏|烫|发热|不稳|带不动|跑不动|转不动|连不上|上不去|打不通|没信号|没反应|死机|不支持|只支持|仅支持|不兼容|过时|淘汰)/
// A service action negated (改不了, 不能退): what the agent's side does, whatever its topic.
const AGENTIVE_NEGATED = /(办|退|改|换|免|减|补|批|送|转|延|取消|解除|过户|降|调|开通|恢复)(不了|不成|不到)|(不能|没法|无法|不给|不予)(办|退|改|换|免|减|补|批|延|取消|解除|过户|降|开通)|不(受理|办理|批|给办)/
const DENIED_BEFORE = /(怎么会|怎么可能|哪能|哪会|咋会|咋可能|不可能)$/
// What a place offers the customer, said after the agent names it (上面有详细的资费, 那边今天有活动, 当场就能办, 更快).
const RECOMMENDED = /(上面|那边|那里|那儿|那|他们那边?|官网上?|APP上?|营业厅)[^,.!?;]{0,4}(有|可以|能|会)[^,.!?;]{0,4}(详细|活动|优惠|礼品|当场|直接|现场|马上|专人)|更(快|方便|省事|划算|优惠)|方便(一些|些|点)|(送|有)礼品/
const OFFER_REPEAT = /((不|没)(太|大)?(听|搞|弄)?(清楚|明白|懂|清))(的话|的地方)?[^,.!?;]{0,3}(我)?(再|重新|慢慢|换个说法)[^,.!?;]{0,3}(说|讲|解释)(?![^,.!?;]{0,3}最后)/
const NON_AGENTIVE = /^(不行|不成|不好使|不得行|不太行|不大行|不灵)/
// Adverbs of certainty a form may open with (肯定不行, 绝对不行, 确实不行): the predicate is what follows them, so
// 上网肯定不行 judges the line as 上网不行 does.
const LEADING_ADVERBS = /^(肯定|绝对|确实|真的|根本|完全|实在|当然)+(是)?/
// The agent sums up the customer's complaint (我总结一下, 也就是说, 您的问题是, 我理解的是, 复述一下).
const SUMMARY_MARKER = /(总结一下|复述一下|概括一下|梳理一下|也就是说|您的问题是|您的意思是|您的诉求|您这边的情况是|我理解的是|我理解一下|我确认一下|我核实一下您说的)/
// Someone other than the agent said it (营业厅说, 对方说, 客服跟您讲, 师傅说): the words after are theirs.
const SAID_BY_OTHER = /(?<![我])(说|讲|告诉您|跟您说|跟您讲|回复您|答复您)(了)?(?![过了]?[^,.!?;]{0,2}[遍次回])/
const REPORTED_AT = new RegExp(REPORTED.source, 'y')
// Past a pause or a clause break, the agent as the subject is its own answer (您说的这个 扣费不对的事 … 我这边 也管不了).
const AGENT_CLAUSE_LATER = /[,:\s]\s*(那|那么|那就|就是说)?\s*(现在|这次|今天)?(我|咱|小妹|本人)/
// 您说我能有什么辙: "you tell me" before the agent's own rhetorical question, no echo.
const YOU_TELL_ME = /^\s*我(们)?[^,.!?;]{0,3}(又|还)?(能|会|上哪|去哪|哪儿|哪里|哪知道|怎么知道|怎么办)/
// The customer's question echoed (您问我怎么知道您号码的); not 你问我我怎么知道, the agent's retort.
const ASKED = /(您|你)(刚才|刚刚)?问(我|的是)?(?!我)[^,.!?;]{0,8}?(怎么|什么|为什么|为啥|哪|多少(?![次遍回])|几(?![次遍回])|是不是|能不能|有没有|会不会)/
// …or a consequence drawn from it (您觉得联通好就用联通, 您觉得哪家好用哪家: the agent's dare, not the customer's words), or what the
// customer said taken as the topic of the agent's own answer (您说的这些我管不着, 您讲的那个赔偿我们不同意).
const ANSWER_CLAUSE = /^[^,:\s]+([,:\s]\s*(那|那么|那就)?(现在|这次|今天)?(您|你|我|咱)|(您|你)?(就|那就)(?!是)(去|用|换|转|办|找|问|别))|^[^,.!?;]*哪(家|个|种|边)[^,.!?;]{0,4}(用|去|办|选|找|买)哪\8|^的(这个|那个|这些|那些|这种|那种|事|要求)?[^,.!?;]{0,4}(我们|我|咱们|咱|这边)/
// 您说的这个不行: "what you said" as the topic a refusal is about, not an echo of the customer.
const REPORTED_AS_TOPIC = /(说|讲|提)的(这个|那个|这|那|这种|那种|事|办法|要求)?[也都真就还可确实是]{0,3}$/
// The agent will not let the customer bear it (不能让您再跑一趟, 哪能让您自己掏钱, 这费用不该您出).
const ON_BEHALF = /((不能|不会|哪能|怎么能|咋能|不该|不想|不忍心)(让|叫|要)?(您|你)(再|白|自己|多|吃|受|跑|掏|出|承担|等|花|垫|扛|背)|不该(您|你)(出|掏|承担|付|背)|对(您|你)不公平|(太|多|挺|怪|那多|就)可惜|作废|清零|白扔|退不回来|拿不回来|要不回来|白交|白白|得不偿失|吃大亏|吃亏|亏了|亏的|亏本|损失|划不来|不划算|划算|不值|多花|白花|多交|多扣|多付|冤枉|浪费|对您不利|不公平|您的权益|您的利益|会亏|替您|为您着想|先别|千万别|千万不要|别急着|不建议|违约金|不能白|上当|诈骗|骗子|(您|你)(可)?别(办|买|订|换|转|退|签|充)(?!了))|用不完|用不了那么多|(月租|费用|价格)(太|偏|有点)(高|贵)/
// A complaint word that is no threat: a past or existing complaint (上次投诉的…, 投诉的事处理得怎么样), or one declined (…算了, 倒不至于).
// The loss named is conceded, not averted (您吃亏也没办法, 亏了也得按规定来): the objection refuses all the same.
const LOSS_CONCEDED = /^[的了呢啊]{0,2}[^,.!?;]{0,2}(也|都)(得|要|没办法|没用|没辙|一样|只能|不行|是|照样|[^,.!?;]{0,2}不(了|能|给))/
// Issue 10 (on_behalf, by structure): what the customer would lose told as the consequence of what was proposed.
// The customer as subject, possessor or experiencer (您, 您的积分, 您家老人, 对您), then a consequence
// (就, 会, 反而, 可就, 以后) and what goes: 赠送的话费就没了, 您以后再办就没有新用户优惠了, 您的副卡会被一起取消;
// or a need the proposal overshoots (您家老人用不上这么多流量), or what suits the customer better (对您更有利).
const CUSTOMER_CONSEQUENCE = /(您|你)(?!们?(说|讲|问|要求|非要|坚持|自己去|去找|找))[^.!?;]{0,16}?(就|会|反而|可就|以后|到时候?|等于|还得)[^,.!?;]{0,8}?(没了|没有了|(没|没有)[^,.!?;]{0,6}(优惠|赠送|折扣|补贴|积分|资格|话费|流量|号码|保障)了|作废|失效|清零|过期|取消(?!不)|停(?!不)|回收|收回|保不住|(拿|要|退|领|享受|享|用)不(到|回|上|着)|多(交|花|付|扣|出|掏|收)|亏|损失|更(贵|高)|浪费|受影响)|(您|你)(家|家里)?[^,.!?;]{0,6}用不(上|完|了(这么|那么)多)|(您|你)[^,.!?;]{0,8}(能|可以|还能|就能)[^,.!?;]{0,2}(多拿|多得|多领|多送|多赚|省|少花|少交|少扣|少付)|对(您|你)(来说|而言)?[^,.!?;]{0,2}(更|比较|最|反而)(有利|划算|合适|实惠|省钱|好)|(等|到)[^,.!?;]{0,8}(再|以后)[^,.!?;]{0,6}(换|改|办|转)[^,.!?;]{0,4}(对您|对你|更)[^,.!?;]{0,2}(有利|划算|合适|省)/
// Issue 10 (third_party): a party other than the agent's side and the customer, as the subject of a verb of
// saying (售后部门那边说不行, 银行回复说不行, 您女儿说不行, 装维那边的师傅说今天不行): the agent relays their answer.
// The customer's family, outside bodies (OUTSIDE_BODY), a department or a named party's side (X那边); not the
// agent's own side (我们技术那边说不行 is the agent's company refusing) nor its superiors.
const PARTY = String.raw`(快递员|快递小哥|快递|物业|银行|厂家|商家|商户|售后|财务|部门|派出所|公安|医院|学校|单位|邮局|邮政|房东|邻居|居委会|社区|支付宝|微信|平台|合作方|第三方|运营商|(老|爱|家|亲|夫|妻|儿|女|孙|父|母)人|爱人|老伴儿?|儿子|女儿|孩子|闺女|孙子|父亲|母亲|爸爸|妈妈|老公|老婆|丈夫|妻子|太太)`
const THIRD_SAYER = new RegExp(String.raw`(他|她|他们|她们|对方|人家|人|师傅|工程师|营业厅|先生|家里|同事|那边|那头|方面|${PARTY})(的[^,.!?;]{1,4})?(也|都|还|就|已经|刚才|那边)?(回复|答复|反馈|表示|明确|告诉我们|跟我们|跟我)?(说|讲)(了)?[^,.!?;]{0,6}$`)
// An outside party as the subject of the refusal itself (银行那边不给办, 那家第三方平台退不了, 售后不给换): the agent
// reports another's answer; adverbs of duration may stand between (快递一直送不到). Not 谁, 别人, 领导 (谁来都不行, 别人也办不了 are the agent's own refusal).
const PARTY_SUBJECT = new RegExp(String.raw`${PARTY}(的[^,.!?;]{1,3})?(那边|那头|方面)?(也|都|还|就|已经|目前|暂时|现在|根本|一直|总是|老是|始终|迟迟|还是|到现在)*$`)
const AGENT_SIDE_BEFORE = /(我们|我|咱们|咱|公司|领导|经理|主管|班长|组长|上级)[^,.!?;]{0,6}$/
// Owning the fault as the agent's side's (这是我们的问题, 是我们没做好, 我们的疏忽): 不行 then judges what the
// agent's side did (确实不行, 让您等了一个多小时), it refuses nothing.
const OWN_SIDE_FAULT = /((是|怪|都怪)(我们|我)(的)?(问题|错|不好|不对|没做好|没处理好|疏忽|失误|责任)|(我们|我)(的)?(工作)?(疏忽|失误)|(我们|我)(做得|处理得|安排得)不(好|到位|对)|(我|我们|咱们)(这边)?[^,.!?;]{0,6}(没|没有)(安排|处理|做|通知|考虑|解释|核实|跟进|说明|讲|沟通)(好|到位|清楚|周到|及时|明白)|(我|我们|咱们)[^,.!?;]{0,8}(考虑|想|做|处理|通知|安排|解释|反应)得?(不周|不周到|不到位|不够周到|太晚|太慢|不及时)|(我|我们|咱们)[^,.!?;]{0,8}得(不周到|不到位|不够周到|太晚|太慢|不及时)|考虑不周|欠考虑)/
// A completed act of the customer's as what was not known (您换了地址, 您已经在营业厅退订过).
const CUSTOMER_DID = /^[\s]*(您|你)(已经|之前|早就|上次|前几天|自己)?[^,.!?;]{1,10}?(了|过)(?![吗么没])/
// What the customer would lose (a benefit gone, a thing lost for good, money paid twice or more), said as the
// consequence of what was proposed: after a consequence marker (退了以后这个优惠就再也办不回来了, 您的老号码以后就找不回来了,
// 流量就白瞎了), after 都/也 in a hypothetical (要是销户,押金都拿不到; 转出去的话,积分都没法带走), or as what it costs more
// (每个月要贵二十多, 一年得多掏两百多), too dear for the customer (对您来说成本太高了), or unsuited to them (不适合您).
// Not a service the agent's side will not do (退不了, 办不了: a refusal's reason), nor a loss already past (已经过期了).
const LOSS = String.raw`(白瞎|白费|打水漂|泡汤|没了|没有了|作废|失效|清零|(拿|要|领|找|带|享受|享|保|用)不(到|回|上|着|走|住)|(用|打|上)不了|退不回|没法(带走|找回|恢复|享受|保留)|再也[^,.!?;]{0,4}不|被(回收|收回|取消|停|注销|冻结|盗|骗)|回收|受影响|多(交|花|付|扣|出|掏|收)|更(贵|高)|赔钱|赔违约金|重新(装|布线|拉线)|(送|还)回去|不到账|有风险|不安全|麻烦(您|你))`
const CONSEQUENCE_LOSS = new RegExp(String.raw`(就|会|反而|可就|等于|就会|就得)[^,.!?;]{0,8}?${LOSS}|(要是|如果|的话|万一|一旦|以后|之后|到时候|(?<![一])一(改|换|停|销|退|转|办|弄|搞|签))[^.!?;]{0,16}?(都|也)[^,.!?;]{0,3}?${LOSS}|(这样|那样|这么一来|这样一来)[^,.!?;]{0,8}?${LOSS}|(要|得|会|就)(多|贵)(交|花|付|扣|出|掏|收)?[^,.!?;]{0,3}([\d一二两三四五六七八九十几百]|不少|很多|好多)|对(您|你)(来说|而言)?[^,.!?;]{0,4}(太|很|挺|偏|有点)(高|贵)|不(适合|合适)(您|你)|(为了|为|替|从)(您|你)(的角度)?(好|着想|考虑|打算)|对(您|你)负责|(更|最|比较)(适合|合适)(您|你)|风险(太|很|挺|比较)?大`)
const LOSS_PAST = /(已经|早就|早已)(?!快|要|马上|就要)/
const ULTIMATUM = /(要是|如果|假如|万一|不然|否则)[^,.!?;]{0,3}(不|没)/
// A machine as the doer of the clause (系统提示重复了三次, 语音会播报两遍, 机器人客服重复了好几遍): what it repeats
// reproaches nobody.
const MACHINE_BEFORE = /(系统|语音|播报|机器人?|短信|提示音?|录音|平台|后台|程序|电脑|智能客服|自动)[^,.!?;您你我]{0,4}$/
const PAST_BEFORE = /(上次|之前|以前|本来|原来|已经|早就|前几天|上个月|上周|那次|当时)/
const NOMINAL_AFTER = /^(的事|的那个|的问题|的结果|的进度|单|的单|处理|进度|结果|过)/
const DECLINED_LATER = /(算了|不至于|没必要|不用了|就不|不想|不会|处理得怎么样|处理了没有|怎么样了|进度|有结果|解决了没有|有没有结果)/
// A complaint already made and running: the perfective with a span or a count (投诉了两个星期了, 投诉了三次).
const ONGOING_AFTER = /^(了|过)[^,.!?;]{0,3}([一二两三四五六七八九十几好多半]|\d)[^,.!?;]{0,3}(天|周|星期|礼拜|个月|月|年|次|回|遍)/
// Somebody else told the customer to go there (客服让我找领导): the customer reports advice, threatens nothing.
const TOLD_TO_BEFORE = /(让|叫|要|劝|建议)我(去|再)?$/
// The agent offers a way forward in the same breath (我也不了解, 我先帮您记录下来, 让同事给您回电话).
// The agent's own committed step in the first person also counts (我已经提了工单去查, 我这就去核实一下), and
// so does the agent's own finding-out about to happen (我查一下马上告诉您, 我翻一下资费表, 我马上打电话跟他确认):
// 一下 or an adverb of the moment makes it a step still to take (我查了也不知道, 我查不到 stay ignorance); so does a look
// (我看一下) and asking someone, then answering (我找同事问问再回您).
const FOLLOW_UP = /(我|我们|这边)(这边)?(先|马上|现在|这就|立刻|赶紧|去|再)?(帮您|给您|替您)?(查|翻|调|核实|确认|核对)(一下|下(?![去来])|一查|查)|(我|我们|这边)(这边)?(先|马上|现在|这就|立刻|赶紧|再)?(帮您|给您|替您)?看(一下|看)|(我|我们|这边)[^,.!?;\s]{0,6}(问问|问一下|打听一下|请教一下)[^,.!?;]{0,4}(再|就|马上)?(回|回复|答复|告诉)(您|你)|(我|我们|这边)(先|马上|现在|这就|立刻|赶紧)(打(个)?电话|联系)|(马上|稍后|待会儿?|等会儿?|一会儿?|回头)(再)?(告诉|通知|回复|答复|回电话?给)(您|你)|(我|我们|这边)(已经|马上|这就|现在|先)[^,.!?;]{0,4}(提|报|派|转|去查|去核实|去问)[^,.!?;]{0,2}(工单|单子|查|核实|问)|(帮您|为您|给您|替您|帮你|给你)[^,.!?;]{0,4}(记录|登记|查|问|核实|反馈|转|联系|申请|提交|上报|跟进|确认|咨询|了解|报|派单|安排|答复|回复)|(我|我们|这边)(先)?(记下|记下来|记录下来)|(一般|通常|大概|预计|正常)(是|会|在|要)?[^,.!?;]{0,4}([一二两三四五六七八九十几半]|\d)|让[^,.!?;]{0,10}(给您|联系您|回电|回复您|回您)|(请您|建议您|您可以|麻烦您)[^,.!?;]{0,3}(咨询|联系|拨打|去|到|关注)/
// A call back promised: the agent or its side (我, 师傅, 他) will phone the customer, told with a time or a future
// (出结果以后我给您打电话, 他出发前会先给您打电话, 明天我再给您回个电话, 回头我再打给您): the not-knowing is left with a way on.
// Not this call's purpose (我给您打电话是想…) nor a call already made (给您打过电话).
const CALLBACK = /(以后|之后|后|再|会|先|马上|稍后|回头|到时候?|明天|今天|下午|晚点|一会儿?|第一时间|尽快|就)[^,.!?;]{0,4}((给|跟)(您|你)(打|回)(个|一个)?电话|(打|回)(电话|过来|过去)?给(您|你))(?![^,.!?;]{0,2}(是|就是|主要|想|了|过))/
// The agent offers help of its own in another clause (我现在就催师傅过去, 我已经提单修正: a wrong record put right;
// 我给您派单, 我让师傅上门取, 我把地址发您, 我帮您转
// 专席, 我先帮您预约好): a clause with the agent (or nobody) as the doer of a helping verb aimed at the
// customer, not negated (给您办不了, 不能给您弄, 没法帮您), not asked (能帮您什么), not another's (他给您办的).
const OFFER_CLAUSE = /(帮|给|替|为|陪|教)(您|你)(?![们]?[^,.!?;]{0,6}(不了|不成|不到|不上|(?<!为)什么|(?<!为)啥))[^,.!?;]{0,8}?(办|查|看|弄|改|开|退|转|约|预约|登记|记|派|排|申请|报|提交|反馈|上报|升级|审批|走(流程|审批|加急|绿色通道)|联系|协调|安排|处理|核实|核对|跟进|催|加急|换|补|发|留意|盯|解决|想办法|找|问|算|对比|介绍|推荐|挑|选|送|取|修|测|免|减|备注|写|带|念|读|更新|(讲|解释|说)(一)?下?(为啥|为什么|原因))|(尽快|马上|稍后|回头|随后|第一时间)(给|跟)(您|你)(回复|回电|答复|反馈|联系)|(我|我们|这边)(先|来|去|马上|这就|现在|立刻|会|可以|再|直接|亲自|都)?(就)?(把|让|叫|请|安排|派|找|联系|协调|催|约)(?![^,.!?;]{0,3}(不|没|别|什么|啥))[^,.!?;]{0,12}(给您|联系您|回电|回复|打给您|上门|发您|发给您|告诉您|过去|过来|跟进|处理|对接|取|来|批|审批|协调|沟通|解决|转给|转到|交给|转接)|短信[^,.!?;]{0,3}发(给)?(您|你)|发(您|你)手机|(我|我们|这边)(先|去|来|马上|现在|这就)?(问问|问一下|请教一下|咨询一下|确认一下|核实一下)(?!您|你)|(第一时间|一有消息|有消息|有结果|及时)[^,.!?;]{0,3}(告诉|通知|提醒|联系|回复|答复)(您|你)|(我|我们|这边)[^,.!?;]{0,6}(已经|马上|会|这就|立刻|现在|再|亲自|去|先)(详细)?(记录|登记|提交|上报|反馈|备注|转交|交给|写进|派单|报修|报障|核对|核实|盯|跟进|跟踪|处理|解决|落实|提单|修正|更正|纠正|改过来|改正|冲正)|(已经|会|马上|这就|立刻|现在|先)[^,.!?;]{0,6}(升级|上报|转交|交给|提交)(到|给)?(上级|领导|主管|班长|组长|经理|专班|专员|专席|投诉|后台|相关部门)|([一二两三四五六七八九十几半]|\d)(个)?(工作日|天|小时|钟头|分钟)(之内|以内|内)[^,.!?;]{0,3}(给您|给你|会有人|会有专人|安排人|安排专人)[^,.!?;]{0,3}(答复|回复|回电|联系|上门)|(稍后|马上|尽快|今天|明天|回头|之后)(会)?有(专人|人|同事|师傅|工作人员)[^,.!?;]{0,3}(联系|回电|回复|上门|对接)(您|你)?/g
// Verbs after 给您 that help with nothing: harm apologised for (给您带来不便), talk (给您说一下), this call (给您打电话).
const NOT_HELP_VERB = /^(带来|造成|添|添麻烦|说|讲|解释|道歉|打|打电话|是|有|带)$/
const OFFER_BLOCKED = /(不(?!过)|没|别|莫|甭|谁|什么|啥|哪|刚才|刚刚|他|她|人家)[^,.!?;]{0,3}$/
// The agent apologises in the utterance (不好意思让您说了两遍, 真抱歉, sorry): whatever it says with it is no reproach.
// 打扰您了 too (not the closing's 不打扰您了).
const APOLOGY = /(不好意思|抱歉|歉意|对不起|对不住|见谅|原谅|sorry|给您添麻烦|让您久等|辛苦您了|请您谅解|(?<!不)打扰(您|你)了)/
// The agent owns the misunderstanding (我刚讲得有点快, 可能当时没讲清楚, 是我没说明白): as good as an apology,
// unless asked back at the customer (我讲得不清楚吗? is a taunt) or said of the customer (您说得太快).
const OWN_FAULT = /(?<![不没])(是|怪|都怪)(我们|我)(的)?(问题|错|不好|不对|没做好|没处理好|疏忽|失误)|(我们|我)(的)?(工作)?(疏忽|失误)|(漏|忘了|忘记)(跟|和|给|向)(您|你)(说|讲|提|交代|说明)|(我们|我)(做得|处理得)不(好|到位)|(?<![您你])(讲|说|解释|表达)得(有点|有些|太|比较|可能)?(快|急|乱|绕|复杂|不清楚|不够清楚|不明白|不够明白|不够详细)(?![^,.!?;]{0,3}(吗|么|嘛|\?))|(可能|也许|是我|我们|我)[^,.!?;]{0,4}(没|没有)((跟|给|向|和|对)(您|你))?(讲|说|解释|表达|交代|说明)(清楚|明白|到位)(?![^,.!?;]{0,3}(吗|么|嘛|\?))/
// The not-knowing set in the past (我当时也不知道, 我刚来那会儿也不清楚): what the agent did not know then, owned.
const PAST_FRAME = /(当时|那时候?|那会儿?|刚来|刚入职|刚开始|一开始|起初|最初|原先|之前|以前|原来|本来)/
const LOCATIVE = new Set(['那边', '那里', '那儿', '那头'])
// Terms of address that open an utterance (亲亲 不行的): never the subject of what follows the pause.
const ADDRESS = new Set(['亲亲', '亲', '亲爱的', '先生', '女士', '小姐', '阿姨', '叔叔', '大哥', '大姐', '姐', '哥', '老师', '师傅', '您好', '你好', '喂'])
// Nouns of people and bodies end so (营业员, 施工队, 工程部, 营业厅, 厂商, 师傅们).
const ANIMATE_SUFFIX = /[员队部厅处科局人方商司店家长们傅生士姐哥]$/
// Bodies outside the operator that answer for their own side (物业那边, 银行那边, 厂家那边): a third party.
const OUTSIDE_BODY = /(物业|银行|厂家|快递|派出所|公安|医院|学校|单位|房东|邻居|联通|电信|广电|开发商|居委会|社区)$/
const EMPHATIC = /[也都真就还可]$|(确实|实在|根本|真的|完全|压根|从来)$/
// A yes/no or choice question after the occurrence, in the same sentence: the question marker sits later.
const YES_NO_LATER = /(吗|是吧(?=[\s,.!?;]|$)|么(?=[\s,.!?;]|$)|是否|能否|可否|有没有|是不是|会不会|要不要|能不能|可不可以|方不方便|愿不愿意|需不需要|还是(?=[^,.!?;]*[?呢])|对吧|对不对|好不好|行不行|了没有|了没(?![得法事])|过没有|([^\s不没,.!?;])[不没]\2|([^\s不没,.!?;]{2})[不没]\3)/
// "To see whether": a verb of finding out before an A-not-A (我帮您申请加急,看能不能快点; 我问问能不能办) embeds
// the question, it asks the customer nothing; 您看能不能… asks the customer to consider (a request), not this.
const SEE_WHETHER = /(?<![您你])(看看|看|问问|问一下|查查|查一下|试试|试一下|确认一下|了解一下)(能不能|能否|可不可以|是不是|有没有|会不会|行不行)/
// The customer is left a free choice among what is offered (随您挑, 您自己选, 去营业厅还是在电话里办,都随您).
const CHOICE_VERB = /^[的便]{0,2}(挑|选|定|安排|决定|看着选|看着挑|方便)/
// A question embedded after a polite opener addressed to the customer (不知道您这边考虑好了没有, 请问您想好了吗).
const WONDERED_BEFORE = /(不知道|不知|不晓得|想问一下|想问下|请问|想了解一下)(您|您们|你们)[^,.!?;]{0,6}$/
// Another operator named as the topic (联通的套餐, 别的运营商的事情): the agent need not know their business.
const RIVAL = /(联通|电信|广电|别家|别的运营商|其他运营商|那家运营商|其他的运营商|友商|别的公司|其他公司)/
// How the customer does it, judged (您这样操作不行, 你这么插不行): an instruction, the right way follows.
const METHOD_BEFORE = /(您|你)(这样|这么|那样|那么)(操作|弄|做|设置|插|装|连|接|搞|用|试|拔|按|点)?[^,.!?;]{0,2}$/
// 光换路由器不行, 只充话费不行: one step alone is not enough…
const ALONE_BEFORE = /(光|只|单|仅|只是|单纯|单单)[^,.!?;]{1,8}$/
// …and what else it takes follows (线路也要一起查, 还得把流量包续上).
const ALSO_NEEDED = /(还|也)(得|要|需要|要一起|一起|必须)/
// Another option put to the customer after it (您看明天上午可以吗, 工作日晚上也可以约, 要不换成…).
const ALTERNATIVE_AFTER = /(您看|你看|要不|或者|换成|改成|改到|换到|换个|改个)[^.!?;]{0,14}(可以吗|可以不|行吗|行不行|好吗|好不好|怎么样|方便吗|合适吗)|(也|都)(可以|行)(约|办|改|换|的)/
// The not-knowing reassured in its clause (不知道怎么操作没关系, 不清楚也很正常): the customer's, told it does not matter.
const REASSURED_AFTER = /^[^,.!?;]{0,10}?(也|都)?(没关系|没事|不要紧|不碍事|很正常|挺正常)/
// The agent tells the customer there is no hurry (不着急慢慢想, 慢慢来您不用急, 您别急慢慢说, 不赶时间): an utterance
// that says so hurries nobody, whatever else in it reads as hurrying (想好了没有 asks, 着什么急呢 soothes). Not 不急着挂
// (don't hang up yet) or 慢慢磨 (dragging it out).
const UNHURRIED = /(?:不|别|甭|不用|不必|无需)(?:着急|急)(?![着于]?(?:挂|走|下班|办|决定|回复))|慢慢(?:来|想|说|讲|看|考虑|选|挑|商量|决定)|不赶时间|时间(?:还|很)?(?:充裕|来得及)/
// The customer puts off or declines what was offered (我再想想, 先不办了, 算了, 不需要了): the agent's "not doing it"
// that answers it honours the customer's decision, it refuses nothing.
const DECLINES = /(再|先|回去|回家|我)(想想|想一想|想一下|考虑|琢磨|寻思|合计|商量|看看)|考虑考虑|考虑一下|(先|暂时|还是|就|今天)不(办|要|弄|开|订|换|改|升级|装|用|加|续|买)了?|(不|不想)(办|要|需要|用|弄|开|订|换|装|升级|考虑)了|算了|不感兴趣|没(有)?兴趣|(回头|以后|改天|过两天|下次)再说/
// The agent's not-doing, said as a decision (先不给您办, 那就不给您开了): a bare 不 before the action, not a
// potential (办不了) or a modal (不能, 不可以, 不行).
const NOT_DOING = /^(那|那就|就|先|暂时|暂且|也|今天|这次|这边)*不(给|帮|为|替)?(您|你)?(再)?(办|办理|开|开通|订|弄|改|换|加|升级|续|装|处理|登记|下单|提交|操作)/
// What the customer can DO (会, 教, 学): an ability judged, not the customer's understanding (小孩都会, 这还用教:
// scolding's, chapter 8 二.3), unless understanding is named in its sentence (合约机什么意思, 这还用我教您?).
const ABILITY_WORD = /[会教学]/
const UNDERSTANDING = /(懂|明白|理解|听|知道|晓得|清楚|意思|解释)/
// Why shouting at the agent is futile, named outside the occurrence: the agent's rank or role, another's doing or
// business, or the rule (我又不是领导, 我就是个传话的, 找领导去, 施工又不是我安排的, 条款是您自己签的字). Without any, "跟我发火
// 没用" tells the customer off (chapter 8 二.3 训斥), it deflects nothing.
const FUTILITY_GROUNDS = /(不是|又不是|并不是)(我|我们)[^,.!?;]{0,4}(定|弄|安排|决定|搞|做|管|负责|说了算)|不是(我|我们)的(问题|错|责任)|不是(领导|经理|主管|老板)|传(个)?话|(小)?客服|接线员|没(有)?(这个)?(权限|权力)|做不了主|决定不了|说了不算|管不了|管不着|不归(我|我们)|(找|问)[^,.!?;]{0,6}(领导|经理|主管|上级|负责人|他们|别人|那边)|是[^,.!?;]{1,6}的事|(规定|条款|合同|流程|政策|制度|规矩|签的字|签了字|白纸黑字|协议)/
// A count of times whose utterance names no saying, asking or calling but the customer's mistake (你又输错密码了,
// 这已经是第三次了): the mistakes counted (pointing out the mistake), not the agent's repeating.
const SAYING = /(说|讲|问|告诉|解释|重复|提醒|强调|交代|打(电话|过来|来|进来)|来电|念|报)/
const MISTAKE = /(错|忘|丢|漏|混|岔|[插装贴放拿看]反)/
// A place other than the agent's side as the doer (外面是办不了的, 别的地方办不到): what cannot be had elsewhere, an
// offer's exclusivity (a disclosure at most), no refusal.
const ELSEWHERE_BEFORE = /(外面|外边|外头|别的地方|别处|其他地方|其它地方|其他渠道|别的渠道|市面上)[^,.!?;我]{0,4}$/
// "Nothing to do with us" as a denial of fault, not of duty: the utterance names who caused it (怪您自己不当心, 您这是
// 自己下的软件在偷跑流量, 是财务那边的同事搞错的): blame (scolding, pointing out the mistake) or a disclosure, no brush-off.
const NO_RELATION = /(没关系|无关|不相干|没啥关系|没什么关系|没有关系)/
const CAUSE_NAMED = /怪(您|你)|是(您|你)(自己)?[^,.!?;]{0,8}(造成|导致|弄的|搞的|改的|点的|开的|下的|装的)|(您|你)(这是|是)?自己[^,.!?;]{0,10}(下|装|点|开|订|弄|改|关|删|设置|插|拔)|(搞错|弄错|算错|录错|填错|输错|造成|导致|引起|偷跑|误操作)/
// The customer's own wish decides, said after the occurrence in its sentence (您看着办就行,办不办都按您的意思来).
const CUSTOMER_DECIDES = /按(您|你)的(意思|想法|意愿|决定)|听(您|你)的(安排|决定)|尊重(您|你)的(意见|决定|选择|意愿)/
// Heads that restate the answer itself (一样的答复, 这样的结果): not a thing described.
const OUTCOME_HEAD = /^(结果|答复|说法|回答|答案|回复|规定|处理结果|处理)$/
// The agent cannot find words for the customer (真不知道该怎么说您): a rebuke (scolding's), not ignorance professed.
const SPEECHLESS_AT = /^[该要]?(怎么|如何)?(说|讲|形容|批评)(您|你)(?!们)/
// A count of times (三次, 好几遍) in the occurrence…
const COUNT = /[一二两三四五六七八九十几多好\d]+(次|遍|回)/
// …that leads, in its own clause, into what then happens (…都不对就会锁卡, …的话,系统就会自动转人工, …就要收费): a
// rule's trigger described. Not a threat or a demand in the next clause (我都说了三遍了,你要是再问我就挂了, 您就得听我的),
// nor 就是不听 or 就别再问了.
const TRIGGERED_AFTER = /^[^,.!?;]{0,12}?(的话|就(会|要|将|自动|被)(?!挂|不)|会被|(系统|电脑|机器)(就|会|将|自动))/
// The customer's own wish as the antecedent (您要是觉得不合适, 如果您不想办): what follows in the next clause honours it.
const WISH_ANTECEDENT = /((如果|要是|假如|若是|万一)[^,.!?;]{0,4}(您|你)|(您|你)[^,.!?;]{0,4}(如果|要是|假如|若是|万一))[^,.!?;]{0,4}(觉得|不想|不需要|不要|不愿意|不打算|不喜欢|不满意|嫌|还没想好|没想好|考虑)[^,.!?;]{0,8}[,\s]\s*(那|那么)?[^,.!?;]{0,6}$/
const EITHER_WAY = /(都|哪个|哪边|哪种|哪样|怎么)[^,.!?;]{0,3}(随您|随你|行|可以|一样|方便|看您)|随您|随你|您定|您选|您挑|看您方便/
const PARTICLE_QUESTION_AFTER = /^[了的呢啊呀哦]{0,2}[吗么]/
// The subject of the question embedded after 不知道: the customer (您, 您这边, not a possessive: 您那个钱 is
// about the money) or the agent's own words (我刚才说…, 我这样解释…).
const EMBEDDED_SUBJECT = /^[\s是]*(?:原来|竟然|居然)?(?:([您你](?:们)?(?:这边|那边)?)(?!的|[那这][个张笔些条])|我(?:刚才|刚刚|前面|这样|这么)?(?:说|讲|解释|表达))/
// A question ending the embedded clause with a bare negation (方便不, 收到短信没有).
const EMBEDDED_YES_NO = /[^\s不没,.!?;][不没]有?[呢啊呀哈嘛]*(?=[\s,.!?;]|$)/
// A wh-question about the customer's wishes, state or facts (还有什么顾虑, 您这边是什么情况, 您家宽带是哪年装的);
// not the cause (为什么, 为啥, 怎么回事), which the agent professes not to know.
const CUSTOMER_MIND = /(还有|需要|想|要|打算|考虑|觉得|方便|对)[^,.!?;]{0,6}(什么|啥|哪|怎么|多少|几)|(?<!为)(什么|啥|哪|多少|几)(?!么回事)|怎么样|如何|贵姓/
const ASK_TO_SAY = /(您|你)(再|能|可以|方便)?[^,.!?;]{0,3}(说|讲|告诉我|确认)(一下|下|说)|麻烦您[^,.!?;]{0,3}(说|讲|告诉)/
// Thanks or apology as what the agent cannot find words for (不知道该怎么感谢您才好, 真不知道该怎么跟您道歉).
const THANKS_OR_APOLOGY = /(感谢|谢谢|道歉|赔不是|赔罪)/
const SPEECHLESS = /^[该要]?(怎么|如何)?(说|讲)(什么|啥|啥子)(好|才好)?|^[该要]?(怎么|如何)(说|讲|表达|感谢|谢谢|谢|报答|道歉|弥补)(才好)?/
// The agent's own explaining as what is wondered about (是不是我刚才没说清楚, 哪一步没给您解释清楚).
const OWN_EXPLAINING = /(没|不)?(给您|跟您|给你|跟你)?(解释|说|讲)(得)?(清楚|明白)/
// The agent takes back what it said (刚才这句我说得不对, 我收回; 刚才说得太绝对了); not shrugged off (我说错了又怎样).
const SELF_CORRECTION = /(我)?(说错了|(?<![您你])((漏|忘了|忘记)(跟您|给您|和您|跟你|给你)?(讲|说|提|念|报|介绍|说明|交代)|(讲|说|念|报)漏)了|(?<=我(自己)?)(搞|弄|记|看|算)错了|说得不对|说的不对|说得太(绝对|满)|说太(满|绝对)|话说(太)?满了|我收回|收回(刚才|这句)|更正一下|纠正一下|口误)(?![^,.!?;]{0,2}(又怎样|又怎么样|又如何|又怎么了|怎么了))/

// The reason of a decision, or what it takes instead, said beside it (因为…, 涉及实名信息, 所以才需要本人到场, 按规定…).
const REASON = /(因为|由于|涉及|所以|按照?规定|根据|属于|需要|必须|得先|要先)/

const ON_BEHALF_ALL = new RegExp(ON_BEHALF.source, 'g')

/** The customer's loss is named in `s` and not conceded (吃亏也没办法 names it only to refuse all the same). */
function lossAverted(s: string): boolean {
  if (!ON_BEHALF.test(s)) return false
  ON_BEHALF_ALL.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = ON_BEHALF_ALL.exec(s)) !== null) {
    if (!LOSS_CONCEDED.test(s.slice(m.index + m[0].length))) return true
    if (m[0].length === 0) ON_BEHALF_ALL.lastIndex++
  }
  return false
}

function isRequestVerb(w: TaggedWord): boolean {
  return REQUEST_VERBS.has(w.word) || (w.tag === 'v' && w.word.length > 1 && REQUEST_VERB_END.test(w.word))
}

export interface Occurrence {
  start: number
  end: number
}

export class UtteranceFeatures {
  readonly norm: NormalizedText
  readonly #len: number
  /** Tagged sentences by start offset (made on the first ask: most utterances never need tags). */
  #tags: Map<number, TaggedWord[]> | undefined
  /**
   * Call context, set by the monitor: the customer's last utterance before this one threatened a
   * complaint (a dare like 那您去吧 answers it).
   */
  afterThreat = false
  /** Call context, set by the monitor: the text of the customer's last final before this utterance (customer_declined). */
  customerBefore: string | undefined = undefined
  #actScores: ActScores | undefined

  /** The chapter 8 scorer's scores (features/act-scorer.ts), computed on the first ask (agent finals only ask). */
  get actScores(): ActScores {
    return (this.#actScores ??= actScorer().score(this.norm.text))
  }

  constructor(textOrNorm: string | NormalizedText) {
    this.norm = typeof textOrNorm === 'string' ? normalizeWithMap(textOrNorm) : textOrNorm
    this.#len = this.norm.text.length
  }

  get text(): string {
    return this.norm.text
  }

  /** Start of the clause holding position `at`. */
  clauseStart(at: number): number {
    const t = this.norm.text
    let i = Math.min(at, this.#len) - 1
    while (i >= 0 && !CLAUSE_END.has(t[i]!)) i--
    return i + 1
  }

  /** End (exclusive, the punctuation's offset or the text's end) of the clause holding `at`. */
  clauseEnd(at: number): number {
    const t = this.norm.text
    let i = at
    while (i < this.#len && !CLAUSE_END.has(t[i]!)) i++
    return i
  }

  sentenceStart(at: number): number {
    const t = this.norm.text
    let i = Math.min(at, this.#len) - 1
    while (i >= 0 && !SENTENCE_END.has(t[i]!)) i--
    return i + 1
  }

  /** Offset of the sentence terminator after `at`, or -1 when the sentence runs to the text's end unterminated. */
  sentenceTerminator(at: number): number {
    const t = this.norm.text
    for (let i = at; i < this.#len; i++) if (SENTENCE_END.has(t[i]!)) return i
    return -1
  }

  sentenceEnd(at: number): number {
    const end = this.sentenceTerminator(at)
    return end < 0 ? this.#len : end
  }

  /**
   * Settled: nothing said after it can change what the occurrence means. The context features look no
   * further than the occurrence's own sentence, except those in NEXT_SENTENCE_FEATURES, which read the
   * next one too: an occurrence is settled once its sentence (and, for those, the next) has ended
   * (。！？；) in the text so far. A partial's unterminated last sentence is not settled.
   */
  settled(o: Occurrence, readsNextSentence = false): boolean {
    const end = this.sentenceTerminator(o.end)
    if (end < 0) return false
    // on_behalf, follow_up and not_a_threat read the next sentence too (那可不行. 您每个月要多交二十块.):
    // such an occurrence is settled only once that sentence has ended as well.
    return !readsNextSentence || this.sentenceTerminator(end + 1) >= 0
  }

  /** POS-tagged words of the sentence holding `at` (tagged once per sentence, shared by all rules). */
  sentenceWords(at: number): TaggedWord[] {
    const start = this.sentenceStart(at)
    let words = this.#tags?.get(start)
    if (!words) {
      const end = this.sentenceEnd(at)
      words = tagWords(this.norm.text.slice(start, end)).map((w) => ({ ...w, start: w.start + start }))
      ;(this.#tags ??= new Map()).set(start, words)
    }
    return words
  }

  subject(o: Occurrence): Subject {
    const s = this.#clauseSubject(o)
    return s === 'open' ? 'none' : s === 'anaphor' ? 'demonstrative' : s
  }

  /**
   * A thing is what the predicate judges: named in its clause (信号不行), or, when the stretch before it
   * names nothing (是不行的, 那就是不行了, a bare 不行 after a comma), the topic of the stretch before in its
   * sentence (光猫灯 一直闪 那就是不行了; 您家这个光猫太旧了,带不动千兆,是不行的). Only for things: a person's
   * not knowing is never inherited (路由器坏了,不知道 is the agent's).
   */
  thingSubject(o: Occurrence): boolean {
    const s = this.#clauseSubject(o)
    if (s === 'thing') return true
    const t = this.norm.text
    // 光猫这个东西用久了就不行: the walk back stops at the state said of it (用久了); the clause's own topic, a thing
    // with a fault or its age said of it, holds the predicate of working.
    const predicate = t.slice(o.start, o.end).replace(LEADING_ADVERBS, '')
    // The topic is read from the last pause before it (an ASR transcript's spaces part its clauses: 您放心 盒子坏了不行).
    if (s === 'none') {
      const from = this.clauseStart(o.start)
      const pause = t.slice(from, o.start).lastIndexOf(' ')
      return NON_AGENTIVE.test(predicate) && this.#topicOf(pause >= 0 ? from + pause + 1 : from, o.start, o.start) === 'thing'
    }
    if (s !== 'open' && s !== 'anaphor') return false
    // Only a predicate of working or worth passes the topic on (是不行的, 不好使了); an action refused
    // (改不了, 办不了) has the agent's side as its doer, whatever was just said (系统就是这么设定的 改不了).
    if (!NON_AGENTIVE.test(predicate)) return false
    const clauseFrom = this.clauseStart(o.start)
    const sentenceFrom = this.sentenceStart(o.start)
    // The stretch the subject walk stopped at: after the last pause in the clause, or the clause itself.
    const pause = t.slice(clauseFrom, o.start).search(/\s[^\s]*$/)
    let end = pause >= 0 ? clauseFrom + pause : clauseFrom - 1
    let from = pause >= 0 ? clauseFrom : this.clauseStart(end)
    // A subjectless stretch before (带不动千兆) passes the topic on from the one before it: two steps at most.
    const stateEnd = end
    for (let step = 0; step < 3 && end > sentenceFrom && from >= sentenceFrom; step++) {
      const topic = this.#topicOf(from, end, stateEnd)
      if (topic === 'thing') return true
      if (topic !== 'subjectless') return false
      end = from - 1
      from = this.clauseStart(end)
    }
    return false
  }

  /**
   * The topic of [from, end): the first word naming something; 'thing' when what is said of it up to
   * `stateEnd` (the subjectless stretches after it included) is a fault.
   */
  #topicOf(from: number, end: number, stateEnd: number): 'thing' | 'subjectless' | 'other' {
    const words = this.sentenceWords(from).filter((w) => w.start >= from && w.start + w.word.length <= end)
    for (let k = 0; k < words.length; k++) {
      const w = words[k]!
      const word = w.word.trim()
      if (word === '') continue
      if (CUSTOMER.includes(word) || AGENT_SELF.includes(word)) {
        // 您家的, 您那个, 咱家这个: a possessor, the topic comes after it.
        if (/^(家|的|这个|那个|这|那|这边|那边|家里|这儿|那儿)$/.test(words[k + 1]?.word ?? '')) {
          k++
          continue
        }
        return 'other'
      }
      // 咱家, 我家: the household's, a possessor (jieba keeps 咱家 one word).
      if (word === '咱家' || word === '我家') continue
      // 那边的线路, 楼道那头的: a place as possessor, the topic comes after it.
      if (LOCATIVE.has(word) && words[k + 1]?.word === '的') {
        k++
        continue
      }
      // A fault said as one word (跑不动/l, 带不动): a predicate with no topic of its own, not a noun naming one.
      if (!/^n/.test(w.tag) && MALFUNCTION.test(word)) return 'subjectless'
      // 师傅说那根线太旧了: a third party's report frames the topic, it is not the topic (the line is).
      if ((THIRD.includes(word) || /^(nr|nt|nrt|nrfg)$/.test(w.tag)) && /^(说|讲|反馈|反映|表示|说了|讲了|告诉我)$/.test(words[k + 1]?.word ?? '')) {
        k++
        continue
      }
      if (THIRD.includes(word) || /^(nr|nt|nrt|nrfg)$/.test(w.tag)) return 'other'
      if (DEMONSTRATIVE.has(word) || SKIP_WORDS.has(word) || /^(e|y|o|x|uj|ul|m|q|mq|c|zg)$/.test(w.tag)) continue
      if (REQUEST_NOUNS.has(word)) return 'other'
      // jieba tags a degree adverb glued to its adjective as a noun (太旧/ns): a predicate, no topic.
      if (/^(太|很|挺|特别|比较|非常|有点)/.test(word)) return 'subjectless'
      if (NOUN_TAG.test(w.tag) && !isRequestVerb(w)) {
        // The state said of it must be a fault or a lack of capacity (太旧了, 一直闪, 带不动): after a reason
        // (套餐费已经扣了,不行; 合约还没到期 那是不行的) a bare 不行 refuses, whatever the reason's topic.
        return MALFUNCTION.test(this.norm.text.slice(w.start + w.word.length, stateEnd)) ? 'thing' : 'other'
      }
      return w.tag === 'r' ? 'other' : 'subjectless'
    }
    return 'other'
  }

  #clauseSubject(o: Occurrence): Subject | 'open' | 'anaphor' {
    const from = this.clauseStart(o.start)
    // The occurrence may begin with its own subject, after a copula (是您自己没看清).
    const own = this.norm.text.slice(o.start, o.end).replace(/^(就是|都是|这是|那是|是)/, '').replace(LEADING_ADVERBS, '')
    // 您这边不清楚: 这边 after the customer is the customer's side, not the agent's self-reference.
    if (/^这边/.test(own) && /[您你]们?$/.test(this.norm.text.slice(from, o.start))) return 'customer'
    if (AGENT_SELF.some((w) => own.startsWith(w))) return 'agent'
    // 给您看错了: the 您 the occurrence starts with is an object; look further back.
    if (CUSTOMER.some((w) => own.startsWith(w)) && !/[给帮为替跟向对和让使令]$/.test(this.norm.text.slice(from, o.start))) return 'customer'
    // The agent's self-reference and the customer are closed word lists: check the clause's last one
    // before the predicate first (jieba tags 小妹 or 这边 as nouns).
    const words = this.sentenceWords(o.start).filter((w) => w.start >= from && w.start + w.word.length <= o.start)
    let copula = false
    let verbTopic = false
    // Every word between the predicate and here was an adverb or a particle (a pause may then be passed).
    let onlyAdverbs = true
    let adverbs = 0
    const workingPredicate = NON_AGENTIVE.test(own)
    const negatedPredicate = /^[不没]/.test(own)
    for (let k = words.length - 1; k >= 0; k--) {
      const w = words[k]!
      const word = w.word.trim()
      // A pause (a space in the transcript) ends the stretch the subject can come from (亲亲 不行的).
      // …unless the predicate after it opens with a copula (这个型号跑5G 是不行的): the topic goes on past the pause.
      if (word === '') {
        if (copula) continue
        // 那个 光猫 可能 不行了: a predicate of working (不行, 不好使) with adverbs and nothing else since the pause (可能, 已经;
        // 宽带账号 不行, the pause right before it, names the request's topic),
        // and a word before it that is no address (亲亲 不行的): ASR pauses between words, the subject goes on before
        // it. Not for knowing or doing (这个套餐 不知道 stays the agent's).
        if (onlyAdverbs && workingPredicate && k > 0) {
          const prev = words[k - 1]!
          const w0 = prev.word.trim()
          if (w0 !== '' && !ADDRESS.has(w0) && (adverbs > 0 || SKIP_WORDS.has(w0) || SKIP_TAGS.has(prev.tag))) continue
        }
        return 'open'
      }
      // 它本身就不行了, 它就不行了: the pronoun for a thing (the old router, the 3G card) is the holder.
      if (NON_HUMAN_PRONOUN.has(word)) return 'thing'
      // 那张早就不行了, 那台肯定不行, 这部不行了: a demonstrative with a classifier of objects, the noun left out, stands
      // for a thing named before (a card, a set, a phone) when what is judged is its working.
      if (workingPredicate && (OBJECT_DEMONSTRATIVE.test(word) || (OBJECT_CLASSIFIER.test(word) && /^[这那]$/.test(words[k - 1]?.word ?? '')))) return 'thing'
      // Past a verb topic a demonstrative points at the thing whose working is judged (那个接头接触不行);
      // any other pronoun not listed below holds nothing.
      if (verbTopic && w.tag === 'r' && !AGENT_SELF.includes(word) && !CUSTOMER.includes(word) && !THIRD.includes(word) && !/^我/.test(word)) {
        return DEMONSTRATIVE.has(word) ? 'thing' : 'none'
      }
      if (word === '是' && k === words.length - 1) copula = true
      if (AGENT_SELF.includes(word) || /^我/.test(word) && w.tag === 'r') {
        // 跟我们说过, 给我打电话: the agent is the object or the listener; the subject sits further back.
        if (k > 0 && /^(给|帮|为|替|跟|向|和|对|让)$/.test(words[k - 1]!.word)) {
          k--
          continue
        }
        return 'agent'
      }
      if (CUSTOMER.includes(word)) {
        // 对您来说…不行: a judgment of what suits the customer (a plan, a device), not a refusal.
        if (k > 0 && words[k - 1]!.word === '对' && /^(来说|而言)$/.test(words[k + 1]?.word ?? '')) return 'thing'
        // 给您/帮您/跟您/让您: the customer is the object or beneficiary (让您误会了: the agent caused it), the subject sits further back.
        if (k > 0 && /^(给|帮|为|替|跟|向|和|对|让|使|令)$/.test(words[k - 1]!.word)) {
          k--
          continue
        }
        return 'customer'
      }
      if (THIRD.includes(word)) return 'third'
      // 施工队那边, 那边: the other party (您那边 is the customer's side).
      // 系统那边 is the agent's own side (a deflection); a person or a body (施工队, 营业厅的同事) is a third party.
      if (LOCATIVE.has(word)) {
        const prev = words[k - 1]
        if (prev === undefined) return 'third'
        if (CUSTOMER.includes(prev.word)) return 'customer'
        return THIRD.some((t) => prev.word.endsWith(t)) || /^(nr|nt|nrt|nrfg)$/.test(prev.tag) || ANIMATE_SUFFIX.test(prev.word) || OUTSIDE_BODY.test(prev.word) ? 'third' : 'none'
      }
      // 那块, 这边, 那方面 after a noun are "the … part" (5G那块): not a demonstrative subject.
      const next = words[k + 1]?.word
      if ((word === '那' || word === '这') && next !== undefined && /^(块|边|方面|里)$/.test(next)) continue
      // 这两天, 这几天, 那阵子: a time adverbial, not the demonstrative subject (您家网络这两天确实不行).
      if ((word === '这' || word === '那') && next !== undefined && /^[一两几三四五六七八九十]?(天|周|年|个月|阵子?|段时间|会儿?)$/.test(next)) continue
      // 这都不知道, 连这个都不懂: a fronted object under 都 with no subject of its own is said of the listener.
      if (DEMONSTRATIVE.has(word) && next === '都' && (k === 0 || words[k - 1]!.word === '连')) return 'customer'
      // 那就是不行了, 这说明不行: a demonstrative opening its stretch before a copula stands for what was just said.
      if (DEMONSTRATIVE.has(word)) return (k === 0 || words[k - 1]!.word.trim() === '') && /^(那|这|那样|这样)$/.test(word) && /^(就是|是|就|说明|肯定|也|肯定是)$/.test(next ?? '') && !verbTopic ? 'anaphor' : 'demonstrative'
      if (SKIP_WORDS.has(word) || SKIP_TAGS.has(w.tag)) {
        adverbs++
        continue
      }
      onlyAdverbs = false
      // 我们这边的通知不行, 咱们的安排不行: a verb right after 的 heads a noun phrase (jieba tags 通知 v), the
      // thing judged; not an action the customer asks for (您要的办理不行 stays the refusal of it).
      if (/^(v|vn)$/.test(w.tag) && words[k - 1]?.word === '的' && !isRequestVerb(w)) return 'thing'
      // 试用不行的: a verbal noun of what the customer asks for names the action, not a thing (the first
      // verb before the predicate only: 用户刚升级完也不知道 is about the users).
      if (w.tag === 'vn' && isRequestVerb(w) && !verbTopic) return 'none'
      // The customer's request named as a matter (这事儿没戏, 您这个要求我们满足不了): what is refused, not a thing.
      if (REQUEST_NOUNS.has(word)) return 'none'
      if (NOUN_TAG.test(w.tag)) {
        // A noun right after a verb (past demonstratives and numerals) is its object, not the subject:
        // 办这个业务不行 is about the action.
        let j = k - 1
        while (j >= 0 && (DEMONSTRATIVE.has(words[j]!.word) || /^(m|q|mq|r)$/.test(words[j]!.tag))) j--
        const before = words[j]
        if (before && isRequestVerb(before)) return 'none'
        // 您是十年老用户也不行: a noun after a copula is the predicate; the subject is before 是.
        while (j >= 0 && /^(m|q|mq|a|b|n|nz|uj)$/.test(words[j]!.tag) && words[j]!.word !== '是') j--
        if (j > 0 && words[j]!.word === '是') {
          // A concession or an adverb may stand between the holder and 是 (您就算是VIP也不行).
          let h = j - 1
          while (h > 0 && (CONCESSIVE.has(words[h]!.word) || SKIP_WORDS.has(words[h]!.word) || /^(d|c)$/.test(words[h]!.tag))) h--
          const holder = words[h]!.word
          if (CUSTOMER.includes(holder)) return 'customer'
          if (AGENT_SELF.includes(holder)) return 'agent'
          if (THIRD.includes(holder)) return 'third'
        }
        return 'thing'
      }
      if (w.tag === 'r') return 'none'
      // X是不行的 judges X: past the copula, a verb phrase (老路由器带千兆是不行的) has its subject further back.
      if (copula) {
        copula = false
        continue
      }
      // A verb of what the customer asks for before the predicate: the clause judges the action (给您办不行).
      if ((isRequestVerb(w) && !verbTopic) || /^(a|ad|an)$/.test(w.tag)) return 'none'
      // Before a negated predicate (不行, 不知道) any other content verb is the topic (接头接触不行, 5G覆盖还不行,
      // 老人家刚开始也不知道): its holder is further back. A complement (买错了) has its verb as its own head,
      // and 没/有 negate or assert, they name no topic (您没记错).
      if (!negatedPredicate || /^(没|没有|有|不|别)$/.test(word)) return 'none'
      verbTopic = true
      continue
    }
    // Nothing named in the clause (a verb topic with no holder: 接触不行): the stretch before may name it.
    return 'open'
  }

  /**
   * The occurrence sits in a question: an A-not-A around it (行不行, 知不知道, 是不是不行), a question
   * particle right after it (不行吗), an alternative (行还是不行), a question marker later in its clause,
   * or a short tag question as the next clause (…不行, 对吧?).
   */
  question(o: Occurrence): boolean {
    const t = this.norm.text
    const clauseFrom = this.clauseStart(o.start)
    const clauseEnd = this.clauseEnd(o.end)
    // A-not-A (行不行, 知不知道, 知道不知道), but not a doubled 不行不行 (an emphatic refusal).
    const aroundFrom = Math.max(clauseFrom, o.start - 3)
    const around = t.slice(aroundFrom, Math.min(clauseEnd, o.end + 3))
    const aNotA = /(?<!不)([^\s不没,.!?;])[不没]\1|(?<!不)([^\s不没,.!?;]{2})[不没]\2/.exec(around)
    // 认不认都得认, 办不办都一样: an A-not-A before 都/也 concedes either way, it asks nothing.
    if (aNotA !== null && !/^[^,.!?;]{0,3}[都也]/.test(t.slice(aroundFrom + aNotA.index + aNotA[0].length, clauseEnd))) return true
    // 是否/还是 before it: an alternative (行还是不行) — unless an adverb insists (是否涨价我们也不清楚 is ignorance).
    const before = t.slice(clauseFrom, o.start)
    if (/是不是|难道/.test(before) || (/是否|还是/.test(before) && !this.emphatic(o))) return true
    const restOfClause = t.slice(o.end, clauseEnd)
    if (PARTICLE_QUESTION_AFTER.test(restOfClause) || YES_NO_LATER.test(restOfClause)) return true
    if (clauseEnd < t.length && t[clauseEnd] === '?') return true
    if (clauseEnd < t.length && t[clauseEnd] === ',') {
      const next = t.slice(clauseEnd + 1, this.clauseEnd(clauseEnd + 1))
      const nextEnd = this.clauseEnd(clauseEnd + 1)
      // 您看是不行,还是可以再等两天?: the alternative's marker opens the next clause of an asked sentence.
      if (/^\s*(还是|或者是|或是)/.test(next)) {
        const end = this.sentenceEnd(clauseEnd + 1)
        if ((end < t.length && t[end] === '?') || /[呢吗]\s*$/.test(t.slice(clauseEnd + 1, end))) return true
      }
      if (next.length <= 4 && /(对吧|是吗|对吗|是不是|对不对|是吧)$/.test(next) && (nextEnd >= t.length || t[nextEnd] === '?')) return true
    }
    return false
  }

  /**
   * 不知道 as "I wonder whether…": a yes/no or choice question follows in the same sentence (不知道您
   * 现在方便吗, 我不知道您是否…) and no adverb insists on the not-knowing (我也不知道能不能办 is ignorance).
   * An opener with no subject of its own whose clause goes on as a question about the customer (也不知道您
   * 这会儿方便不, 不知道您这边还有什么顾虑) or about the agent's own explaining (不知道我刚才说清楚没有) wonders
   * even after 也; so does one whose clause is an apology or thanks (不知道该怎么表达歉意才好).
   */
  wonderWhether(o: Occurrence): boolean {
    const t = this.norm.text
    const end = this.sentenceEnd(o.end)
    const after = t.slice(o.end, end)
    if (after.length === 0) return false
    const embedded = t.slice(o.end, this.clauseEnd(o.end))
    // Lost for words (我都不知道说什么好了, 太感谢您了): thanks or an apology, whoever the subject.
    if (SPEECHLESS.test(embedded) && (THANKS_OR_APOLOGY.test(t) || APOLOGY.test(t))) return true
    if (SPEECHLESS_AT.test(embedded)) return true
    if (this.subject(o) !== 'agent') {
      if (APOLOGY.test(embedded) || THANKS_OR_APOLOGY.test(embedded) || OWN_EXPLAINING.test(embedded)) return true
      const who = EMBEDDED_SUBJECT.exec(embedded)
      if (who !== null && (YES_NO_LATER.test(embedded) || /还是/.test(embedded) || EMBEDDED_YES_NO.test(embedded) || (who[1] !== undefined && CUSTOMER_MIND.test(embedded)))) return true
    }
    // 我也不知道您会这么着急, 真是抱歉: not knowing the customer's state, apologised for.
    const who = EMBEDDED_SUBJECT.exec(embedded)
    // 那我就不知道您是想要哪一种了,您再说一下?: not knowing the customer's wish, asked to say it: a clarification.
    if (who?.[1] !== undefined && CUSTOMER_MIND.test(embedded) && ASK_TO_SAY.test(t.slice(this.clauseEnd(o.end), end))) return true
    if (who?.[1] !== undefined && APOLOGY.test(t.slice(o.end, end < t.length ? this.sentenceEnd(end + 1) : end))) return true
    if (this.emphatic(o)) return false
    if (YES_NO_LATER.test(after)) return true
    // An alternative embedded after 不知道 (不知道您是想补卡,还是干脆换个号).
    if (/还是/.test(after)) return true
    // A wh-question to the customer (不知道您平时每个月话费大概多少呢).
    return /^[您你]/.test(after) && ((end < t.length && t[end] === '?') || /[呢]\s*$/.test(after))
  }

  condition(o: Occurrence): boolean {
    const t = this.norm.text
    const clauseFrom = this.clauseStart(o.start)
    // 就算不行也不会扣您钱: the occurrence is the concession's own antecedent (就算 right before it, no 也 between),
    // what holds "even if it does not work"; 就算您是VIP也不行 has it in the consequence, which stands.
    if (/(就算|即使|哪怕|即便|纵然)[^,.!?;也都]{0,6}$/.test(t.slice(clauseFrom, o.start)) && /^[^.!?;]{0,4}(也|都)/.test(t.slice(o.end))) return true
    // 您再怎么闹也…, 不管您找谁都…: a concession, whatever holds the occurrence stands.
    if (CONCESSIVE_BEFORE.test(t.slice(clauseFrom, o.start))) return false
    if (CONDITION_BEFORE.test(t.slice(clauseFrom, o.start))) return true
    // A strong conditional marker earlier in the sentence, with no consequence between it and the
    // occurrence (如果您重启以后, 信号还是不行的话 … / 要是明天, 还不行).
    const sentence = t.slice(this.sentenceStart(o.start), o.start)
    const marker = Math.max(...['如果', '要是', '假如', '万一', '倘若', '一旦', '假设', '若是', '如若'].map((m) => sentence.lastIndexOf(m)))
    if (marker >= 0 && !/(就|那么|那就|所以|因此)/.test(sentence.slice(marker))) return true
    // A bare antecedent (不行的话, 不行, 您就…) is a negated predicate said once: an insistence (不行就是不行) or
    // anything else the agent says (第三次了, 我再说最后一次) is no condition for what follows.
    const own = t.slice(o.start, o.end)
    if (!NEGATED_PREDICATE.test(own) || /就是|真的?|确实/.test(own)) return false
    const after = t.slice(o.end, this.sentenceEnd(o.end))
    // 的话 marks the antecedent whatever the consequence (它不行的话升多少都一样).
    if (/^[了]?的话/.test(after)) return true
    if (CONSEQUENCE_AFTER.test(after) && !CONCESSION_NEXT.test(after.replace(/^[了的呢吧啊呀哦\s]+/, ''))) return true
    // The occurrence ends its clause and the next clause is the consequence (不行, 您就重启一下) — not a
    // concession (不行, 你再打几遍也一样).
    const clauseEnd = this.clauseEnd(o.end)
    if (clauseEnd < t.length && t[clauseEnd] === ',' && /^[了的呢吧啊呀哦\s]*$/.test(t.slice(o.end, clauseEnd))) {
      const next = t.slice(clauseEnd + 1, this.sentenceEnd(clauseEnd + 1))
      return CONSEQUENCE_NEXT_CLAUSE.test(next) && !CONCESSION_NEXT.test(next)
    }
    return false
  }

  reported(o: Occurrence): boolean {
    const before = this.norm.text.slice(this.sentenceStart(o.start), o.start)
    // Quoted words (客服说"快点说") are someone's, told back.
    if (this.#quoted(o)) return true
    // A form opening with the verb of saying a negation has the customer as its sayer right before it (您说不行就不行, 那我们就不办了):
    // the customer's word deferred to, not the agent's insistence (我说不行就不行), the customer as listener (我跟您讲了好几遍)
    // or the customer's saying conceded (您说破嘴皮子也不行).
    if (/^(说|讲)(了)?[不没]/.test(this.norm.text.slice(o.start, o.end)) && /(?<![跟和给对向替帮为让叫])(您|你)(刚才|刚刚|既然|都|也)?$/.test(before)) return true
    // A summary of the complaint (我总结一下,就是营业厅说办不了…; 您的问题是,对方说投诉也没用): a marker, then
    // someone's saying before the occurrence.
    const summary = SUMMARY_MARKER.exec(before)
    if (summary !== null) {
      const rest = before.slice(summary.index + summary[0].length)
      // …or the other party right before a frame that holds the saying itself (客服说了三遍"规定就是规定").
      if (SAID_BY_OTHER.test(rest) || /(客服|同事|营业员|工作人员|师傅|他|她|他们|对方|营业厅|那边)[^,.!?;]{0,2}$/.test(rest)) return true
    }
    // The echo reaches as far as its clause goes: a later clause with a subject of its own is the agent's
    // answer (您觉得别家好, 您转过去呗; 您说的那个活动, 我们这边不清楚), not the customer's words.
    const echo = REPORTED.exec(before)
    const upTo = this.norm.text.slice(this.sentenceStart(o.start), o.end)
    if (echo !== null && !REPORTED_AS_TOPIC.test(before)) {
      const rest = upTo.slice(echo.index + echo[0].length)
      if (!ANSWER_CLAUSE.test(rest) && !YOU_TELL_ME.test(rest) && !AGENT_CLAUSE_LATER.test(rest)) return true
    }
    // A frame may open with the echo itself (您说您看不懂这个账单, 您刚说听不懂…): the customer's words, told back.
    REPORTED_AT.lastIndex = o.start
    const lead = REPORTED_AT.exec(this.norm.text)
    // Not "what you said" as the topic (您说的不对: a contradiction, not an echo), nor the verb of saying
    // with a result of its own (您说反了, 你讲错了: the customer's mistake, told, not their words).
    if (lead !== null && o.start + lead[0].length < o.end && !/^(的|[反错漏岔串混乱])/.test(this.norm.text.slice(o.start + lead[0].length)) && !YOU_TELL_ME.test(this.norm.text.slice(o.start + lead[0].length, this.clauseEnd(o.end)))) return true
    const asked = ASKED.exec(upTo)
    if (asked !== null && asked.index < before.length && !ANSWER_CLAUSE.test(before.slice(asked.index)) && !AGENT_CLAUSE_LATER.test(upTo.slice(asked.index + asked[0].length))) return true
    // The occurrence may hold the verb of saying itself (她当时连说了两遍): look up to its end. A later
    // clause with a subject of its own (…跟您讲过, 您一个问题问三遍了) is no longer the relayed words.
    const m = RELAYED.exec(this.norm.text.slice(this.sentenceStart(o.start), o.end))
    if (m === null) return false
    // 上个客服没跟你说吗?, 那个同事不是跟您讲过了吗: the colleague's words held against the customer in a
    // rhetorical question relay nothing, they reproach.
    if (RHETORICAL_TOLD.test(this.norm.text.slice(this.sentenceStart(o.start), this.sentenceEnd(o.end) + 1))) return false
    const between = this.norm.text.slice(this.sentenceStart(o.start) + m.index + m[0].length, o.start)
    return !NEW_SUBJECT_CLAUSE.test(between)
  }

  /** The occurrence sits inside quotation marks opened in its sentence. */
  #quoted(o: Occurrence): boolean {
    const t = this.norm.text
    const before = t.slice(this.sentenceStart(o.start), o.start)
    const quotes = (before.match(/"/g) ?? []).length
    return quotes % 2 === 1 && t.slice(o.end, this.sentenceEnd(o.end)).includes('"')
  }

  /** The agent offers a way forward after the occurrence, in its sentence or the next. */
  followUp(o: Occurrence): boolean {
    const t = this.norm.text
    const end = this.sentenceEnd(o.end)
    const next = end < t.length ? this.sentenceEnd(end + 1) : end
    const after = t.slice(o.end, next)
    return FOLLOW_UP.test(after) || CALLBACK.test(after)
  }

  onBehalf(o: Occurrence): boolean {
    const t = this.norm.text
    const end = this.sentenceEnd(o.end)
    // The loss may be named before it in its sentence (那样您就亏了, 不行) or in the next sentence
    // (那可不行. 这样您每个月要多交二十块.).
    const next = end < t.length ? this.sentenceEnd(end + 1) : end
    const before = t.slice(this.sentenceStart(o.start), o.start)
    const after = t.slice(o.end, next)
    if (lossAverted(before)) return true
    // After it, a loss already past (已经过了期限,赠送的都作废了) is the refusal's reason, not a loss averted.
    const named = lossAverted(after)
    if (named && !LOSS_PAST.test(after)) return true
    // The consequences named by structure: not conceded (您就是多交钱也不行), not an ultimatum (您要是不交,就会停机),
    // not a loss already past (已经过期了).
    for (const re of [CUSTOMER_CONSEQUENCE, CONSEQUENCE_LOSS]) {
      const m = re.exec(after)
      if (m === null) continue
      const upTo = after.slice(0, m.index + m[0].length)
      if (LOSS_CONCEDED.test(after.slice(m.index + m[0].length)) || ULTIMATUM.test(upTo) || /就是[^,.!?;]*$/.test(upTo)) continue
      if (LOSS_PAST.test(upTo)) continue
      return true
    }
    return false
  }

  /** A customer's complaint word that threatens nothing: past, an existing complaint's status, or declined. */
  notAThreat(o: Occurrence): boolean {
    const t = this.norm.text
    const before = t.slice(this.clauseStart(o.start), o.start)
    if (PAST_BEFORE.test(before) || TOLD_TO_BEFORE.test(before)) return true
    const after = t.slice(o.end, this.sentenceEnd(o.end))
    if (NOMINAL_AFTER.test(after) || ONGOING_AFTER.test(after)) return true
    const end = this.sentenceEnd(o.end)
    const next = end < t.length ? this.sentenceEnd(end + 1) : end
    return DECLINED_LATER.test(t.slice(o.end, next))
  }

  /** An adverb of insistence before the predicate (the occurrence's last 3 characters: 我们也不清楚 insists). */
  emphatic(o: Occurrence): boolean {
    return EMPHATIC.test(this.norm.text.slice(this.clauseStart(o.start), Math.max(o.start, o.end - 3)))
  }

  /** The agent takes back what it said, in the occurrence's sentence (我说得不对, …, 我收回). */
  selfCorrection(o: Occurrence): boolean {
    return SELF_CORRECTION.test(this.norm.text.slice(this.sentenceStart(o.start), this.sentenceEnd(o.end)))
  }

  /**
   * The agent offers help of its own in another clause of the utterance (before the occurrence, or after
   * it up to the end of the next sentence): 规定没法改,但我能帮您把时间往前排; 不行了,得换新的,我给您派单.
   */
  offer(o: Occurrence, ownSentenceOnly = false): boolean {
    const t = this.norm.text
    const end = this.sentenceEnd(o.end)
    const next = ownSentenceOnly || end >= t.length ? end : this.sentenceEnd(end + 1)
    // The occurrence's own words are no offer (给您办不了 is the refusal itself); a pause (space) or a clause
    // break separates an offer from it (这个超出我的权限了 我马上请班长来处理): see `#offerStands`.
    const re = OFFER_CLAUSE
    re.lastIndex = 0
    const scope = t.slice(0, next)
    const spans: [number, number][] = []
    let m: RegExpExecArray | null
    while ((m = re.exec(scope)) !== null) spans.push([m.index, m[0].length])
    if (spans.some(([a, n]) => this.#offerStands(o, a, t.slice(a, a + n)))) return true
    // The listed helping verbs miss many (帮您跟客户经理提一下, 我得帮您要回来, 给您争取一下): any verb the segmenter
    // finds right after 帮您/给您/替您/为您 (past a prepositional phrase: 帮您把费用退回去), with the same checks.
    for (const [a, n] of this.#benefactive(scope)) if (this.#offerStands(o, a, t.slice(a, a + n))) return true
    return false
  }

  /** 帮您/给您/替您/为您 + the first verb after it in its clause, not negated nor done already: [start, length]. */
  *#benefactive(scope: string): Generator<[number, number]> {
    const re = /(帮|给|替|为)(您|你)(?!们)/g
    let m: RegExpExecArray | null
    while ((m = re.exec(scope)) !== null) {
      const from = m.index + m[0].length
      const clauseEnd = Math.min(this.clauseEnd(from), scope.length)
      const words = this.sentenceWords(from).filter((w) => w.start >= from && w.start < clauseEnd)
      let pp = false
      for (let k = 0; k < words.length; k++) {
        const w = words[k]!
        const word = w.word.trim()
        if (word === '' || /[不没别甭]/.test(word)) break
        if (w.tag === 'p') {
          pp = true
          continue
        }
        if (/^v/.test(w.tag) || (pp && w.tag === 'l')) {
          // 给您办不了 (the potential negated) or 帮您看了 (done already) helps with nothing now.
          if (!NOT_HELP_VERB.test(word) && !/^[了过不没]/.test(words[k + 1]?.word ?? '')) yield [m.index, w.start + word.length - m.index]
          break
        }
        if (pp || /^(d|ud|m|q|uz)$/.test(w.tag)) continue
        break
      }
    }
  }

  /** The checks an offer at [a, a + m0.length) must pass to answer the occurrence (see `offer`). */
  #offerStands(o: Occurrence, a: number, m0: string): boolean {
    const t = this.norm.text
    const own = [o.start, o.end] as const
    if (a < own[1] && a + m0.length > own[0]) return false
    // Before the occurrence an offer counts only in its sentence with no pause between (我帮您反馈跟进退款问题
    // 这个不行哦: help with one thing, a refusal of another).
    if (a + m0.length <= own[0] && (a < this.sentenceStart(o.start) || /\s/.test(t.slice(a + m0.length, own[0])))) return false
    // Read from the occurrence's end when it stands in the same clause (不行我帮您换一个, a transcript without
    // punctuation): the refusal's own 不 blocks no offer after it.
    const whole = t.slice(this.clauseStart(a), a).replace(/^.*\s/, "")
    const clause = t.slice(Math.max(this.clauseStart(a), o.end <= a ? o.end : 0), a).replace(/^.*\s/, "")
    if (OFFER_BLOCKED.test(clause) || /[不没别莫甭]|刚才|刚刚/.test(m0)) return false
    // 我哪有那闲工夫给您查: help denied by a rhetorical question earlier in its clause (the occurrence's own words too).
    if (/哪有|哪来|哪能|没空|没工夫|没时间/.test(whole)) return false
    // 我给您升级也没用, 给您讲为什么也没用: help called useless in the same breath is none.
    if (/^[^,.!?;]{0,4}(也|都)(没用|没有用|白搭|一样|不行|办不了|改不了)/.test(t.slice(a + m0.length))) return false
    // 工号给你报上: the agent's own ID handed over for the complaint helps with nothing.
    if (/工号/.test(t.slice(this.clauseStart(a), this.clauseEnd(a)))) return false
    // A past act named by a 的-clause (是哪个营业员给您开的, 上次帮您办的) offers nothing now.
    if (/^的/.test(t.slice(a + m0.length))) return false
    // An echo or a question (给你免单?) offers nothing; nor a check already made (我帮您查了, 刚帮您看过).
    const e = this.clauseEnd(a + m0.length)
    if (t[e] === '?' || /(查|看|问|核实|确认|算)$/.test(m0) && /^(一下)?[了过]/.test(t.slice(a + m0.length))) return false
    return true
  }

  /**
   * The agent apologises in the utterance, before the occurrence or up to the end of the next sentence,
   * or owns the misunderstanding there (我刚讲得有点快, 可能当时没讲清楚) outside the occurrence's words.
   */
  apology(o: Occurrence): boolean {
    const t = this.norm.text
    const end = this.sentenceEnd(o.end)
    const next = end < t.length ? this.sentenceEnd(end + 1) : end
    const scope = t.slice(0, next)
    if (APOLOGY.test(scope)) return true
    const own = OWN_FAULT.exec(scope)
    return own !== null && (own.index >= o.end || own.index + own[0].length <= o.start)
  }

  /** The occurrence is the question embedded after a verb of finding out (…,看能不能快点; 我问问能不能给您办). */
  seeWhether(o: Occurrence): boolean {
    const t = this.norm.text
    const m = SEE_WHETHER.exec(t.slice(this.clauseStart(o.start), o.end))
    return m !== null && this.clauseStart(o.start) + m.index + m[0].length <= o.end
  }

  /**
   * The customer is left a free choice among what is offered: a choosing verb right after the occurrence
   * (随便您挑, 随您定), or an alternative (A还是B) in its clause with "either way" in its sentence (都随您, 哪边都一样).
   */
  choice(o: Occurrence): boolean {
    const t = this.norm.text
    if (CHOICE_VERB.test(t.slice(o.end))) return true
    const clause = t.slice(this.clauseStart(o.start), this.clauseEnd(o.end))
    return /还是/.test(clause) && EITHER_WAY.test(t.slice(o.end, this.sentenceEnd(o.end)))
  }

  /**
   * The occurrence modifies a noun (不行的地方您随时告诉我, 不清楚的条款我发给您): a 的-phrase naming which
   * thing, not a predicate said to the customer. From the segmenter: 的 right after it and a noun word right
   * after 的 in the same clause; 的话 is a condition and a 的 ending its clause (是不行的) stays a predicate.
   */
  attributive(o: Occurrence): boolean {
    const t = this.norm.text
    const m = /^\s?的/.exec(t.slice(o.end))
    if (m === null || t.startsWith('的话', o.end + m[0].length - 1)) return false
    const at = o.end + m[0].length
    const next = this.sentenceWords(o.start).find((w) => w.start === at)
    // A content noun of two characters at least: a filler after 的 (不行的额嗯) is no head.
    return next !== undefined && NOUN_TAG.test(next.tag) && next.word.length >= 2 && !OUTCOME_HEAD.test(next.word)
  }

  /**
   * 不行 said of a way of doing it, not of the customer's request: how the customer does it (您这样操作不行, 得先…),
   * one step alone with what else it takes after (光换路由器不行, 线路也要一起查), or with another option put to the
   * customer after it (晚上十点以后不行, 您看明天上午可以吗).
   */
  wayJudged(o: Occurrence): boolean {
    const t = this.norm.text
    const before = t.slice(this.clauseStart(o.start), o.start)
    if (METHOD_BEFORE.test(before)) return true
    const end = this.sentenceEnd(o.end)
    if (ALONE_BEFORE.test(before) && ALSO_NEEDED.test(t.slice(o.end, end))) return true
    return ALTERNATIVE_AFTER.test(t.slice(o.end, end))
  }

  /** The not-knowing is told it does not matter in its clause (不知道怎么操作没关系, 不清楚也很正常). */
  reassured(o: Occurrence): boolean {
    return REASSURED_AFTER.test(this.norm.text.slice(o.end, this.clauseEnd(o.end)))
  }

  /** The occurrence's count of times is the trigger of what then happens (说了三次密码都不对就会锁卡): a rule, no reproach. */
  countedTrigger(o: Occurrence): boolean {
    const t = this.norm.text
    const after = t.slice(o.end, this.sentenceEnd(o.end))
    // The count in the occurrence or right after it (同样的问题问了 + 好几次的话).
    return COUNT.test(t.slice(o.start, o.end) + after.slice(0, 4)) && TRIGGERED_AFTER.test(after)
  }

  /** The utterance tells the customer there is no hurry (UNHURRIED): it hurries nobody. */
  unhurried(): boolean {
    return UNHURRIED.test(this.norm.text)
  }

  /** The occurrence is the question embedded after a polite opener to the customer (不知道您…了没有, 请问您…). */
  wondered(o: Occurrence): boolean {
    return WONDERED_BEFORE.test(this.norm.text.slice(this.clauseStart(o.start), o.start))
  }

  /**
   * Another operator is the topic of the occurrence's clause (别的运营商的事情我不太了解, 我不清楚联通的资费): not knowing
   * a rival's business refuses the customer nothing the agent should know.
   */
  rivalTopic(o: Occurrence): boolean {
    const t = this.norm.text
    return RIVAL.test(t.slice(this.clauseStart(o.start), o.start)) || RIVAL.test(t.slice(o.end, this.clauseEnd(o.end)))
  }

  /**
   * The occurrence opens the clause right after the customer's own wish as a condition (您要是觉得不合适, 咱们就先不办;
   * 如果您不想改, 那就不改了): the customer decides, the agent's "not doing it" refuses nothing. Only for a refused
   * action: a dare or a send-off after 您要是不满意 is still one.
   */
  wishCondition(o: Occurrence): boolean {
    return WISH_ANTECEDENT.test(this.norm.text.slice(this.sentenceStart(o.start), o.start))
  }

  /**
   * A past not-knowing owned as the agent's side's fault: a past time frame before the occurrence in its sentence
   * (我当时也不知道还有最低消费, 我刚来那会儿也不清楚) and an apology or the misunderstanding owned in the utterance
   * (对不起, 是我们没跟您解释到位). The agent confesses what it did not know then; it refuses no answer now.
   */
  pastIgnorance(o: Occurrence): boolean {
    const t = this.norm.text
    // Unaware of what the customer had already done (是我们这边不知道您换了地址, 没及时更新): the agent's side owns a
    // lapse, it refuses no answer; not a wh-question left unanswered (我不知道您办了什么).
    const known = t.slice(o.end, this.clauseEnd(o.end))
    if (this.subject(o) === 'agent' && CUSTOMER_DID.test(known) && !/(什么|啥|哪|谁|多少|怎么|为什么|为啥|几)/.test(known)) return true
    // The frame may open the sentence (之前没核实清楚, 我也不知道会扣这么多).
    if (!PAST_FRAME.test(t.slice(this.sentenceStart(o.start), o.start))) return false
    // Read up to the end of its own sentence only, so a partial is settled when that sentence ends.
    const scope = t.slice(0, this.sentenceEnd(o.end))
    const own = OWN_FAULT.exec(scope)
    return APOLOGY.test(scope) || (own !== null && (own.index >= o.end || own.index + own[0].length <= o.start))
  }

  /**
   * The occurrence is what a third party said, relayed by the agent (售后部门那边说不行, 物业不让进,说不行): the saying
   * verb's subject earlier in the clause, or, for a clause opening with 说, in the clause before it.
   */
  thirdPartySaid(o: Occurrence): boolean {
    const t = this.norm.text
    const clauseFrom = this.clauseStart(o.start)
    const before = t.slice(clauseFrom, o.start)
    const m = THIRD_SAYER.exec(before) ?? PARTY_SUBJECT.exec(before)
    if (m !== null) return !AGENT_SIDE_BEFORE.test(before.slice(0, m.index)) && !/^(我们|我|咱们|咱)/.test(before.slice(m.index))
    // 物业不让进, 说不行: the clause opens with the verb of saying, its subject in the clause before.
    if (/^\s*(也|还|就)?(说|讲)/.test(before) && clauseFrom > 0) {
      const prevFrom = this.clauseStart(clauseFrom - 1)
      if (prevFrom < this.sentenceStart(o.start)) return false
      const prev = t.slice(prevFrom, clauseFrom - 1)
      return /^\s*(他|她|他们|她们|对方|人家|师傅|物业|银行|快递|厂家|商家|售后|财务|[^,.!?;]{0,4}(部|部门|那边|公司|人|员))/.test(prev) && !/^\s*(我|咱)/.test(prev)
    }
    return false
  }

  /** The agent's side owns the fault in the occurrence's sentence or the next (这是我们的问题, 是我们的疏忽). */
  ownFault(o: Occurrence): boolean {
    const t = this.norm.text
    const end = this.sentenceEnd(o.end)
    const next = end < t.length ? this.sentenceEnd(end + 1) : end
    const m = OWN_SIDE_FAULT.exec(t.slice(this.sentenceStart(o.start), next))
    if (m === null) return false
    const at = this.sentenceStart(o.start) + m.index
    return at >= o.end || at + m[0].length <= o.start
  }

  /**
   * A decision explained politely (the refusal that follows from it refuses nothing bluntly): the agent apologised
   * before the occurrence in the utterance, and its sentence, outside its own words, gives the reason or what it takes.
   */
  explained(o: Occurrence): boolean {
    const t = this.norm.text
    if (!APOLOGY.test(t.slice(0, o.start))) return false
    const from = this.sentenceStart(o.start)
    return REASON.test(t.slice(from, o.start)) || REASON.test(t.slice(o.end, this.sentenceEnd(o.end)))
  }

  /**
   * The occurrence judges what the customer can do (小孩都会, 这还用教): it names an ability and no understanding, and
   * nor does its sentence (这个还用我教您 after 合约机什么意思 taunts the understanding).
   */
  abilityOnly(o: Occurrence): boolean {
    const t = this.norm.text
    const own = t.slice(o.start, o.end)
    if (!ABILITY_WORD.test(own) || UNDERSTANDING.test(own)) return false
    return !UNDERSTANDING.test(t.slice(this.sentenceStart(o.start), this.sentenceEnd(o.end)))
  }

  /** The utterance, outside the occurrence, says why shouting at the agent changes nothing (FUTILITY_GROUNDS). */
  futilityGrounded(o: Occurrence): boolean {
    const t = this.norm.text
    return FUTILITY_GROUNDS.test(t.slice(0, o.start)) || FUTILITY_GROUNDS.test(t.slice(o.end))
  }

  /**
   * The occurrence starts inside a word of the segmentation that is an adverb (快 of 尽快: as soon as possible, said
   * for the customer, no hurrying): that word is what was said.
   */
  splitWord(o: Occurrence): boolean {
    for (const w of this.sentenceWords(o.start)) if (w.start < o.start && o.start < w.start + w.word.length && w.tag === 'd') return true
    return false
  }

  /** A count of times in an utterance that names no saying or asking, only the customer's mistake (SAYING, MISTAKE). */
  countOfMistakes(o: Occurrence): boolean {
    const t = this.norm.text
    const own = t.slice(o.start, o.end)
    if (!COUNT.test(own) || SAYING.test(own)) return false
    const rest = t.slice(0, o.start) + ',' + t.slice(o.end)
    return !SAYING.test(rest) && MISTAKE.test(rest)
  }

  /** Whether the named context feature clears (holds for) the occurrence. */
  holds(feature: ContextFeature, o: Occurrence): boolean {
    switch (feature) {
      case 'question':
        return this.question(o)
      case 'wonder_whether':
        return this.wonderWhether(o)
      case 'condition':
        return this.condition(o)
      case 'reported':
        return this.reported(o)
      case 'not_agent_subject': {
        const s = this.subject(o)
        return s === 'customer' || s === 'third' || s === 'thing'
      }
      case 'thing_subject':
        // …送不了您, …开不了给你: the customer as the object makes it an action refused them, not a thing that fails.
        // 号码改不了, 漫游费减不了, 电话里办不了: a service action the agent's side cannot do has the thing as its
        // patient (or its place), not as what fails.
        return this.thingSubject(o) && !/^[您你](?!们?的)/.test(this.norm.text.slice(o.end)) && !AGENTIVE_NEGATED.test(this.norm.text.slice(o.start, o.end))
      case 'on_behalf':
        return this.onBehalf(o)
      case 'customer_subject':
        return this.subject(o) === 'customer'
      case 'agent_subject':
        return this.subject(o) === 'agent'
      case 'follow_up':
        return this.followUp(o)
      case 'not_a_threat':
        return this.notAThreat(o)
      case 'after_threat':
        return this.afterThreat
      case 'self_correction':
        return this.selfCorrection(o)
      case 'offer':
        return this.offer(o)
      case 'apology':
        return this.apology(o)
      case 'help_in_sentence':
        // follow_up or offer read in the occurrence's own sentence only (我也不知道为什么, 我马上帮您查): a partial
        // is settled at that sentence's end, so 我不知道。 alone is raised at once.
        return FOLLOW_UP.test(this.norm.text.slice(o.end, this.sentenceEnd(o.end))) || CALLBACK.test(this.norm.text.slice(o.end, this.sentenceEnd(o.end))) || this.offer(o, true)
      case 'agent_or_third_subject': {
        const s = this.subject(o)
        return s === 'agent' || s === 'third'
      }
      case 'third_subject':
        // 让他麻利点儿过去: the agent hurries (or speaks of) someone else for the customer.
        return this.subject(o) === 'third'
      case 'see_whether':
        return this.seeWhether(o)
      case 'choice':
        return this.choice(o)
      case 'offer_repeat': {
        // 我说的很清楚了吗?不清楚我再说: a check of the agent's own explaining, with the offer to say it again.
        const t = this.norm.text
        const end = this.sentenceEnd(o.end)
        return OFFER_REPEAT.test(t.slice(o.end, end < t.length ? this.sentenceEnd(end + 1) : end))
      }
      case 'recommended': {
        // 您去官网看一下,上面有详细的资费: the place is recommended for what it gives the customer, not a send-off.
        const t = this.norm.text
        const end = this.sentenceEnd(o.end)
        return RECOMMENDED.test(t.slice(this.sentenceStart(o.start), end < t.length ? this.sentenceEnd(end + 1) : end))
      }
      case 'attributive':
        return this.attributive(o)
      case 'way_judged':
        return this.wayJudged(o)
      case 'reassured':
        return this.reassured(o)
      case 'unhurried':
        return this.unhurried()
      case 'counted_trigger':
        return this.countedTrigger(o)
      case 'explained':
        return this.explained(o)
      case 'wondered':
        return this.wondered(o)
      case 'rival_topic':
        return this.rivalTopic(o)
      case 'wish_condition':
        return this.wishCondition(o)
      case 'past_ignorance':
        return this.pastIgnorance(o)
      case 'third_party_said':
        return this.thirdPartySaid(o)
      case 'own_fault':
        return this.ownFault(o)
      case 'own_act':
      case 'disowned':
        // A guarantee within the agent's power, or named only to be disowned (features/promise.ts).
        return feature === 'own_act' ? ownActGuarantee(this.norm.text, o.start, o.end) : disownedGuarantee(this.norm.text, o.end)
      case 'customer_declined':
        return this.customerBefore !== undefined && NOT_DOING.test(this.norm.text.slice(o.start, o.end)) && declinesOffer(this.customerBefore)
      case 'ability_only':
        return this.abilityOnly(o)
      case 'futility_grounded':
        return this.futilityGrounded(o)
      case 'split_word':
        return this.splitWord(o)
      case 'count_of_mistakes':
        return this.countOfMistakes(o)
      case 'elsewhere_subject':
        return ELSEWHERE_BEFORE.test(this.norm.text.slice(this.clauseStart(o.start), o.start))
      case 'fault_named': {
        const t = this.norm.text
        return NO_RELATION.test(t.slice(o.start, o.end)) && (CAUSE_NAMED.test(t.slice(0, o.start)) || CAUSE_NAMED.test(t.slice(o.end)))
      }
      case 'customer_decides':
        return CUSTOMER_DECIDES.test(this.norm.text.slice(o.end, this.sentenceEnd(o.end)))
      case 'machine_subject':
        return MACHINE_BEFORE.test(this.norm.text.slice(this.clauseStart(o.start), o.start))
      case 'denied': {
        // 我怎么会不知道呢, 哪能不清楚: the negation denied by a rhetorical 怎么会 asserts the knowing.
        const t = this.norm.text
        const neg = t.indexOf('不', o.start)
        return neg >= 0 && neg < o.end && DENIED_BEFORE.test(t.slice(this.clauseStart(o.start), neg))
      }
    }
  }
}

/** The customer's utterance puts off or declines what was offered (我再想想, 先不办了, 算了). */
function declinesOffer(customerText: string): boolean {
  return DECLINES.test(normalizeWithMap(customerText).text)
}
