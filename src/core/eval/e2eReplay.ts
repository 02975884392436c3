/**
 * Asking a replay set's questions through the real pipeline, as `smcs eval e2e` does and `smcs bench --stragglers`
 * does again with late models left out: the questions dealt into folds, each fold's bank of the other folds'
 * questions and labels (replay.ts), and one held-out ask whose referencers answer with the recorded replies it is
 * given. An answer is right when it is a right model's reply; beside it, whether the majority of the routed models'
 * final answers is. Pure: the embedder and the check runner are ports.
 */
import { runPipeline } from '../ask/pipeline';
import type { CheckRunner } from '../contracts/checks';
import type { AskResult } from '../contracts/events';
import { DEFAULT_PARAMS, type Embedder } from '../contracts/types';
import { at } from '../util/arrays';
import { finalAnswer, type MathEquivalence } from '../grading/finalAnswer';
import { voteOnAnswers } from '../posterior/answerVote';
import { createRng, shuffled } from '../util/rng';
import type { E2eOutcome, E2eTask } from './e2eEval';
import { MemoryBank, REPLAY_AGGREGATOR, ReplayGateway, type MemoryQuestion } from './replay';
import { answerText } from '../contracts/answer';

/** The seed of the fold shuffle: the folds stay the same whatever seeds the draws use. */
const FOLD_SEED = 0;

/** A set dealt into folds: each question's fold, and each fold's bank (the other folds' questions). */
export interface ReplayFolds {
  foldOf: readonly number[];
  banks: readonly MemoryBank[];
}

/** Embeds the questions and deals them into `folds` folds by a seeded shuffle (the same folds every run). */
export async function replayFolds(tasks: readonly E2eTask[], embedder: Embedder, folds: number): Promise<ReplayFolds> {
  const vectors = await embedder.embed(tasks.map((t) => t.question));
  const foldOf = new Array<number>(tasks.length).fill(0);
  shuffled(tasks.map((_, i) => i), createRng(FOLD_SEED)).forEach((q, position) => {
    foldOf[q] = position % folds;
  });
  const banks = Array.from({ length: folds }, (_, fold) => new MemoryBank(tasks.flatMap((t, i): MemoryQuestion[] => (foldOf[i] === fold ? [] : [{ id: t.id, embedding: at(vectors, i), correct: t.correct }]))));
  return { foldOf, banks };
}

/** How one replayed ask is run. */
export interface ReplayAskOptions {
  k: number;
  n: number;
  kDrop: number;
  /** Seed of the ask's subset draws. */
  seed: number;
  /** Every model of the set, in the set's order (the configured models of the ask). */
  models: readonly string[];
  embedder: Embedder;
  checkRunner: CheckRunner;
  signal: AbortSignal;
  /** The replayed replies come with log-probabilities (replay.ts: unrelated to whether they are right). */
  logprobs?: boolean;
  sameMath?: MathEquivalence;
  /** The agreement shortcut (core/posterior/consensus; `answers`: quality's default scope): fewer aggregations when the referencers agree. */
  agreementShortcut?: boolean | 'answers';
  /** The bank's `near` similarity (MemoryBank.near): a question far from it tries the unprofiled models (routing/exploration). */
  near?: number | null;
}

/** A replayed ask: its result and what it counts for. */
export interface ReplayedAsk {
  result: AskResult;
  outcome: E2eOutcome;
}

/**
 * One held-out question asked against its fold's bank, the referencers answering with `replies` — the task's own, or
 * fewer: a model without a reply fails its call and the subsets are drawn over the replies that came.
 */
export async function askReplayed(task: E2eTask, replies: Readonly<Record<string, string>>, fold: number, bank: MemoryBank, options: ReplayAskOptions): Promise<ReplayedAsk> {
  const params = { ...DEFAULT_PARAMS, k: options.k, n: options.n, kDrop: options.kDrop, seed: options.seed };
  const deps = { embedder: options.embedder, bank, gateway: new ReplayGateway(new Map(Object.entries(replies)), options.logprobs === true), checkRunner: options.checkRunner, ...(options.sameMath ? { sameMath: options.sameMath } : {}) };
  let result: AskResult | undefined;
  let failure = '';
  const routing = { mode: 'quality' as const, costWeight: 0, maxCostPerQuestion: null, agreementShortcut: options.agreementShortcut ?? false, ...(typeof options.near === 'number' ? { nearSimilarity: options.near } : {}) };
  for await (const event of runPipeline({ question: task.question, models: options.models, aggregator: REPLAY_AGGREGATOR, params, routing, modelWrittenTests: false }, deps, options.signal)) {
    if (event.type === 'done') result = event.result;
    else if (event.type === 'error') failure = event.message;
  }
  if (!result) throw new Error(`${task.id}: the ask failed: ${failure}`);
  const rightText = new Set(options.models.filter((m) => task.correct[m] === 1).map((m) => task.replies[m]));
  const top = result.priors.reduce((m, p) => (p.prior > m.prior ? p : m), at(result.priors, 0));
  const outcome: E2eOutcome = {
    id: task.id,
    fold,
    solved: rightText.has(answerText(result)),
    top1: task.correct[top.model] === 1,
    anyK: result.referencers.some((r) => task.correct[r.model] === 1),
    selectedBy: result.selectedBy,
    majorityK: majorityRight(task, result),
    ...(task.domain !== undefined ? { domain: task.domain } : {}),
    answerFrom: result.answer.reply.kind === 'referencer' ? 'reference' : 'candidate',
    subsets: result.candidates.length,
    derived: result.checkSet?.derived !== undefined,
    byWorking: result.agreement?.byWorking === true,
    firstCandidate: firstCandidate(result, rightText),
    calls: result.calls.length,
    savedCalls: result.savedCalls ?? 0,
  };
  return { result, outcome };
}

/**
 * Whether the majority of the K routed models' final answers is right: the answer most of them state (ties: the one
 * the highest-prior model among them states) — the vote with every model alike and no bank — right when a model
 * stating it is right; wrong when none states one.
 */
function majorityRight(task: E2eTask, result: AskResult): boolean {
  const prior = (model: string): number => result.priors.find((p) => p.model === model)?.prior ?? 0;
  const voters = result.referencers
    .filter((r) => r.ok)
    .sort((a, b) => prior(b.model) - prior(a.model))
    .map((r) => ({ model: r.model, answer: finalAnswer(r.text, task.question), reliability: 0.5 }));
  const majority = voteOnAnswers({ voters, bank: [], options: 0 })?.split[0];
  return majority !== undefined && majority.models.some((m) => task.correct[m] === 1);
}

/** The first aggregation (index 0, what a streamed answer would show first): whether the answer is its text, and whether that text is right. */
function firstCandidate(result: AskResult, rightText: ReadonlySet<string | undefined>): E2eOutcome['firstCandidate'] {
  const first = result.candidates.find((c) => c.index === 0 && c.ok);
  if (first === undefined) return { chosen: false, solved: false };
  return { chosen: answerText(result) === first.text, solved: rightText.has(first.text) };
}
