/**
 * Profiling: asks models the bank's questions, grades the replies and stores correctness labels.
 *
 * - Only missing labels are asked for: re-running fills the gaps, so adding a model profiles only that model.
 * - Labels are stored as they arrive, in small batches (every `flushEvery` labels or `flushMs` ms, one
 *   atomic `setLabels` each), so a crash, kill or cancel loses at most the last batch and the next run resumes.
 * - A failed request is never stored as a wrong answer: it is recorded (count and last error per model and
 *   question, in `profile-failures.json`) and asked again by the next run.
 * - A reply cut at the token limit (finish reason `length`, also inside its reasoning) is not a label either: it is
 *   counted as `truncated` and left unlabelled, so a later run with a bigger budget asks again.
 * - Only the answer is graded: the LLM layer keeps reasoning (`<think>` blocks, a lone `</think>`, reasoning fields)
 *   out of the reply's text, and a reply that reasons without answering is graded like an empty reply.
 * - Questions with grader `none`, without an answer, or with an answer their grader cannot use are skipped;
 *   `code` questions only run when the code grader is enabled.
 * - Requests sample as asking does (the config's temperature and presence penalty) within the profiling token budget
 *   (`profileMaxTokens`). The gateway limits requests per endpoint (`maxConcurrency`); `concurrency` caps the total in flight.
 */
import { at } from '../core/util/arrays';
import { grade, isPureGrader, GraderAnswerError, type NumberTolerance } from '../core/grading/graders';
import type { SmcsConfig } from '../core/contracts/config';
import { callCost } from '../core/cost/costs';
import type { BankRecord, ChatResult, LlmGateway, TokenPrice, TokenUsage } from '../core/contracts/types';
import { estimatePromptTokens } from '../core/util/tokens';
import { NoAnswerError } from '../llm/client';
import { gradeReply, type CodeGraderOptions } from '../sandbox/codeGrader';
import { BankError, listWithMore } from '../bank/errors';
import { profileMessages } from './profilePrompt';
import type { Bank, FailureUpdate, LabelUpdate } from '../bank/bank';
import { errorMessage } from '../core/contracts/errors';
import { own } from '../core/util/ownKeys';

/** What profiling needs from the LLM layer: chat (which prices each reply), and the configured models with their price per token when known. */
export interface ProfileGateway {
  chat: LlmGateway['chat'];
  readonly models: readonly { key: string; pricing?: TokenPrice }[];
}

/** Which questions to profile. */
export interface ProfileSelection {
  /** Only these questions (every id must be in the bank); default all, in bank order. */
  questionIds?: readonly string[];
  /** At most this many gradable questions (the first in bank order / `questionIds` order). */
  limit?: number;
  /** The `code` grader runs model-written Python: `code` questions are profiled only when enabled. */
  codeGrader?: CodeGraderOptions;
}

/** One request to make: ask `model` the question `record` (at bank position `index`). */
export interface ProfileTask {
  index: number;
  id: string;
  model: string;
  record: BankRecord;
}

export interface ProfilePlan {
  /** Gradable questions selected. */
  questions: number;
  /** Requests still to make (labels missing), question by question, models in the given order. */
  tasks: ProfileTask[];
  skipped: {
    /** Grader `none` or no grader. */
    ungradable: number;
    /** `code` questions while the code grader is off. */
    code: number;
    /** No answer, or an answer the grader cannot use (ids listed). */
    badAnswer: string[];
  };
}

function checkModels(models: readonly string[], gateway: ProfileGateway): void {
  if (models.length === 0) throw new BankError('profile: no models to profile');
  const known = new Set(gateway.models.map((m) => m.key));
  const unknown = models.filter((m) => !known.has(m));
  if (unknown.length > 0) throw new BankError(`profile: unknown model${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; configured models: ${[...known].join(', ') || '(none)'}`);
}

/** Why a record cannot be graded, or null when it can. */
function answerProblem(record: BankRecord): string | null {
  if (record.answer === undefined || record.answer.trim() === '') return 'no answer';
  if (record.grader === undefined || !isPureGrader(record.grader)) return null;
  try {
    grade(record.grader, '', record.answer);
    return null;
  } catch (err) {
    if (err instanceof GraderAnswerError) return err.message;
    throw err;
  }
}

