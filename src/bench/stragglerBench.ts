/**
 * What the straggler deadline costs in accuracy, and what it saves in time (issue 36, `smcs bench --stragglers SET`).
 * Over a replay set of real recorded replies (`smcs eval e2e`'s format), each question is asked through the real
 * pipeline with its fold's bank (core/eval/e2eReplay.ts) under two policies: waiting for every referencer
 * (`stragglerFactor` 0, the paper) and the deadline. Latencies are simulated: each routed model's reply takes a seeded,
 * heavy-tailed time, and so does each aggregation. Each aggregation starts once its references are in, as the pipeline
 * starts them (core/ask/aggregationStage.ts), and the answer comes when the referencer stage and the last aggregation
 * have ended. Under the deadline, once the K − Kdrop-th reply is in at t, the others get max(2 s, factor × t) (the
 * pipeline's rule, core/ask/pipeline.ts); the models still out then are left out, and the question is asked again
 * without their replies — their calls fail, as a late model's does, and the subsets are drawn over the replies that
 * came — whose aggregations all start at the deadline, and whose answer is the one judged. The checks' time is not
 * simulated.
 */
import { runOnce } from '../core/checks/runOnce';
import type { CandidateOutcome } from '../core/contracts/events';
import { DEFAULT_PARAMS, STRAGGLER_MIN_MS, type Embedder } from '../core/contracts/types';
import type { E2eTask } from '../core/eval/e2eEval';
import { askReplayed, replayFolds } from '../core/eval/e2eReplay';
import { REPLAY_AGGREGATOR } from '../core/eval/replay';
import { at, percentile } from '../core/util/arrays';
import { hash32 } from '../core/util/hash';
import { createRng, type Rng } from '../core/util/rng';
import { createCheckRunner } from '../sandbox/checkRunner';
import { answerText } from '../core/contracts/answer';

/** Simulated call times of one seed. */
export interface LatencyModel {
  /** How long `model` takes to reply to question `taskId`, in ms. */
  referencerMs(model: string, taskId: string): number;
  /** How long aggregation `index` of question `taskId` takes, in ms. */
  aggregationMs(taskId: string, index: number): number;
  /** Each model's median reply time (the aggregator's under its replay key), in ms, as the report states it. */
  medianMs(model: string): number;
}

/** Per-model medians: log-uniform over this range, from a fast provider to a slow one on a reply of a few hundred tokens. */
export const MEDIAN_RANGE_MS: readonly [number, number] = [2000, 30000];
/** The spread of one model's times around its median (σ of the log-normal). */
export const LATENCY_SIGMA = 0.8;
/** The share of calls that hit a tail (a queue, a retry, a slow replica), and how much slower they are. */
export const TAIL_SHARE = 0.03;
export const TAIL_FACTOR: readonly [number, number] = [10, 25];

/** A standard normal draw (Box–Muller). */
function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * Seeded heavy-tailed latencies: each model (and the aggregator) gets a median drawn log-uniformly from
 * MEDIAN_RANGE_MS; each call is that median × a log-normal factor (σ = LATENCY_SIGMA) and, for TAIL_SHARE of calls,
 * × a uniform draw from TAIL_FACTOR. Every call has its own stream, so a draw does not depend on which others are made.
 */
export function heavyTailedLatencies(seed: number): LatencyModel {
  const stream = (key: string) => createRng(hash32(key, seed));
  const [low, high] = MEDIAN_RANGE_MS;
  const medianMs = (model: string) => low * Math.exp(stream(`median\u0000${model}`).next() * Math.log(high / low));
  const call = (model: string, key: string) => {
    const rng = stream(key);
    const tail = rng.next() < TAIL_SHARE ? TAIL_FACTOR[0] + rng.next() * (TAIL_FACTOR[1] - TAIL_FACTOR[0]) : 1;
    return medianMs(model) * Math.exp(LATENCY_SIGMA * normal(rng)) * tail;
  };
  return {
    referencerMs: (model, taskId) => call(model, `referencer\u0000${model}\u0000${taskId}`),
    aggregationMs: (taskId, index) => call(REPLAY_AGGREGATOR, `aggregation\u0000${index}\u0000${taskId}`),
    medianMs,
  };
}

