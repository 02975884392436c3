/**
 * Choosing by the final answers (issue 44): when the question has a final answer, the answer is chosen among the final
 * answers the models state, not among texts. Each distinct referencer model is one vote, weighted by how reliable it
 * is on similar questions (its shrunk share right on the support set); an aggregator adds at most one vote of its own
 * and only for an answer none of its subset's references stated. The answer with the most support wins — unless the
 * bank says routing's top-1 model alone does better: both rules are replayed on the support questions (each with its
 * own labels and the other questions' shares, leave-one-out), and where top-1's answer is right more often there by
 * more than one standard error of the difference, it is the answer. So on similar questions of the bank the rule does
 * worse than top-1 by no more than chance shows, and two weak models overrule a strong one only where their weights,
 * and the bank, say such agreement is right more often. Two rules, not a grid of margins: the fewer the rules
 * compared on a small support set, the less the comparison fits its noise. A reply whose working arrives at the value
 * of the option it picks weighs more (grading/derivedOption, DERIVED_BONUS): its answer was computed, not guessed.
 * Pure.
 */
import { compareFinalAnswers, describeAnswer, type FinalAnswer, type MathEquivalence } from '../grading/finalAnswer';

/** One model's vote: its final answer (null: it states none) and its reliability on similar questions (0..1). */
export interface Voter {
  model: string;
  answer: FinalAnswer | null;
  reliability: number;
  /** An aggregator's vote: the references it aggregated (it adds nothing for an answer one of them stated). */
  subset?: readonly string[];
  /** Its working states the value of the option it picks (grading/derivedOption): its vote weighs DERIVED_BONUS more. */
  worked?: boolean;
}

/** One support question of the bank: its weight (similarity), each model's label, and each model's share without it. */
export interface VoteRow {
  weight: number;
  labels: ReadonlyMap<string, number>;
  reliability: ReadonlyMap<string, number>;
}

export interface VoteInput {
  /** The referencers in routing's order, top-1 (the highest prior) first; aggregators after them. */
  voters: readonly Voter[];
  /** The support questions the margin is chosen on. */
  bank: readonly VoteRow[];
  /** How many answers the question allows (its options; 0 when open): with two, every wrong vote is shared. */
  options: number;
  same?: MathEquivalence;
}

/** The answers the votes split into, the chosen one first. */
export interface AnswerSplit {
  answer: string;
  models: string[];
  support: number;
}

export interface AnswerVote {
  answer: FinalAnswer;
  /** The chosen answer's support: the weight of the votes for it. */
  support: number;
  split: AnswerSplit[];
  /** The bank said top-1's answer is right more often than the vote on similar questions: top-1's answer was kept. */
  fallback: boolean;
  /** The chosen answer is not top-1's. */
  overruled: boolean;
  /** Without DERIVED_BONUS another answer would have been chosen: the replies' working decided. */
  byWorking: boolean;
}

/**
 * P(two wrong replies state the same option): 0.45, measured on MMLU-Pro's published outputs of the seven models of
 * test/fixtures/e2e/mmlu-pro-replay.jsonl (22,747 of 50,772 pairs of wrong predictions, held-out questions left
 * out). A wrong model picks the shared distractor with probability √0.45, so two pick it together 45 % of the time.
 */
export const WRONG_AGREE = 0.45;

/**
 * How much more a vote weighs (in log-odds) when its reply works out the value of the option it picks. Such replies
 * are right more often than their model's share says (gemini-1.5-pro 0.82 against 0.72, Llama-3.1-8B 0.54 against
 * 0.46, on MMLU-Pro's published outputs); 0.5 was chosen on 9,180 questions of those outputs with the held-out sets'
 * questions left out, replaying the vote of each of the 35 trios of the seven models: every bonus from 0.3 to 0.6
 * beats both the majority and the vote without it on all 35 trios, 0.5 in the middle (docs/design-notes.md).
 */
