/**
 * Profiling: asks models the bank's questions, grades the replies and stores correctness labels.
 *
 * - Only missing labels are asked for: re-running fills the gaps, so adding a model profiles only that model.
 * - Labels are stored as they arrive, in small batches (every `flushEvery` labels or `flushMs` ms, one
 *   atomic `setLabels` each), so a crash, kill or cancel loses at most the last batch and the next run resumes.
 * - A failed request is never stored as a wrong answer: it is recorded (count and last error per model and
 *   question, in `profile-failures.json`) and asked again by the next run.
 * - Questions with grader `none`, without an answer, or with an answer their grader cannot use are skipped;
 *   `code` questions only run when the code grader is enabled.
 * - Requests use temperature 0 and a modest `maxTokens` (default 2048). The gateway limits requests per
 *   endpoint (`maxConcurrency`); `concurrency` caps the total in flight.
 */
import { at } from '../core/arrays';
import { grade, isPureGrader, GraderAnswerError, type NumberTolerance } from '../core/graders';
import type { BankRecord, ChatResult, LlmGateway, TokenUsage } from '../core/types';
import { estimatePromptTokens } from '../core/tokens';
import type { ModelPricing } from '../llm/discovery';
import { gradeReply, type CodeGraderOptions } from '../grading/codeGrader';
import { BankError, listWithMore } from '../bank/errors';
import { readFailures, writeFailures, type FailureMap } from './profileFailures';
import { profileMessages } from './profilePrompt';
import type { LabelUpdate, QuestionBank } from '../bank/questionBank';
import { errorMessage } from '../core/errors';

/** Per-token prices in USD (OpenRouter's `pricing`), as discovery reads them. */
export type TokenPricing = ModelPricing;

/** What profiling needs from the LLM layer: chat, and the configured models with their pricing when known. */
export interface ProfileGateway {
  chat: LlmGateway['chat'];
  readonly models: readonly { key: string; pricing?: TokenPricing }[];
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

/** One request to make: ask `model` the question at bank position `index`. */
export interface ProfileTask {
  index: number;
  id: string;
  model: string;
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

/** The requests a profiling run would make: gradable selected questions × models without a label. */
export function planProfile(bank: QuestionBank, models: readonly string[], selection: ProfileSelection = {}): ProfilePlan {
  const indices: number[] = [];
  if (selection.questionIds) {
    const missing = selection.questionIds.filter((id) => bank.indexOf(id) < 0);
    if (missing.length > 0) throw new BankError(`profile: no question with id ${listWithMore(missing, 5, (id) => JSON.stringify(id), ', ')}`);
    indices.push(...selection.questionIds.map((id) => bank.indexOf(id)));
  } else {
    for (let i = 0; i < bank.size; i++) indices.push(i);
  }
  const limit = selection.limit ?? Number.POSITIVE_INFINITY;
  if (!(limit >= 0)) throw new BankError(`profile: limit must be ≥ 0, got ${limit}`);
  const codeEnabled = selection.codeGrader?.enabled === true;
  const skipped: ProfilePlan['skipped'] = { ungradable: 0, code: 0, badAnswer: [] };
  const columns = bank.labelMatrix(models);
  const tasks: ProfileTask[] = [];
  let questions = 0;
  for (const index of indices) {
    if (questions >= limit) break;
    const record = bank.recordAt(index);
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
    for (const model of models) if ((columns.get(model) as Int8Array)[index] === -1) tasks.push({ index, id: record.id, model });
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
  /** The run's maxTokens, for the upper bound (default 2048). */
  maxTokens?: number;
}

export const DEFAULT_PROFILE_MAX_TOKENS = 2048;
const DEFAULT_COMPLETION_ESTIMATE = 300;

/** Requests, tokens and cost (from discovered pricing) of profiling `models` on the selected questions. */
export function estimateProfile(bank: QuestionBank, models: readonly string[], gateway: ProfileGateway, options: EstimateOptions = {}): ProfileEstimate {
  checkModels(models, gateway);
  const plan = planProfile(bank, models, options);
  const maxTokens = options.maxTokens ?? DEFAULT_PROFILE_MAX_TOKENS;
  const perReply = Math.min(options.completionTokens ?? DEFAULT_COMPLETION_ESTIMATE, maxTokens);
  const pricing = new Map(gateway.models.map((m) => [m.key, m.pricing]));
  const promptCache = new Map<number, number>();
  const perModel = models.map((model) => ({ model, requests: 0, promptTokens: 0, costUsd: undefined as number | undefined }));
  const byModel = new Map(perModel.map((p) => [p.model, p]));
  for (const task of plan.tasks) {
    let prompt = promptCache.get(task.index);
    if (prompt === undefined) {
      prompt = estimatePromptTokens(profileMessages(bank.recordAt(task.index)));
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
    if (!price) continue;
    entry.costUsd = entry.promptTokens * price.prompt + entry.requests * perReply * price.completion;
    costUsd = (costUsd ?? 0) + entry.costUsd;
    maxCostUsd = (maxCostUsd ?? 0) + entry.promptTokens * price.prompt + entry.requests * maxTokens * price.completion;
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
  /** Requests finished in this run (labelled or failed). */
  done: number;
  total: number;
  failed: number;
  /** Estimated time left, from this run's pace; undefined before the first reply. */
  etaMs: number | undefined;
  /** The model whose request just finished. */
  model: string;
}

export interface ProfileOptions extends ProfileSelection {
  /** A bank opened with `write: true`. */
  bank: QuestionBank;
  gateway: ProfileGateway;
  models: readonly string[];
  /** Requests in flight at most, over all endpoints (default 8). */
  concurrency?: number;
  /** Default 2048. */
  maxTokens?: number;
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
  lastError?: string;
}

export interface ProfileSummary {
  /** Requests planned for this run. */
  total: number;
  /** Requests finished (labelled or failed). */
  done: number;
  labelled: number;
  failed: number;
  /** The run was cancelled through `signal`; finished labels are stored. */
  cancelled: boolean;
  elapsedMs: number;
  usage: TokenUsage;
  /** Cost reported by the endpoints or computed from pricing, when known. */
  costUsd?: number;
  models: ModelProfileSummary[];
  skipped: ProfilePlan['skipped'];
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
  const plan = planProfile(bank, models, options);
  const pricing = new Map(gateway.models.map((m) => [m.key, m.pricing]));
  const maxTokens = options.maxTokens ?? DEFAULT_PROFILE_MAX_TOKENS;
  const flushEvery = Math.max(1, options.flushEvery ?? 25);
  const failures: FailureMap = await readFailures(bank.dir);
  const summaries = new Map(models.map((model) => [model, { model, asked: 0, labelled: 0, correct: 0, unparseable: 0, failed: 0 }]));
  const usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
  let costUsd: number | undefined;
  const started = Date.now();
  let done = 0;
  let failed = 0;

  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) stop.abort(options.signal.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });

  let pending: LabelUpdate[] = [];
  let failuresDirty = false;
  let storeError: Error | undefined;
  let flushing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      if (storeError !== undefined || (pending.length === 0 && !failuresDirty)) return;
      const batch = pending;
      pending = [];
      const writeFailuresNow = failuresDirty;
      failuresDirty = false;
      try {
        if (batch.length > 0) await bank.setLabels(batch);
        if (writeFailuresNow) await writeFailures(bank.dir, failures);
      } catch (err) {
        storeError = err instanceof Error ? err : new Error(errorMessage(err));
        stop.abort(err);
      }
    });
    return flushing;
  };
  const timer = setInterval(() => void flush(), Math.max(10, options.flushMs ?? 1000));