/** When the references of one ask are in, under the deadline. */
export interface DeadlineTiming {
  /** When the K − Kdrop-th reply came (the slowest, when fewer came). */
  enoughMs: number;
  /** When the referencer stage ended: the slowest reply, or the deadline when it left someone out. */
  referencersMs: number;
  /** The models still out at the deadline, in arrival order. */
  late: string[];
}

/**
 * The pipeline's straggler rule on simulated arrivals: `routed` referencers were asked, `arrivals` are the replies that
 * came (failed calls have none). Once K − Kdrop replies are in at t, the others get max(STRAGGLER_MIN_MS, factor × t);
 * factor 0 waits for all.
 */
export function deadlineTiming(arrivals: readonly { model: string; ms: number }[], routed: number, kDrop: number, factor: number): DeadlineTiming {
  const sorted = [...arrivals].sort((a, b) => a.ms - b.ms);
  const enough = Math.max(1, routed - kDrop);
  const slowest = sorted.at(-1)?.ms ?? 0;
  const enoughMs = sorted[Math.min(enough, sorted.length) - 1]?.ms ?? 0;
  if (factor === 0 || sorted.length < enough || enough >= routed) return { enoughMs, referencersMs: slowest, late: [] };
  const deadline = enoughMs + Math.max(STRAGGLER_MIN_MS, factor * enoughMs);
  const late = sorted.filter((a) => a.ms > deadline).map((a) => a.model);
  return { enoughMs, referencersMs: late.length > 0 ? deadline : slowest, late };
}

/** One question at one seed under both policies. */
export interface StragglerAsk {
  id: string;
  seed: number;
  /** The referencers routing chose (the same under both policies). */
  routed: string[];
  /** Left out by the deadline. */
  late: string[];
  /** Time to the answer waiting for all, and with the deadline (the same ask when nobody was late). */
  waitMs: number;
  deadlineMs: number;
  /** The K − Kdrop-th reply plus the slowest of the deadline ask's aggregations: the floor the goal is measured against. */
  enoughMs: number;
  /** The referencer stage alone: when it ended waiting for all, with the deadline, and when the K − Kdrop-th reply came. */
  referencersMs: { wait: number; deadline: number; enough: number };
  waitSolved: boolean;
  deadlineSolved: boolean;
  /** The model whose recorded reply is the answer (null when no reply is: an aggregation that wrote its own). */
  waitAnswer: string | null;
  deadlineAnswer: string | null;
}

export interface Percentiles {
  p50Ms: number;
  p90Ms: number;
}

const percentiles = (times: readonly number[]): Percentiles => ({ p50Ms: percentile(times, 0.5), p90Ms: percentile(times, 0.9) });

export interface PolicyFigures {
  policy: 'wait' | 'deadline';
  stragglerFactor: number;
  p50Ms: number;
  p90Ms: number;
  solved: number;
  /** Share of asks solved, 0–1. */
  accuracy: number;
  /** Models left out per ask, on average. */
  lateModelsPerAsk: number;
  /** Asks that left a model out. */
  asksWithLate: number;
}

/** One seed's asks: the accuracy goal is within the noise of one seed, so each is shown. */
export interface SeedFigures {
  seed: number;
  medianMs: Record<string, number>;
  asks: number;
  waitSolved: number;
  deadlineSolved: number;
  asksWithLate: number;
}

export interface StragglerBenchmark {
  questions: number;
  models: number;
  /** Questions × seeds. */
  asks: number;
  k: number;
  n: number;
  kDrop: number;
  folds: number;
  seeds: number[];
  policies: [PolicyFigures, PolicyFigures];
  /** The K − Kdrop-th fastest reply plus the aggregations, per ask. */
  enough: Percentiles;
  /** The referencer stage alone (the aggregations' own tail left out), each way, and the K − Kdrop-th reply. */
  referencerStage: { wait: Percentiles; deadline: Percentiles; enough: Percentiles };
  goal: {
    /** The deadline's p90 over the p90 of `enough`. */
    p90Ratio: number;
    maxP90Ratio: number;
    /** Wait-for-all's accuracy minus the deadline's, in points. */
    accuracyDropPoints: number;
    maxDropPoints: number;
    met: boolean;
  };
  /** Each seed on its own: its per-model median times (the aggregator's under its replay key) and its asks' figures. */
  bySeed: SeedFigures[];
  outcomes: StragglerAsk[];
}