/** The selected questions with their bank position: `questionIds` in their order (each must be in the bank), else every question in bank order. */
async function selectedQuestions(bank: Bank, questionIds: readonly string[] | undefined): Promise<{ index: number; record: BankRecord }[]> {
  const all: { index: number; record: BankRecord }[] = [];
  let index = 0;
  for await (const record of bank.scan()) all.push({ index: index++, record });
  if (!questionIds) return all;
  const byId = new Map(all.map((q) => [q.record.id, q]));
  const missing = questionIds.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new BankError(`profile: no question with id ${listWithMore(missing, 5, (id) => JSON.stringify(id), ', ')}`);
  return questionIds.map((id) => byId.get(id) as { index: number; record: BankRecord });
}

/** The requests a profiling run would make: gradable selected questions × models without a label. */
export async function planProfile(bank: Bank, models: readonly string[], selection: ProfileSelection = {}): Promise<ProfilePlan> {
  const limit = selection.limit ?? Number.POSITIVE_INFINITY;
  if (!(limit >= 0)) throw new BankError(`profile: limit must be ≥ 0, got ${limit}`);
  const selected = await selectedQuestions(bank, selection.questionIds);
  const codeEnabled = selection.codeGrader?.enabled === true;
  const skipped: ProfilePlan['skipped'] = { ungradable: 0, code: 0, badAnswer: [] };
  const tasks: ProfileTask[] = [];
  let questions = 0;
  for (const { index, record } of selected) {
    if (questions >= limit) break;
    if (record.grader === undefined || record.grader === 'none') {
      skipped.ungradable++;
      continue;
    }
    if (record.grader === 'code' && !codeEnabled) {
      skipped.code++;
      continue;
    }
    if (answerProblem(record) !== null) {
      skipped.badAnswer.push(record.id);
      continue;
    }
    questions++;
    for (const model of models) if (own(record.correct, model) === undefined) tasks.push({ index, id: record.id, model, record });
  }
  return { questions, tasks, skipped };
}

export interface ProfileEstimate {
  requests: number;
  /** Estimated prompt tokens (about 4 characters per token). */
  promptTokens: number;
  /** Assumed completion tokens: `completionTokens` per reply (default 300). */
  completionTokens: number;
  /** Estimated cost in USD over the models with known pricing; undefined when none has pricing. */
  costUsd?: number;
  /** Upper bound of the cost if every reply used `maxTokens`. */
  maxCostUsd?: number;
  /** Models without known pricing (not in `costUsd`). */
  unpricedModels: string[];
  perModel: { model: string; requests: number; promptTokens: number; costUsd?: number }[];
  skipped: ProfilePlan['skipped'];
}

export interface EstimateOptions extends ProfileSelection {
  /** Completion tokens assumed per reply (default 300: reasoning plus a final answer line). */
  completionTokens?: number;
  /** The run's token budget per reply, for the upper bound. */
  maxTokens: number;
}

/** How profiling samples: as asking does (the config's temperature and presence penalty), within `profileMaxTokens` per reply. */
export type ProfileSampling = Pick<SmcsConfig, 'temperature' | 'presencePenalty' | 'profileMaxTokens'>;

const DEFAULT_COMPLETION_ESTIMATE = 300;

