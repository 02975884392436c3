/**
 * One SMCS ask as an async stream of typed events (DESIGN §2):
 * embed → retrieve (RPS) → referencers in parallel → prior-drop subsets → n aggregations → hybrid score → done.
 * Pure orchestration: all I/O goes through the Embedder, PriorSource and LlmGateway ports.
 */
import { at } from './arrays';
import { AsyncQueue } from './asyncQueue';
import { estimateTokens, fitReferences } from './contextBudget';
import type { AskResult, CandidateOutcome, PipelineEvent, ReferenceOutcome } from './events';
import { hybridScores } from './hybridScore';
import { drawSubsets } from './priorDrop';
import { aggregatorSystemPrompt, userMessage } from './prompts';
import { createRng } from './rng';
import { selectReferencers, type LabelColumn } from './rps';
import type { ChatMessage, ChatResult, Embedder, LlmGateway, SmcsParams, TokenUsage } from './types';

/** What the pipeline needs from the question bank. */
export interface PriorSource {
  readonly size: number;
  /** Cosine similarity of the query to every bank question. */
  similarities(query: Float32Array): Float32Array | Promise<Float32Array>;
  /** Label columns aligned with `similarities`: 1, 0, or −1 unlabelled. */
  labelColumns(models: readonly string[]): ReadonlyMap<string, LabelColumn>;
}

export interface PipelineInput {
  question: string;
  /** Editor context appended to the user message (not used for retrieval). */
  context?: string;
  /** Configured model keys, in configured order. */
  models: readonly string[];
  /** The aggregator's model key (already resolved from `auto`). */
  aggregator: string;
  params: SmcsParams;
}

export interface PipelineDeps {
  embedder: Embedder;
  /** Null when there is no bank: plain MoA with the first K models. */
  bank: PriorSource | null;
  gateway: LlmGateway;
  /** Monotonic clock in ms (performance.now by default). */
  now?: () => number;
}

/** One aggregation: its result, or why it failed. */
interface Aggregation {
  index: number;
  subset: string[];
  result?: ChatResult;
  error?: string;
}

class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const addUsage = (a: TokenUsage, b: TokenUsage): TokenUsage => ({
  promptTokens: a.promptTokens + b.promptTokens,
  completionTokens: a.completionTokens + b.completionTokens,
});
const ZERO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0 };

/** Runs one ask; the stream always ends with `done` or `error` (cancellation is an `error` with `cancelled: true`). */
export function runPipeline(input: PipelineInput, deps: PipelineDeps, signal: AbortSignal): AsyncIterable<PipelineEvent> {
  const queue = new AsyncQueue<PipelineEvent>();
  void execute(input, deps, signal, (e) => queue.push(e))
    .catch((e: unknown) => {
      if (signal.aborted || e instanceof CancelledError) queue.push({ type: 'error', message: 'Cancelled', causes: [], cancelled: true });
      else queue.push({ type: 'error', message: errorText(e), causes: [] });
    })
    .finally(() => queue.close());
  return queue;
}

