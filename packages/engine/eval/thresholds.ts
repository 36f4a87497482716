/**
 * What `pnpm eval` (and the eval test) require of each figure. From issue 10's Done-when; a figure set
 * lower than the issue asks says why next to it.
 */
export interface Thresholds {
  /** forbidden_phrase, after-call report and unretracted live alerts. */
  forbiddenPrecision: number
  forbiddenRecall: number
  /** forbidden_phrase recall by form. */
  exactRecall: number
  noisyRecall: number
  paraphraseRecall: number
  /** Innocent (tricky negative) utterances with a false alarm, all kinds together. */
  innocentFalseAlarmRate: number
  /** Each chapter 8 rule without a rule before (pointing_out_mistake, scolding, sarcasm). */
  chapter8Recall: number
  chapter8Precision: number
  /** internal_disclosure and overpromise (chapter 8 一.4 / chapter 10), each. */
  chapter10Recall: number
  chapter10Precision: number
  greetingAccuracy: number
  closingAccuracy: number
  /** Findings on customer speech other than complaint_risk. */
  customerFindings: number
  /** Calls whose report disagrees with the unretracted live alerts; retractions after their final. */
  disagreeingCalls: number
  lateRetractions: number
}

/** Issue 10's Done-when figures. */
const DONE_WHEN: Thresholds = {
  forbiddenPrecision: 0.97,
  forbiddenRecall: 0.95,
  exactRecall: 0.95,
  noisyRecall: 0.95,
  paraphraseRecall: 0.8,
  innocentFalseAlarmRate: 0.01,
  chapter8Recall: 0.8,
  chapter8Precision: 0.95,
  chapter10Recall: 0.8,
  chapter10Precision: 0.95,
  greetingAccuracy: 0.99,
  closingAccuracy: 0.99,
  customerFindings: 0,
  disagreeingCalls: 0,
  lateRetractions: 0,
}

/**
 * Per set. The dev set (read while building the lexicons and features) meets the Done-when figures.
 * The held-out sets (never read while tuning) do not yet: their thresholds are the figures measured at
 * the last change, rounded down, so CI catches a regression; where lower than the issue asks, the
 * measured figure is beside it. Streaming agreement, retraction timing and customer speech hold everywhere.
 */