export const DERIVED_BONUS = 0.5;

/**
 * A vote's weight: the log of how much likelier its answer is right than wrong — its odds of being right, over the
 * chance that a wrong model states this particular wrong answer. Wrong answers are not spread evenly over the options:
 * two wrong replies share one WRONG_AGREE of the time (and always, with two options), so a wrong answer is that likely
 * to be shared rather than 1/(options − 1). A model right less often than that counts for nothing. A reply that works
 * out its option's value adds DERIVED_BONUS.
 */
export function voteWeight(reliability: number, options: number, worked = false): number {
  const r = Math.min(0.98, Math.max(0.02, reliability));
  const shared = options === 2 ? 1 : WRONG_AGREE;
  return Math.max(0, Math.log(r / (1 - r)) - Math.log(shared) + (worked ? DERIVED_BONUS : 0));
}

interface Group {
  answer: FinalAnswer;
  models: string[];
  support: number;
}

/** The voters grouped by equal answers, each with its support; aggregators count only for answers no reference of theirs stated. */
function groups(voters: readonly Voter[], options: number, same?: MathEquivalence, working = true): Group[] {
  const out: Group[] = [];
  const find = (answer: FinalAnswer): Group | undefined => out.find((g) => compareFinalAnswers(g.answer, answer, undefined, same) === 1);
  for (const voter of voters) {
    if (voter.answer === null) continue;
    const group = find(voter.answer);
    const echoes = voter.subset !== undefined && group !== undefined && group.models.some((m) => voter.subset?.includes(m));
    const weight = echoes ? 0 : voteWeight(voter.reliability, options, working && voter.worked === true);
    if (group) {
      group.models.push(voter.model);
      group.support += weight;
    } else out.push({ answer: voter.answer, models: [voter.model], support: weight });
  }
  return out;
}

/** The index of the best-supported group (ties: top-1's, then the first). */
function pick(supports: readonly number[], top: number): number {
  let best = top;
  for (const [i, s] of supports.entries()) if (s > (supports[best] ?? 0)) best = i;
  return best;
}

/**
 * How likely the vote gets a support question right, and top-1 (its label): the right models share one answer; each
 * wrong one states the shared distractor with probability √WRONG_AGREE, else an answer of its own.
 */
function rowScores(row: VoteRow, models: readonly string[], options: number): { vote: number; top1: number } | null {
  const labelled = models.filter((m) => (row.labels.get(m) ?? -1) >= 0);
  if (labelled.length < 2 || labelled[0] !== models[0]) return null;
  const weight = (m: string): number => voteWeight(row.reliability.get(m) ?? 0.5, options);
  const wrong = labelled.filter((m) => row.labels.get(m) === 0);
  const right = labelled.filter((m) => row.labels.get(m) === 1);
  const d = Math.sqrt(WRONG_AGREE);
  let vote = 0;
  for (let pattern = 0; pattern < 2 ** wrong.length; pattern++) {
    let p = 1;
    // Group 0: the right answer; group 1: the shared distractor; then one group per wrong model on its own.
    const supports = [right.reduce((s, m) => s + weight(m), 0), 0];
    const groupOf = new Map(right.map((m) => [m, 0]));
    wrong.forEach((m, j) => {
      const shared = (pattern >> j) & 1;
      p *= shared ? d : 1 - d;
      if (shared) supports[1] = (supports[1] ?? 0) + weight(m);
      else supports.push(weight(m));
      groupOf.set(m, shared ? 1 : supports.length - 1);
    });
    if (right.length > 0 && pick(supports, groupOf.get(labelled[0] ?? '') ?? 0) === 0) vote += p;
  }
  return { vote, top1: row.labels.get(labelled[0] ?? '') === 1 ? 1 : 0 };
}

/** What the bank's support questions say of the two rules: each one's similarity-weighted share right, and the standard error of their difference. */
export interface BankComparison {
  vote: number;
  top1: number;
  /** The standard error of top1 − vote (Infinity with less than two questions' worth of weight). */
  standardError: number;
}