/** The goal of issue 36: p90 at most 1.5 × (K − Kdrop-th reply + aggregation), for at most 0.5 points of accuracy. */
export const GOAL_P90_RATIO = 1.5;
export const GOAL_DROP_POINTS = 0.5;

export interface StragglerBenchOptions {
  tasks: readonly E2eTask[];
  embedder: Embedder;
  k?: number;
  n?: number;
  kDrop?: number;
  folds?: number;
  seeds?: readonly number[];
  /** The deadline policy's factor (> 0). */
  stragglerFactor?: number;
  /** The simulated times of a seed (default: heavyTailedLatencies). */
  latencies?: (seed: number) => LatencyModel;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** The model whose recorded reply is `answer`, or null. */
function answerModel(task: E2eTask, answer: string): string | null {
  return Object.keys(task.replies).find((m) => task.replies[m] === answer) ?? null;
}

/** The aggregations an ask ran: which references each read, and its index (what its simulated time is keyed by). */
type Aggregated = readonly Pick<CandidateOutcome, 'index' | 'subset'>[];

/** The slowest of an ask's aggregations (0 when it ran none). */
function slowestAggregationMs(candidates: Aggregated, taskId: string, latency: LatencyModel): number {
  return Math.max(0, ...candidates.map((c) => latency.aggregationMs(taskId, c.index)));
}

/**
 * When the answer of an ask is in: the referencer stage has ended (`stageEndMs`) and so has every aggregation. Each
 * aggregation starts once the references it reads are in (`arrivalMs`), or, when the deadline left models out and
 * the subsets were drawn again, at the deadline (`redrawnAt`).
 */
export function answerMs(candidates: Aggregated, taskId: string, latency: LatencyModel, arrivalMs: ReadonlyMap<string, number>, stageEndMs: number, redrawnAt?: number): number {
  const startMs = (subset: readonly string[]) => redrawnAt ?? Math.max(0, ...subset.map((m) => arrivalMs.get(m) ?? 0));
  return Math.max(stageEndMs, ...candidates.map((c) => startMs(c.subset) + latency.aggregationMs(taskId, c.index)));
}

function figures(policy: 'wait' | 'deadline', factor: number, asks: readonly StragglerAsk[]): PolicyFigures {
  const deadline = policy === 'deadline';
  const times = percentiles(asks.map((a) => (deadline ? a.deadlineMs : a.waitMs)));
  const solved = asks.filter((a) => (deadline ? a.deadlineSolved : a.waitSolved)).length;
  const late = deadline ? asks.map((a) => a.late.length) : [];
  return {
    policy,
    stragglerFactor: deadline ? factor : 0,
    ...times,
    solved,
    accuracy: asks.length === 0 ? 0 : solved / asks.length,
    lateModelsPerAsk: asks.length === 0 ? 0 : late.reduce((s, x) => s + x, 0) / asks.length,
    asksWithLate: late.filter((x) => x > 0).length,
  };
}

export async function benchmarkStragglers(options: StragglerBenchOptions): Promise<StragglerBenchmark> {
  const { tasks, embedder } = options;
  const k = options.k ?? DEFAULT_PARAMS.k;
  const n = options.n ?? DEFAULT_PARAMS.n;
  const kDrop = options.kDrop ?? DEFAULT_PARAMS.kDrop;
  const folds = options.folds ?? 2;
  const seeds = [...(options.seeds ?? [0])];
  const factor = options.stragglerFactor ?? DEFAULT_PARAMS.stragglerFactor;
  const latencies = options.latencies ?? heavyTailedLatencies;
  const signal = options.signal ?? new AbortController().signal;
  const models = [...new Set(tasks.flatMap((t) => Object.keys(t.replies)))];
  const { foldOf, banks } = await replayFolds(tasks, embedder, folds);
  const checkRunner = runOnce(createCheckRunner());
  const outcomes: StragglerAsk[] = [];
  const bySeed: SeedFigures[] = [];
  for (const seed of seeds) {
    const latency = latencies(seed);
    const medianMs = Object.fromEntries([...models, REPLAY_AGGREGATOR].map((m) => [m, Math.round(latency.medianMs(m))]));
    const ask = { k, n, kDrop, seed, models, embedder, checkRunner, signal };
    for (const [i, task] of tasks.entries()) {
      const fold = at(foldOf, i);
      const bank = at(banks, fold);
      const wait = await askReplayed(task, task.replies, fold, bank, ask);
      const arrivals = wait.result.referencers.filter((r) => r.ok).map((r) => ({ model: r.model, ms: latency.referencerMs(r.model, task.id) }));
      const timing = deadlineTiming(arrivals, wait.result.referencers.length, kDrop, factor);
      const arrived = Object.fromEntries(Object.entries(task.replies).filter(([m]) => !timing.late.includes(m)));
      // Without a late model the replies are the same and so is the ask (its draws are seeded).
      const cut = timing.late.length === 0 ? wait : await askReplayed(task, arrived, fold, bank, ask);
      const slowest = Math.max(0, ...arrivals.map((a) => a.ms));
      const arrivalMs = new Map(arrivals.map((a) => [a.model, a.ms]));
      const waitMs = answerMs(wait.result.candidates, task.id, latency, arrivalMs, slowest);
      outcomes.push({
        id: task.id,
        seed,
        routed: wait.result.referencers.map((r) => r.model),
        late: timing.late,
        waitMs,
        deadlineMs: timing.late.length === 0 ? waitMs : answerMs(cut.result.candidates, task.id, latency, arrivalMs, timing.referencersMs, timing.referencersMs),
        enoughMs: timing.enoughMs + slowestAggregationMs(cut.result.candidates, task.id, latency),
        referencersMs: { wait: slowest, deadline: timing.referencersMs, enough: timing.enoughMs },
        waitSolved: wait.outcome.solved,
        deadlineSolved: cut.outcome.solved,
        waitAnswer: answerModel(task, answerText(wait.result)),
        deadlineAnswer: answerModel(task, answerText(cut.result)),
      });
      options.onProgress?.(outcomes.length, tasks.length * seeds.length);
    }
    const own = outcomes.filter((o) => o.seed === seed);
    const count = (pick: (o: StragglerAsk) => boolean) => own.filter(pick).length;
    bySeed.push({ seed, medianMs, asks: own.length, waitSolved: count((o) => o.waitSolved), deadlineSolved: count((o) => o.deadlineSolved), asksWithLate: count((o) => o.late.length > 0) });
  }
  const policies: [PolicyFigures, PolicyFigures] = [figures('wait', factor, outcomes), figures('deadline', factor, outcomes)];
  const enough = percentiles(outcomes.map((o) => o.enoughMs));
  const stage = (pick: (r: StragglerAsk['referencersMs']) => number) => percentiles(outcomes.map((o) => pick(o.referencersMs)));
  const p90Ratio = enough.p90Ms === 0 ? 1 : policies[1].p90Ms / enough.p90Ms;
  const accuracyDropPoints = (policies[0].accuracy - policies[1].accuracy) * 100;
  return {
    questions: tasks.length,
    models: models.length,
    asks: outcomes.length,
    k,
    n,
    kDrop,
    folds,
    seeds,
    policies,
    enough,
    referencerStage: { wait: stage((r) => r.wait), deadline: stage((r) => r.deadline), enough: stage((r) => r.enough) },
    goal: { p90Ratio, maxP90Ratio: GOAL_P90_RATIO, accuracyDropPoints, maxDropPoints: GOAL_DROP_POINTS, met: p90Ratio <= GOAL_P90_RATIO && accuracyDropPoints <= GOAL_DROP_POINTS },
    bySeed,
    outcomes,
  };
}