/** Requests, tokens and cost (from discovered pricing) of profiling `models` on the selected questions. */
export async function estimateProfile(bank: Bank, models: readonly string[], gateway: ProfileGateway, options: EstimateOptions): Promise<ProfileEstimate> {
  checkModels(models, gateway);
  const plan = await planProfile(bank, models, options);
  const maxTokens = options.maxTokens;
  const perReply = Math.min(options.completionTokens ?? DEFAULT_COMPLETION_ESTIMATE, maxTokens);
  const pricing = new Map(gateway.models.map((m) => [m.key, m.pricing]));
  const promptCache = new Map<number, number>();
  const perModel = models.map((model) => ({ model, requests: 0, promptTokens: 0, costUsd: undefined as number | undefined }));
  const byModel = new Map(perModel.map((p) => [p.model, p]));
  for (const task of plan.tasks) {
    let prompt = promptCache.get(task.index);
    if (prompt === undefined) {
      prompt = estimatePromptTokens(profileMessages(task.record));
      promptCache.set(task.index, prompt);
    }
    const entry = byModel.get(task.model) as (typeof perModel)[number];
    entry.requests++;
    entry.promptTokens += prompt;
  }
  let costUsd: number | undefined;
  let maxCostUsd: number | undefined;
  for (const entry of perModel) {
    const price = pricing.get(entry.model);
    const likely = callCost({ prompt: entry.promptTokens, completion: entry.requests * perReply }, price);
    const most = callCost({ prompt: entry.promptTokens, completion: entry.requests * maxTokens }, price);
    if (likely === null || most === null) continue;
    entry.costUsd = likely;
    costUsd = (costUsd ?? 0) + likely;
    maxCostUsd = (maxCostUsd ?? 0) + most;
  }
  return {
    requests: plan.tasks.length,
    promptTokens: perModel.reduce((s, p) => s + p.promptTokens, 0),
    completionTokens: plan.tasks.length * perReply,
    ...(costUsd !== undefined ? { costUsd, maxCostUsd } : {}),
    unpricedModels: models.filter((m) => !pricing.get(m)),
    perModel: perModel.map(({ model, requests, promptTokens, costUsd: c }) => ({ model, requests, promptTokens, ...(c !== undefined ? { costUsd: c } : {}) })),
    skipped: plan.skipped,
  };
}

export interface ProfileProgress {
  /** Requests finished in this run (labelled, failed or truncated). */
  done: number;
  total: number;
  failed: number;
  /** Replies cut at the token limit so far (not labels). */
  truncated: number;
  /** Estimated time left, from this run's pace; undefined before the first reply. */
  etaMs: number | undefined;
  /** The model whose request just finished. */
  model: string;
}

export interface ProfileOptions extends ProfileSelection {
  /** A bank opened with `write: true`. */
  bank: Bank;
  /** Who profiles (a team bank records it with every label; default the bank handle's user). */
  user?: string;
  gateway: ProfileGateway;
  models: readonly string[];
  /** Requests in flight at most, over all endpoints (default 8). */
  concurrency?: number;
  /** Temperature, presence penalty and token budget of every request: the config (a CLI flag may override the budget). */
  sampling: ProfileSampling;
  tolerance?: NumberTolerance;
  signal?: AbortSignal;
  onProgress?: (progress: ProfileProgress) => void;
  /** Store labels after this many (default 25)… */
  flushEvery?: number;
  /** …or after this many ms (default 1000), whichever comes first. */
  flushMs?: number;
}

export interface ModelProfileSummary {
  model: string;
  /** Requests made in this run. */
  asked: number;
  /** Labels stored in this run. */
  labelled: number;
  correct: number;
  /** Replies with no recognisable final answer (stored as wrong). */
  unparseable: number;
  /** Requests that failed (recorded, retried by the next run). */
  failed: number;
  /** Replies cut at the token limit (not labels; asked again by the next run). */
  truncated: number;
  lastError?: string;
}

export interface ProfileSummary {
  /** Requests planned for this run. */
  total: number;
  /** Requests finished (labelled, failed or truncated). */
  done: number;
  labelled: number;
  failed: number;
  /** Replies cut at the token limit (`maxTokens`): not stored, asked again by the next run. */
  truncated: number;
  /** The token budget of this run. */
  maxTokens: number;
  /** The run was cancelled through `signal`; finished labels are stored. */
  cancelled: boolean;
  elapsedMs: number;
  usage: TokenUsage;
  /** USD of the replies whose model has a known price (the gateway prices each reply); absent when none has. */
  costUsd?: number;
  models: ModelProfileSummary[];
  skipped: ProfilePlan['skipped'];
}