async function execute(input: PipelineInput, deps: PipelineDeps, signal: AbortSignal, emit: (e: PipelineEvent) => void): Promise<void> {
  const now = deps.now ?? (() => performance.now());
  const { params } = input;
  const checkCancelled = () => {
    if (signal.aborted) throw new CancelledError();
  };
  const t0 = now();

  // 1. Embed the question.
  const queryVector = (await deps.embedder.embed([input.question], signal))[0];
  if (queryVector === undefined) throw new Error('the embedder returned no vector for the question');
  checkCancelled();
  const tEmbed = now();
  emit({ type: 'embed', ms: tEmbed - t0 });

  // 2. Retrieve: support set and priors (RPS falls back to the first K models when there is no bank).
  const bank = deps.bank && deps.bank.size > 0 ? deps.bank : null;
  const rps = selectReferencers({
    similarities: bank ? await bank.similarities(queryVector) : [],
    labels: bank ? bank.labelColumns(input.models) : new Map(),
    models: input.models,
    k: params.k,
    nBase: params.nBase,
    gamma: params.gamma,
  });
  const { priors, referencers, fallback } = rps;
  const supportCount = rps.support.length;
  checkCancelled();
  const tRetrieve = now();
  emit({ type: 'retrieve', ms: tRetrieve - tEmbed, supportCount, priors, referencers, ...(fallback ? { fallback } : {}) });

  // 3. Referencers in parallel.
  const user = userMessage(input.question, input.context);
  const outcomes = await runReferencers(referencers, user, params, deps, signal, emit, now);
  checkCancelled();
  const tReferencers = now();
  const arrived = outcomes.filter((o) => o.ok);
  if (arrived.length === 0) {
    emit({
      type: 'error',
      message: `All ${outcomes.length} referencer(s) failed`,
      causes: outcomes.map((o) => `${o.model}: ${o.error ?? 'no reply'}`),
    });
    return;
  }

  // 4. Prior-drop subsets over the references that arrived.
  const priorOf = new Map(priors.map((p) => [p.model, p.prior]));
  const subsets = drawSubsets(
    arrived.map((o) => priorOf.get(o.model) ?? 0),
    params.kDrop,
    params.n,
    createRng(params.seed),
  ).map((indices) => indices.map((i) => at(arrived, i)));
  emit({ type: 'subsets', aggregator: input.aggregator, subsets: subsets.map((s) => s.map((o) => o.model)) });

  // 5. Aggregations in parallel, each prompt fitted to the aggregator's context window.
  const trimmedModels = new Set<string>();
  const fixedPromptTokens = estimateTokens(aggregatorSystemPrompt([])) + estimateTokens(user);
  const aggregatorWindow = deps.gateway.contextWindow(input.aggregator);
  const aggregations = await Promise.all(
    subsets.map(async (subset, index): Promise<Aggregation> => {
      const plan = fitReferences(
        subset.map((o) => o.text),
        fixedPromptTokens,
        params.maxTokens,
        aggregatorWindow,
      );
      for (const i of plan.trimmed) trimmedModels.add(at(subset, i).model);
      const messages: ChatMessage[] = [
        { role: 'system', content: aggregatorSystemPrompt(plan.references) },
        { role: 'user', content: user },
      ];
      const models = subset.map((o) => o.model);
      emit({ type: 'aggregation-started', index, subset: models });
      try {
        const result = await deps.gateway.chat(
          { model: input.aggregator, messages, temperature: params.temperature, maxTokens: plan.maxTokens, presencePenalty: params.presencePenalty, logprobs: true },
          (d) => {
            if (d.kind === 'text') emit({ type: 'aggregation-delta', index, text: d.text });
          },
          signal,
        );
        emit({ type: 'aggregation-done', index, latencyMs: result.latencyMs, usage: result.usage, text: result.text });
        return { index, subset: models, result };
      } catch (e) {
        checkCancelled();
        emit({ type: 'aggregation-failed', index, error: errorText(e) });
        return { index, subset: models, error: errorText(e) };
      }
    }),
  );
  checkCancelled();
  const tAggregate = now();

  // 6. Hybrid score over the candidates that succeeded.
  const succeeded = aggregations.filter((a): a is Aggregation & { result: ChatResult } => a.result !== undefined);
  const candidates: CandidateOutcome[] = aggregations.map((a) => ({
    index: a.index,
    subset: a.subset,
    ok: a.result !== undefined,
    ...(a.error !== undefined ? { error: a.error } : {}),
    text: a.result?.text ?? '',
    similarity: 0,
    perplexity: null,
    total: 0,
  }));
  let winner = -1;
  let logprobsUsed = false;
  if (succeeded.length > 0) {
    const vectors = await deps.embedder.embed(
      succeeded.map((a) => a.result.text),
      signal,
    );
    checkCancelled();
    const scored = hybridScores(vectors, succeeded.map((a) => a.result.tokenLogprobs), params.lambda);
    logprobsUsed = scored.logprobsUsed;
    winner = at(succeeded, scored.winner).index;
    // hybridScores checked that there is one score per succeeded aggregation, and a.index is a position in candidates.
    succeeded.forEach((a, j) => {
      candidates[a.index] = {
        ...at(candidates, a.index),
        similarity: at(scored.similarity, j),
        perplexity: scored.perplexity[j] ?? null,
        total: at(scored.total, j),
      };
    });
  }
  const tScore = now();
  emit({ type: 'scored', candidates, winner, logprobsUsed });

  // 7. The result; when every aggregation failed, the highest-prior reference answers, flagged.
  const fallbackReference =
    winner === -1 ? at([...arrived].sort((a, b) => (priorOf.get(b.model) ?? 0) - (priorOf.get(a.model) ?? 0)), 0) : undefined;
  const usage = [...outcomes.map((o) => o.usage), ...succeeded.map((a) => a.result.usage)].reduce(addUsage, ZERO_USAGE);
  const result: AskResult = {
    question: input.question,
    support: { count: supportCount },
    priors,
    ...(fallback ? { selectionFallback: fallback } : {}),
    referencers: outcomes.map((o) => (trimmedModels.has(o.model) ? { ...o, trimmed: true } : o)),
    aggregator: input.aggregator,
    candidates,
    winner,
    answer: fallbackReference ? fallbackReference.text : at(candidates, winner).text,
    ...(fallbackReference ? { fallbackReference: fallbackReference.model } : {}),
    logprobsUsed,
    trimmedReferences: [...trimmedModels],
    timings: {
      embedMs: tEmbed - t0,
      retrieveMs: tRetrieve - tEmbed,
      referencersMs: tReferencers - tRetrieve,
      aggregateMs: tAggregate - tReferencers,
      scoreMs: tScore - tAggregate,
      totalMs: tScore - t0,
    },
    usage,
  };
  emit({ type: 'done', result });
}