export const THRESHOLDS: Record<'dev' | 'holdout' | 'blind2' | 'blind3' | 'blind4' | 'blind5' | 'blind6' | 'blind7' | 'blind8' | 'blind9' | 'tune8' | 'tune9' | 'tune9c' | 'tune9d' | 'tune10n' | 'tune10i' | 'tune11c' | 'tune11g' | 'tune11f' | 'tune12m' | 'tune13b' | 'tune13a' | 'tune13c' | 'samples', Thresholds> = {
  // The chapter 8 acts and disclosure/overpromise hold more on dev (about 40 positives per chapter 8
  // rule in several batches of wording): raised to what dev keeps with a margin.
  dev: { ...DONE_WHEN, chapter8Recall: 0.95, chapter8Precision: 0.97, chapter10Recall: 0.9, chapter10Precision: 0.95 },
  // Measured 2026-12-02 after the act frames and chapter 8 acts: forbidden P 0.968 R 0.909 (60/66),
  // paraphrase 0.813, exact and noisy 1.0, innocent false alarms 0/80; pointing_out_mistake R 0.667,
  // scolding 1.0, sarcasm R 0.667 at P 0.80 (one false alarm in five); internal_disclosure R 0.857,
  // overpromise 1.0; greeting 0.975 (one call of 40).
  // Session 5 (frames by act, tuned on the writers' lines; holdout never read): forbidden P 0.969 -> 0.925
  // (false alarms 2 -> 5), R 0.939 kept, innocent false alarms 0/76 -> 1/76. Lowered to the measured figures:
  // a precision cost taken knowingly for recall on wording nobody tuned for (held-back writers R 0.596 ->
  // 0.737 with fewer false alarms, blind3 R 0.794 -> 0.844, blind4 R 0.832 -> 0.846).
  holdout: {
    ...DONE_WHEN,
    forbiddenPrecision: 0.92,
    // Session 6: R 0.939 -> 0.955, paraphrase 0.906 (guards raised to the measured figures).
    forbiddenRecall: 0.95,
    paraphraseRecall: 0.9,
    innocentFalseAlarmRate: 0.014,
    chapter8Recall: 0.66,
    chapter8Precision: 0.8,
    chapter10Recall: 0.85,
    // Session 14 (fc14's secrecy frames): internal_disclosure 7/0 -> 7/1 here, pooled over the eight held-out sets
    // 116/3 -> 121/3 (five more found, no false alarm more), the held-back writers 85 -> 90 of 107: kept, guard lowered.
    chapter10Precision: 0.87,
    greetingAccuracy: 0.97,
  },
  // The second blind set (data/blind2/SOURCE.md), 60 calls, measured held-out 2026-12-02 after that day's
  // tuning: forbidden P 0.857 R 0.823 (102/124), exact 0.975, noisy 0.92, paraphrase 0.716, innocent false
  // alarms 15/205 (7.3 %); pointing_out_mistake P 0.889 R 0.615, scolding P 0.727 R 0.333, sarcasm P 0.40
  // R 0.083; internal_disclosure P 0.833 R 0.50, overpromise P 0.778 R 0.70; greeting 0.983, closing 0.933.
  // From 2026-12-02 blind2 is TUNING material (blind3 is the held-out set). forbidden_phrase (detect-forbidden:
  // errors grouped by kind, fixed by features and frames checked on fresh dev calls 300-322): P 0.976
  // R 0.984 (122/124), exact 1.0, noisy 0.96, paraphrase 0.985. The chapter 8 acts, disclosure, overpromise,
  // greeting and closing (detect-ch8): pointing_out_mistake P 0.926 R 0.962, scolding P 1.0 R 0.958, sarcasm
  // P 1.0 R 0.833; internal_disclosure and overpromise P 1.0 R 1.0; greeting and closing 1.0. Both merged:
  // innocent false alarms 0/205.
  blind2: {
    ...DONE_WHEN,
    forbiddenPrecision: 0.97,
    forbiddenRecall: 0.98,
    exactRecall: 0.99,
    noisyRecall: 0.96,
    paraphraseRecall: 0.98,
    innocentFalseAlarmRate: 0.01,
    chapter8Recall: 0.83,
    chapter8Precision: 0.92,
    chapter10Recall: 0.95,
    chapter10Precision: 0.95,
  },
  // The third blind set (data/blind3/SOURCE.md), 70 calls, written blind on 2026-12-02 (session 3) while
  // blind2's errors were analysed, never read by anyone tuning. Before that tuning (1c804a7) -> after it:
  // forbidden P 0.894 -> 0.903, R 0.780 -> 0.794 (112/141), exact 0.971, noisy 0.931, paraphrase 0.659 ->
  // 0.683, innocent false alarms 10/245 -> 8/245 (3.3 %); pointing_out_mistake P 0.933 -> 0.938, R 0.800 ->
  // 0.857; scolding P 0.692 -> 0.714, R 0.265 -> 0.294; sarcasm P 1.0 -> 0.938, R 0.441 -> 0.441;
  // internal_disclosure P 0.917 -> 0.933, R 0.579 -> 0.737; overpromise P 1.0, R 0.778 -> 0.833;
  // complaint_risk P 0.70 -> 0.72; greeting 0.986 -> 1.0, closing 1.0. Tuning that took blind2 to the
  // aims moved these little: wording the frames and lexicons do not reach. Session 5 (frames by act,
  // tuned on the writers' lines): forbidden P 0.908, R 0.844, paraphrase 0.768.
  blind3: {
    ...DONE_WHEN,
    // Session 9 (prec9, ch8r9 merged): guards raised to the figures measured after the merge.
    forbiddenPrecision: 0.92,
    // Session 6: R 0.844 -> 0.879, paraphrase 0.768 -> 0.829, P 0.908 -> 0.912 (guards raised).
    forbiddenRecall: 0.9,
    exactRecall: 0.97,
    noisyRecall: 0.96,
    paraphraseRecall: 0.82,
    innocentFalseAlarmRate: 0.035,
    // Session 9 (ch8r9's structure features): scolding R 0.412 -> 0.559 at P 0.737 -> 0.704, sarcasm R 0.471 -> 0.500;
    // the precision guard follows the measured figure down, the recall guard up.
    chapter8Recall: 0.49,
    chapter8Precision: 0.7,
    // Session 13: the sentence scorer on for scolding, sarcasm and internal_disclosure (retrained on four more tuning sets): internal_disclosure R 0.842 -> 0.889, P 0.941 -> 0.947.
    chapter10Recall: 0.88,
    chapter10Precision: 0.93,
  },
  // The fourth blind set (data/blind4/SOURCE.md), 60 calls written blind on 2026-12-02 (session 4) before the
  // writers' training lines were tuned on. Measured on main at its arrival (before that tuning): forbidden
  // P 0.908 R 0.832 (119/143), exact 1.0, noisy 0.833, paraphrase 0.762, innocent false alarms 3.5 %;
  // pointing_out_mistake P 0.917 R 0.688; scolding P 0.786 R 0.344; sarcasm P 1.0 R 0.419; internal_disclosure
  // P 0.941 R 0.533; overpromise P 1.0 R 0.935; complaint_risk P 0.667; greeting 1.0; closing 0.733 (44/60):
  // all 16 disagreements are calls the customer hung up on without the agent having offered further help,
  // which the writer counts as not closed and issue 10 (and the engine) excuse: a label question, not tuned.
  // Session 5 (frames by act, tuned on the writers' lines): forbidden P 0.903 R 0.846, exact 0.972 (one exact
  // form of 36 lost), noisy 0.867, paraphrase 0.787.
  // Session 6 (forbidden acts in other words, tuned on the writers' lines and dev/blind2; blind4 never read):
  // forbidden P 0.903 -> 0.904, R 0.846 -> 0.853, paraphrase 0.787 -> 0.813, noisy 0.867 -> 0.833 (one noisy
  // form of 30 lost), innocent false alarms 3.5 % -> 3.8 % (one more). Noisy and innocent lowered to the
  // measured figures: a cost taken knowingly for paraphrase recall on all three blind sets (holdout 0.906,
  // blind3 0.768 -> 0.829, blind4 0.813) and the held-back writers (R 0.737 -> 0.784).
  blind4: {
    ...DONE_WHEN,
    // Session 9 (prec9, ch8r9 merged): guards raised to the figures measured after the merge.
    forbiddenPrecision: 0.9,
    forbiddenRecall: 0.86,
    exactRecall: 0.95,
    noisyRecall: 0.9,
    paraphraseRecall: 0.81,
    innocentFalseAlarmRate: 0.039,
    chapter8Recall: 0.43,
    // After session 13's merges: chapter 8 precision 0.824 -> 0.875 (fa13: a scolding false alarm fewer).
    chapter8Precision: 0.87,
    // Session 13: the sentence scorer on for scolding, sarcasm and internal_disclosure (retrained on four more tuning sets): internal_disclosure R 0.567 -> 0.867 (17 -> 26 of 30), P 0.944 -> 0.963.
    chapter10Recall: 0.86,
    chapter10Precision: 0.94,
    closingAccuracy: 0.73,
  },
  // The fifth blind set (data/blind5/README.md), 60 calls written blind on 2026-12-03 (session 7) by a helper
  // who read only the handbook, FORMAT.md and issue 10 (no code, no other set). Measured on main before and
  // after the session's detection merges, its utterances never read: forbidden P 0.886 R 0.972 both times
  // (exact 1.0, noisy 0.933, paraphrase 0.976; 9 false alarms, 5 of 117 innocent uses = 4.3 %); the chapter 8
  // merge moved pointing_out_mistake P 0.929 -> 0.867 (R 0.813), sarcasm R 0.533 -> 0.600 (P 0.75),
  // internal_disclosure R 0.778 -> 1.0, overpromise R 0.889 -> 1.0; scolding P 0.786 R 0.688; complaint_risk
  // P 0.545 R 0.923; greeting 1.0; closing 0.867 (all 8 disagreements customer hang-ups, the label question of
  // blind4). Set to the measured figures: guards, not aims (issue 10's aims are DONE_WHEN).
  blind5: {
    ...DONE_WHEN,
    forbiddenPrecision: 0.88,
    forbiddenRecall: 0.97,
    noisyRecall: 0.93,
    innocentFalseAlarmRate: 0.044,
    // Session 13: the sentence scorer on for scolding, sarcasm and internal_disclosure (retrained on four more tuning sets): sarcasm R 0.600 -> 0.667.
    chapter8Recall: 0.66,
    chapter8Precision: 0.75,
    chapter10Recall: 1,
    chapter10Precision: 1,
    closingAccuracy: 0.86,
  },
  // The sixth blind set, 50 calls written blind on 2026-12-03 (session 8) by a helper who read only the
  // handbook's chapter 8 and FORMAT.md (lines drawn from pools: some calls do not hang together). Measured once
  // on main after the session's merges, never read: forbidden P 0.940 R 0.913 (exact 1.0, noisy 0.765,
  // paraphrase 0.913), innocent false alarms 4/153 = 2.6 %; pointing 0.750/1.0, scolding 0.867/0.867, sarcasm
  // 0.800/0.800, disclosure, overpromise and complaint risk 1.0/1.0; greeting and closing 1.0. Guards at the
  // measured figures, not aims.
  blind6: {
    ...DONE_WHEN,
    // Session 9 (prec9, ch8r9 merged): guards raised to the figures measured after the merge. Session 10
    // (innoc10 merged): forbidden P 0.941 -> 0.970 (64/66), innocent false alarms 4/153 -> 2/153.
    // Session 14 (fb14): one forbidden false alarm fewer, 0.970 -> 0.985.
    forbiddenPrecision: 0.98,
    forbiddenRecall: 0.92,
    noisyRecall: 0.82,
    innocentFalseAlarmRate: 0.014,
    chapter8Recall: 0.8,
    // After session 13's merges: chapter 8 precision 0.750 -> 0.789 (fa13).
    chapter8Precision: 0.78,
    chapter10Recall: 1,
    chapter10Precision: 1,
    closingAccuracy: 1,
  },
  // Measured on main (4d4d40b) before session 13's merges, the first time it ran: forbidden P 0.944 R 0.944 (51/54),
  // paraphrase 0.875 (21/24), exact and noisy 1.0, innocent false alarms 2/116; pointing_out_mistake R 0.750,
  // scolding P 0.750, sarcasm R 0.857; internal_disclosure R 0.857, overpromise P 0.900; greeting and closing 1.0.
  blind7: {
    ...DONE_WHEN,
    // After session 13's merges: forbidden P 0.944 -> 0.962 (fb13: one look-alike fewer).
    forbiddenPrecision: 0.96,
    forbiddenRecall: 0.94,
    paraphraseRecall: 0.87,
    innocentFalseAlarmRate: 0.018,
    chapter8Recall: 0.75,
    chapter8Precision: 0.75,
    // Session 14 (fc14's secrecy frames): internal_disclosure R 0.857 -> 1.0; overpromise 0.9 is the weaker now.
    chapter10Recall: 0.9,
    chapter10Precision: 0.9,
  },
  // Measured when it first ran, on main with the scorer on for scolding, sarcasm and internal_disclosure (on 9fe45ea, before:
  // the same but internal_disclosure R 0.464): forbidden P 0.694 (22 false alarms: 9 on look-alikes, 12 on lines labelled
  // another chapter 8 violation only) R 0.926, paraphrase 0.857, noisy 0.909, innocent false alarms 10/171;
  // pointing_out_mistake R 0.349 (15/43), scolding P 0.793, sarcasm R 0.414; internal_disclosure R 0.750, overpromise R 0.609.
  blind8: {
    ...DONE_WHEN,
    // After session 13's merges: pointing_out_mistake R 0.349 -> 0.414 (fa13), overpromise R 0.609 -> 0.739 (fc13's promise half).
    // Session 14 (fb14): forbidden P 0.694 -> 0.714 (two false alarms fewer).
    forbiddenPrecision: 0.71,
    forbiddenRecall: 0.92,
    noisyRecall: 0.9,
    paraphraseRecall: 0.85,
    innocentFalseAlarmRate: 0.059,
    chapter8Recall: 0.41,
    chapter8Precision: 0.8,
    chapter10Recall: 0.73,
    chapter10Precision: 1,
  },
  // Measured when it first ran, on main 90cebc1 (session 13's engine): forbidden P 0.836 (10 false alarms: 4 on lines labelled
  // scolding only, 2 pointing_out_mistake, 1 overpromise, 3 innocent) R 0.895 (51/57), paraphrase 0.800, exact and noisy 1.0,
  // innocent false alarms 4/183; pointing_out_mistake R 0.625 P 0.870, scolding R 0.576, sarcasm R 0.273 (9/33) P 0.900;
  // internal_disclosure R 0.905, overpromise R 0.696 P 0.941; greeting and closing 1.0.
  blind9: {
    ...DONE_WHEN,
    forbiddenPrecision: 0.83,
    forbiddenRecall: 0.89,
    paraphraseRecall: 0.8,
    innocentFalseAlarmRate: 0.022,
    chapter8Recall: 0.27,
    chapter8Precision: 0.86,
    chapter10Recall: 0.69,
    chapter10Precision: 0.94,
  },
  // Written blind in session 8 (prec8) before the lexicons were read; tuning material, held to the Done-when figures.
  // Before -> after (2732368): forbidden P 0.911 -> 1.0, R 0.976 -> 1.0 (42/42), innocent false alarms 4/96 -> 0/96.
  tune8: DONE_WHEN,
  // Written blind in session 9 (prec9) before the lexicons were read; tuning material. It labels forbidden_phrase
  // only: the other rules' findings on its violations (a taunt is scolding too) count as false alarms there, so
  // their precision is not guarded here; innocent false alarms at the measured 4/117, all internal_disclosure or
  // overpromise (接口超时, 我帮您免费升到三百兆), none forbidden_phrase.
  // Before -> after (prec9): forbidden P 0.877 -> 1.0, R 0.955 -> 1.0 (67/67), noisy 0.939 -> 1.0 (33/33),
  // forbidden_phrase false alarms on its innocents 9/117 -> 0/117.
  tune9: { ...DONE_WHEN, innocentFalseAlarmRate: 0.035, chapter8Precision: 0, chapter10Precision: 0 },
  // Written blind in session 9 (ch8r9) before the rules were read; tuning material, no forbidden or disclosure positives.
  // Before -> after (ch8r9): pointing P 0.824 -> 0.897 R 0.778 -> 0.972, scolding P 0.955 -> 0.979 R 0.429 -> 0.959,
  // sarcasm P 0.933 -> 0.977 R 0.304 -> 0.935. P 0.89: 4 lines name a mistake inside irony or a rebuke, labelled for that act only.
  tune9c: { ...DONE_WHEN, forbiddenPrecision: 0, chapter8Recall: 0.93, chapter8Precision: 0.89, chapter10Precision: 0 },
  // Written blind in session 9 (disc9) before the rules were read; tuning material for chapter 10's two rules
  // (no forbidden or chapter 8 positives). Measured on main as it landed: internal_disclosure P 1.0 R 0.489
  // (23/47), overpromise P 1.0 R 0.838 (31/37), innocent false alarms 1/103. disc9's tuning took both to 1.0
  // here but cost held-out disclosure precision (holdout 1.0 -> 0.875, blind3 0.941 -> 0.850, blind5 1.0 -> 0.900;
  // recall blind4 0.567 -> 0.700), so it did not land; the guards hold today's figures.
  // Session 13: the sentence scorer is trained on this set (with tune9c, tune11c, tune12m) and on for internal_disclosure,
  // so its disclosure figure is in-sample; overpromise (frames only) was the weakest, R 0.838, and is 1.0 (37/37) after
  // fc13's features/promise.ts and frames (session 13); disclosure R 0.979.
  tune9d: { ...DONE_WHEN, forbiddenPrecision: 0, chapter8Precision: 0, chapter10Recall: 0.97, innocentFalseAlarmRate: 0.015 },
  // Written blind in session 10 (noisy10) before the matcher's noise handling was read; tuning material. It labels
  // forbidden_phrase (and the customers' complaint threats) only: chapter 8 and 10 precision are not guarded here.
  // Before -> after (noisy10): forbidden P 1.0 -> 1.0, noisy R 0.932 -> 0.986 (73/74; the one left, 不能给你退,违约金是
  // 合同里写的, is cleared by its context exactly as the unheard 不能给您退 is), innocent false alarms 0/50 -> 0/50.
  tune10n: { ...DONE_WHEN, chapter8Precision: 0, chapter10Precision: 0 },
  // Written blind in session 10 (innoc10) from the handbook and issue 10's list of innocent kinds, before the features
  // were read; tuning material labelling forbidden_phrase only (one pointing_out_mistake finding on an unlisted line).
  // Before -> after (innoc10): forbidden P 0.911 -> 1.0, R 0.891 -> 0.978 (45/46), paraphrase 0.853 -> 0.971,
  // innocent false alarms 4/98 -> 0/98 (on_behalf 1/17, own_error_admitted 2/5, third_party 1/15 -> 0).
  tune10i: { ...DONE_WHEN, forbiddenRecall: 0.97, paraphraseRecall: 0.97, chapter8Precision: 0, chapter10Precision: 0 },
  // Written blind in session 11 (closing11) from the handbook's 问候语/结束语/祝愿语 before the greeting and closing rules
  // were read; tuning material labelling greeted/closingOk (one sarcastic farewell and one complaint threat the only
  // utterance positives): held to the Done-when greeting and closing accuracy; the other rules' precision is not guarded here.
  // Before -> after (closing11): greeting 0.961 -> 1.0 (74 -> 77/77), closing 0.935 -> 1.0 (72 -> 77/77).
  tune11g: { ...DONE_WHEN, forbiddenPrecision: 0, chapter8Precision: 0, chapter10Precision: 0 },
  // Written blind in session 11 (ch8r11) before the chapter 8 rules were read. It labels the chapter 8 rules (and the two
  // repetition reproaches and four complaint threats in its calls): forbidden and chapter 10 precision are not guarded here.
  // The engine was NOT tuned on it: the helper's frames for it reached 0.92-0.96 recall here but moved no held-out figure
  // (and fresh batches written after them scored exactly as main before tuning), so they were left out. Measured on main:
  // pointing_out_mistake P 0.818 R 0.720, scolding P 1.0 R 0.600, sarcasm P 0.958 R 0.885 (issue 10 asks 0.8 at 0.95:
  // not met), innocent look-alikes flagged 5/125 (4.0 %: the Done-when's 1 % not met); held here at those, rounded down.
  tune11c: { ...DONE_WHEN, forbiddenPrecision: 0, chapter10Precision: 0, chapter8Recall: 0.6, chapter8Precision: 0.81, innocentFalseAlarmRate: 0.04 },
  // Written blind in session 11 (forb11) from the handbook's chapter 8 and the kinds, before the rule was read;
  // labels forbidden_phrase only, so the other chapter 8 rules' precision is not judged here. The engine was NOT tuned on
  // it: the helper's eleven commits for it reached 1.0 / 1.0 here but moved no held-out figure (blind3 +1 hit, blind4 -1,
  // innocent rates unchanged), so they were left out. Measured on main, blind: P 0.990, R 0.932 (exact 0.938, noisy 1.0,
  // paraphrase 0.924), look-alikes flagged 4/153 (2.6 %): recall and the innocent rate short of issue 10; held at those.
  tune11f: { ...DONE_WHEN, forbiddenRecall: 0.93, exactRecall: 0.93, innocentFalseAlarmRate: 0.027, chapter8Precision: 0, chapter10Precision: 0 },
  // Written blind in session 12 (lead) before the pointing_out_mistake act was read; labels the chapter 8 rules (and one
  // complaint threat). Before -> after (the omission's subject: a state of the customer's thing is no mistake):
  // pointing_out_mistake P 0.909 -> 1.0, R 0.909 (10/11; 您自己订的业务,怎么能怪我们呢 is scolding only), innocent false
  // alarms 1/21 -> 0/21. Forbidden precision is not guarded here (one finding, 快递一直送不到 read as a refusal: left open).
  tune12m: { ...DONE_WHEN, forbiddenPrecision: 0, chapter8Recall: 0.9, chapter8Precision: 0.97, chapter10Precision: 0 },
  // Written blind in session 13 (fb13) from the handbook's 服务忌语 and issue 10 before the forbidden_phrase rule was read;
  // labels forbidden_phrase (and the complaint threats, one guarantee and four scoldings beside taunts): the other rules'
  // precision is not guarded here. Before -> after (the way on as features: a call back, any verb after 帮您/给您, a
  // decision explained politely; the verb topic past 肯定; frames for the doubled potential, rivals to pick, …):
  // forbidden P 0.941 -> 1.0, R 0.941 -> 0.992 (118/119; 等着就等着 left: its frame cost blind2 two false alarms),
  // paraphrase 0.896 -> 0.985, look-alikes flagged 9/185 -> 1/185 (the one: internal_disclosure on 两家的积分系统不通).
  tune13b: { ...DONE_WHEN, forbiddenPrecision: 0.99, forbiddenRecall: 0.99, paraphraseRecall: 0.98, chapter8Recall: 0.9, chapter8Precision: 0, chapter10Recall: 0.9, chapter10Precision: 0 },
  // Written blind in session 13 (fa13) before the chapter 8 rules and acts were read: 56 calls, 356 labelled agent utterances
  // (39 pointing_out_mistake, 39 scolding, 27 sarcasm, 254 innocent look-alikes by kind) and 10 customer complaint threats.
  // Before -> after, on the blind labels: pointing_out_mistake P 0.889 R 0.865, scolding P 0.789 R 0.833, sarcasm P 0.958
  // R 0.821, innocent false alarms 3.5 %; on the labels brought to the sets' conventions (the next two commits: complaint
  // threats, both-rule lines as dev labels them): pointing_out_mistake P 0.917 -> 1.0, R 0.868 -> 1.0; scolding P 0.921 ->
  // 1.0, R 0.875 -> 1.0; sarcasm P 0.958 -> 1.0, R 0.852 -> 1.0; innocent false alarms 8/254 -> 3/254 (the three left are
  // forbidden_phrase, internal_disclosure and overpromise findings). By features: a reproachful question says the mistake,
  // an indefinite, a concession or a supposed slip lays none, an offer of further help reproaches nothing, irony takes
  // 现在知道着急了 from scolding, a negative 的吗/难道 of use or state asks. Forbidden and chapter 10 precision are not
  // guarded here (other helpers' rules; their few lines here are look-alikes). On main with the sentence scorer on for
  // internal_disclosure (session 13): 4/254, one more disclosure look-alike.
  tune13a: { ...DONE_WHEN, forbiddenPrecision: 0, innocentFalseAlarmRate: 0.016, chapter8Recall: 0.97, chapter8Precision: 0.97, chapter10Precision: 0 },
  // Written blind in session 13 (fc13) from the handbook (chapter 8 一.4, chapter 10) and issue 10 before the disclosure
  // and overpromise rules were read; labels those two rules only, so forbidden and chapter 8 precision are not guarded
  // here (办不到 read as a refusal, 您也不负责任 as scolding, on lines labelled for disclosure). Before -> after (who the
  // information belongs to, features/inside.ts; whether the guarantee is the agent's to give, features/promise.ts):
  // internal_disclosure P 0.958 -> 1.0, R 0.404 -> 0.965 (55/57); overpromise P 0.833 -> 0.953, R 0.833 -> 0.976
  // (41/42); look-alikes flagged 7/206 -> 2/206 (肯定能用 of a product fact; the scolding above).
  // Merged without features/inside.ts and the branch's disclosure frames: on the held-out sets they added 5 disclosures
  // and 3 false alarms (two on holdout's look-alikes), short of the bar the sentence scorer met (eval/ACT-SCORER.md);
  // the overpromise half added 3 and none. Disclosure here is main's (frames and scorer): R 0.544.
  tune13c: { ...DONE_WHEN, forbiddenPrecision: 0, chapter8Precision: 0, chapter10Recall: 0.54, chapter10Precision: 0.95, innocentFalseAlarmRate: 0.01 },
  samples: DONE_WHEN,
}