/**
 * The vote and top-1 replayed on the bank's support questions (each question a paired comparison of the two rules,
 * similarity-weighted; questions where top-1 and another model are not both labelled are left out).
 */
export function compareOnBank(bank: readonly VoteRow[], models: readonly string[], options: number): BankComparison {
  const paired: { weight: number; vote: number; top1: number }[] = [];
  for (const row of bank) {
    const scores = rowScores(row, models, options);
    if (scores !== null && row.weight > 0) paired.push({ weight: row.weight, ...scores });
  }
  const total = paired.reduce((s, p) => s + p.weight, 0);
  if (!(total > 0)) return { vote: 0, top1: 0, standardError: Infinity };
  const mean = (pick: (p: { vote: number; top1: number }) => number): number => paired.reduce((s, p) => s + p.weight * pick(p), 0) / total;
  const vote = mean((p) => p.vote);
  const top1 = mean((p) => p.top1);
  const squares = paired.reduce((s, p) => s + p.weight * p.weight, 0);
  const effective = (total * total) / squares;
  const spread = paired.reduce((s, p) => s + p.weight * p.weight * (p.top1 - p.vote - (top1 - vote)) ** 2, 0) / (total * total);
  return { vote, top1, standardError: effective > 1 ? Math.sqrt((spread * effective) / (effective - 1)) : Infinity };
}

/**
 * Whether the bank says top-1's answer is right more often than the vote on similar questions: by more than one
 * standard error of the difference (the one-standard-error rule of cross-validation, as the prior shrinkage chooses
 * its α). A smaller lead is mostly what a support set of this size shows by chance: on MMLU-Pro's published outputs
 * the majority of the three usually routed models beats top-1 by 1.5 points (73.3 % against 71.8 % on 10,326
 * questions), a difference 170 support questions cannot see. Replayed on 1,162 tuning questions (six draws), a bare
 * lead sent 420 asks to top-1 and changed 38 answers, 14 to right and 14 to wrong; one standard error sent 76 and
 * changed 8, 5 to right and 1 to wrong (docs/design-notes.md, "Choosing by the final answers").
 */
export function bankPrefersTop1(bank: readonly VoteRow[], models: readonly string[], options: number): boolean {
  const { vote, top1, standardError } = compareOnBank(bank, models, options);
  return top1 - vote > standardError + 1e-9;
}

/**
 * The answer by the votes (see the module comment); null when no referencer states a final answer. Top-1 is the
 * first referencer that states one.
 */
export function voteOnAnswers(input: VoteInput): AnswerVote | null {
  const referencers = input.voters.filter((v) => v.subset === undefined);
  const top = referencers.find((v) => v.answer !== null);
  if (top === undefined) return null;
  const all = groups(input.voters, input.options, input.same);
  const topIndex = all.findIndex((g) => g.models.includes(top.model));
  const fallback = bankPrefersTop1(input.bank, referencers.filter((v) => v.answer !== null).map((v) => v.model), input.options);
  const chosen = fallback ? topIndex : pick(all.map((g) => g.support), topIndex);
  // The groups are the same without the bonus (grouping reads only the answers), so their indices compare.
  const byWorking = !fallback && pick(groups(input.voters, input.options, input.same, false).map((g) => g.support), topIndex) !== chosen;
  const ordered = [all[chosen], ...all.filter((_, i) => i !== chosen).sort((a, b) => b.support - a.support)].filter((g): g is Group => g !== undefined);
  const winner = ordered[0] ?? all[topIndex];
  if (winner === undefined) return null;
  return {
    answer: winner.answer,
    support: winner.support,
    split: ordered.map((g) => ({ answer: describeAnswer(g.answer), models: g.models, support: g.support })),
    fallback,
    overruled: chosen !== topIndex,
    byWorking,
  };
}