/** Calls every referencer in parallel; with a straggler deadline, stops waiting for slow ones once K − Kdrop are in. */
async function runReferencers(
  models: readonly string[],
  user: string,
  params: SmcsParams,
  deps: PipelineDeps,
  signal: AbortSignal,
  emit: (e: PipelineEvent) => void,
  now: () => number,
): Promise<ReferenceOutcome[]> {
  const controllers = models.map(() => new AbortController());
  const stopAll = () => controllers.forEach((c) => c.abort(signal.reason));
  signal.addEventListener('abort', stopAll, { once: true });
  const settled = new Set<number>();
  const abandoned = new Set<number>();
  const enough = Math.max(1, models.length - params.kDrop);
  let okCount = 0;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const abandonStragglers = () => {
    const pending = models.flatMap((model, i) => (settled.has(i) ? [] : [{ model, i }]));
    if (pending.length === 0) return;
    pending.forEach(({ i }) => {
      abandoned.add(i);
      at(controllers, i).abort(new Error('straggler deadline'));
    });
    emit({ type: 'referencers-abandoned', models: pending.map(({ model }) => model) });
  };
  try {
    return await Promise.all(
      models.map(async (model, i): Promise<ReferenceOutcome> => {
        emit({ type: 'referencer-started', model });
        const started = now();
        try {
          const r = await deps.gateway.chat(
            {
              model,
              messages: [{ role: 'user', content: user }],
              temperature: params.temperature,
              maxTokens: params.maxTokens,
              presencePenalty: params.presencePenalty,
              logprobs: false,
            },
            (d) => emit({ type: 'referencer-delta', model, kind: d.kind, text: d.text }),
            at(controllers, i).signal,
          );
          const outcome: ReferenceOutcome = {
            model,
            ok: true,
            latencyMs: r.latencyMs,
            usage: r.usage,
            text: r.text,
            ...(r.costUsd !== undefined ? { costUsd: r.costUsd } : {}),
          };
          settled.add(i);
          emit({ type: 'referencer-done', reference: outcome });
          okCount++;
          if (params.stragglerMs !== null && okCount >= enough && deadline === undefined) {
            deadline = setTimeout(abandonStragglers, params.stragglerMs);
          }
          return outcome;
        } catch (e) {
          settled.add(i);
          const error = abandoned.has(i) ? `abandoned after the straggler deadline (${params.stragglerMs} ms)` : errorText(e);
          if (!signal.aborted) emit({ type: 'referencer-failed', model, error });
          return { model, ok: false, error, latencyMs: now() - started, usage: ZERO_USAGE, text: '' };
        }
      }),
    );
  } finally {
    if (deadline !== undefined) clearTimeout(deadline);
    signal.removeEventListener('abort', stopAll);
  }
}