/** Links the caller's `signal` to the run's own controller (which a store error also aborts); returns the unlink. */
function followSignal(stop: AbortController, signal: AbortSignal | undefined): () => void {
  const onAbort = () => stop.abort(signal?.reason);
  if (signal?.aborted) stop.abort(signal.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  return () => signal?.removeEventListener('abort', onAbort);
}

/** Labels and failure records waiting to be stored, written in serialised batches; the first store error stops the run. */
class LabelStore {
  /** Why storing failed; nothing more is stored after it. */
  error: Error | undefined;
  private pending: LabelUpdate[] = [];
  private failed: FailureUpdate['failed'][number][] = [];
  private answered: FailureUpdate['answered'][number][] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly bank: Bank,
    private readonly stop: AbortController,
    private readonly user: string | undefined,
  ) {}

  /** Labels not stored yet. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Queues a label for the next batch. */
  add(update: LabelUpdate): void {
    this.pending.push(update);
  }

  /** Forgets any recorded failure of `model` on question `id`, now answered. */
  clearFailure(model: string, id: string): void {
    this.answered.push({ model, id });
  }

  /** Records one more failed request of `model` on question `id`, for the next run to retry. */
  addFailure(model: string, id: string, lastError: string): void {
    this.failed.push({ model, id, lastError });
  }

  /** Stores the pending labels and failure changes, after any batch already being stored. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.error !== undefined || this.pending.length + this.failed.length + this.answered.length === 0) return;
      const batch = this.pending;
      const failures: FailureUpdate = { failed: this.failed, answered: this.answered };
      this.pending = [];
      this.failed = [];
      this.answered = [];
      try {
        if (batch.length > 0) await this.bank.commit({ labels: batch, origin: { via: 'profile', ...(this.user ? { user: this.user } : {}) } });
        if (failures.failed.length + failures.answered.length > 0) await this.bank.updateProfileFailures(failures);
      } catch (err) {
        this.error = err instanceof Error ? err : new Error(errorMessage(err));
        this.stop.abort(err);
      }
    });
    return this.flushing;
  }
}

/** One profiling run: workers taking the planned tasks in turn, and the counters its summary reports. */
class ProfileRun {
  private readonly flushEvery: number;
  private readonly summaries: Map<string, ModelProfileSummary>;
  private readonly usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
  private costUsd: number | undefined;
  private readonly started: number;
  private done = 0;
  private failed = 0;
  private truncated = 0;
  private next = 0;
  private readonly stop = new AbortController();
  private readonly store: LabelStore;

  constructor(
    private readonly options: ProfileOptions,
    private readonly plan: ProfilePlan,
  ) {
    this.flushEvery = Math.max(1, options.flushEvery ?? 25);
    this.summaries = new Map(options.models.map((model) => [model, { model, asked: 0, labelled: 0, correct: 0, unparseable: 0, failed: 0, truncated: 0 }]));
    this.started = Date.now();
    this.store = new LabelStore(options.bank, this.stop, options.user);
  }

  /** Runs the tasks on `concurrency` workers, stores what is left, and summarises; throws when labels could not be stored. */
  async execute(concurrency: number): Promise<ProfileSummary> {
    const unlink = followSignal(this.stop, this.options.signal);
    const timer = setInterval(() => void this.store.flush(), Math.max(10, this.options.flushMs ?? 1000));
    const worker = async () => {
      while (!this.stop.signal.aborted && this.next < this.plan.tasks.length) await this.runTask(at(this.plan.tasks, this.next++));
    };
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, this.plan.tasks.length) }, worker));
    } finally {
      clearInterval(timer);
      unlink();
      await this.store.flush();
    }
    if (this.store.error !== undefined) throw this.store.error;
    return this.summary();
  }

  /** Asks one question and queues its label, counts a truncated reply, or records the failed request; nothing is counted once the run stops. */
  private async runTask(task: ProfileTask): Promise<void> {
    const { record } = task;
    const summary = this.summaries.get(task.model) as ModelProfileSummary;
    summary.asked++;
    try {
      const graded = await this.askAndGrade(task.model, record);
      if (this.stop.signal.aborted) return;
      this.store.clearFailure(task.model, task.id);
      if (graded === 'truncated') {
        summary.truncated++;
        this.truncated++;
      } else {
        // The label keeps the usage of the reply it came from (what price-aware routing reads as this model's cost).
        const { usage, usageEstimated } = graded.reply;
        const tokens = { prompt: usage.promptTokens, completion: usage.completionTokens, ...(usageEstimated ? { estimated: true } : {}) };
        this.store.add({ id: task.id, model: task.model, correct: graded.correct ? 1 : 0, tokens });
        summary.labelled++;
        if (graded.correct) summary.correct++;
        if (graded.unparseable) summary.unparseable++;
      }
    } catch (err) {
      if (this.stop.signal.aborted) return;
      summary.failed++;
      summary.lastError = errorMessage(err).slice(0, 500);
      this.failed++;
      this.store.addFailure(task.model, task.id, summary.lastError);
    }
    this.finishTask(task.model);
  }

  /** Asks `model` the question (counting tokens and cost) and grades its answer; `truncated` when the token limit cut the reply. */
  private async askAndGrade(model: string, record: BankRecord) {
    const { temperature, presencePenalty, profileMaxTokens: maxTokens } = this.options.sampling;
    const request = { model, messages: profileMessages(record), temperature, maxTokens, presencePenalty, logprobs: false };
    const result = await this.options.gateway.chat(request, () => undefined, this.stop.signal).catch((err: unknown) => {
      // A reply that reasoned without answering was still a reply: graded like an empty one unless the limit cut it.
      if (err instanceof NoAnswerError) return err.result;
      throw err;
    });
    this.addCost(result);
    if (result.finishReason === 'length') return 'truncated';
    const grade = await gradeReply(record.grader ?? 'none', result.text, record.answer ?? '', {
      code: { ...(this.options.codeGrader ?? { enabled: false }), signal: this.stop.signal },
      ...(this.options.tolerance ? { tolerance: this.options.tolerance } : {}),
    });
    return { ...grade, reply: result };
  }

  /** Adds a reply's tokens, and its cost when the gateway priced it (the model's price is known). */
  private addCost(result: ChatResult): void {
    this.usage.promptTokens += result.usage.promptTokens;
    this.usage.completionTokens += result.usage.completionTokens;
    if (result.costUsd !== undefined) this.costUsd = (this.costUsd ?? 0) + result.costUsd;
  }

  /** Counts a finished request, reports progress, and stores a full batch. */
  private finishTask(model: string): void {
    this.done++;
    const elapsed = Date.now() - this.started;
    const total = this.plan.tasks.length;
    this.options.onProgress?.({ done: this.done, total, failed: this.failed, truncated: this.truncated, etaMs: Math.round((elapsed / this.done) * (total - this.done)), model });
    if (this.store.pendingCount >= this.flushEvery) void this.store.flush();
  }

  /** The run's summary, once every worker has stopped. */
  private summary(): ProfileSummary {
    const list = [...this.summaries.values()];
    return {
      total: this.plan.tasks.length,
      done: this.done,
      labelled: list.reduce((s, m) => s + m.labelled, 0),
      failed: this.failed,
      truncated: this.truncated,
      maxTokens: this.options.sampling.profileMaxTokens,
      cancelled: this.options.signal?.aborted === true,
      elapsedMs: Date.now() - this.started,
      usage: this.usage,
      ...(this.costUsd !== undefined ? { costUsd: this.costUsd } : {}),
      models: list,
      skipped: this.plan.skipped,
    };
  }
}

/**
 * Profiles `models` on the selected bank questions (see the module comment). Resolves with a summary,
 * also when cancelled (`cancelled: true`); rejects only when labels cannot be stored (nothing of the
 * unstored batch is kept) or the arguments are wrong.
 */
export async function profileModels(options: ProfileOptions): Promise<ProfileSummary> {
  const { bank, gateway, models } = options;
  bank.assertWritable('profile');
  checkModels(models, gateway);
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new BankError(`profile: concurrency must be a whole number ≥ 1, got ${concurrency}`);
  const plan = await planProfile(bank, models, options);
  return new ProfileRun(options, plan).execute(concurrency);
}