  const clearFailure = (model: string, id: string) => {
    if (failures[model]?.[id]) {
      delete failures[model][id];
      failuresDirty = true;
    }
  };
  const addCost = (model: string, result: ChatResult) => {
    usage.promptTokens += result.usage.promptTokens;
    usage.completionTokens += result.usage.completionTokens;
    const price = pricing.get(model);
    const cost = result.costUsd ?? (price ? result.usage.promptTokens * price.prompt + result.usage.completionTokens * price.completion : undefined);
    if (cost !== undefined) costUsd = (costUsd ?? 0) + cost;
  };

  const runTask = async (task: ProfileTask): Promise<void> => {
    const record = bank.recordAt(task.index);
    const summary = summaries.get(task.model) as ModelProfileSummary;
    summary.asked++;
    try {
      const request = { model: task.model, messages: profileMessages(record), temperature: 0, maxTokens, presencePenalty: 0, logprobs: false };
      const result = await gateway.chat(request, () => undefined, stop.signal);
      addCost(task.model, result);
      const graded = await gradeReply(record.grader ?? 'none', result.text, record.answer ?? '', {
        code: { ...(options.codeGrader ?? { enabled: false }), signal: stop.signal },
        ...(options.tolerance ? { tolerance: options.tolerance } : {}),
      });
      if (stop.signal.aborted) return;
      pending.push({ id: task.id, model: task.model, correct: graded.correct ? 1 : 0 });
      summary.labelled++;
      if (graded.correct) summary.correct++;
      if (graded.unparseable) summary.unparseable++;
      clearFailure(task.model, task.id);
    } catch (err) {
      if (stop.signal.aborted) return;
      summary.failed++;
      summary.lastError = errorMessage(err).slice(0, 500);
      failed++;
      const byId = (failures[task.model] ??= {});
      byId[task.id] = { count: (byId[task.id]?.count ?? 0) + 1, lastError: summary.lastError, at: new Date().toISOString() };
      failuresDirty = true;
    }
    done++;
    const elapsed = Date.now() - started;
    options.onProgress?.({ done, total: plan.tasks.length, failed, etaMs: Math.round((elapsed / done) * (plan.tasks.length - done)), model: task.model });
    if (pending.length >= flushEvery) void flush();
  };

  let next = 0;
  const worker = async () => {
    while (!stop.signal.aborted && next < plan.tasks.length) await runTask(at(plan.tasks, next++));
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, plan.tasks.length) }, worker));
  } finally {
    clearInterval(timer);
    options.signal?.removeEventListener('abort', onAbort);
    await flush();
  }
  if (storeError !== undefined) throw storeError;
  const list = [...summaries.values()];
  return {
    total: plan.tasks.length,
    done,
    labelled: list.reduce((s, m) => s + m.labelled, 0),
    failed,
    cancelled: options.signal?.aborted === true,
    elapsedMs: Date.now() - started,
    usage,
    ...(costUsd !== undefined ? { costUsd } : {}),
    models: list,
    skipped: plan.skipped,
  };
}
