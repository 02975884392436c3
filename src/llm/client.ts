/**
 * One openai-SDK client per endpoint, with our own retry (SDK retries off), a concurrency limit,
 * an inactivity timeout and prompt cancellation.
 *
 * - Retries: 429, 5xx/408 and connection errors, up to `RetryPolicy.maxAttempts`, waiting `Retry-After`
 *   (up to 10 minutes; longer is not retried) or exponential backoff with full jitter; a chat announces each wait
 *   as a `wait` delta, and the caller's signal ends it. A stream that ends without a finish reason was cut
 *   short and counts as a connection error. A chat stream is never retried once it has emitted
 *   a delta (the consumer already showed it). Timeouts, malformed streams, HTML pages and 4xx are not retried.
 * - The SDK's own logging is off (it would print raw stream lines on stderr); what it would report becomes our error.
 * - Timeout: `timeoutMs` bounds the wait for the response and every gap between streamed chunks
 *   (an inactivity timeout, so long generations that keep streaming are not cut); `maxCallMs` bounds the whole call,
 *   retries and waits included, so a stream that never ends still ends: a chat whose answer had begun to arrive keeps
 *   it as far as it got (`stopped`, limit `maxCallMs`); any other call fails with a `timeout` error naming the limit.
 * - Output ceiling: a chat stream that goes on far past `max_tokens` (see `outputCeiling`) is stopped by us and ends
 *   as a reply cut at the token limit, with what arrived and `stopped` (limit `maxTokens`); replies are read within
 *   `maxReplyBytes` and 8 MB per stream line (llm/apiFetch), so no server can make us buffer without end.
 * - Concurrency: at most `maxConcurrency` requests in flight per endpoint; a permit is held per attempt,
 *   not during backoff, and a caller waiting for one leaves the queue when its signal aborts.
 * - Abort: the openai SDK ends an aborted stream silently; the flags are checked after the loop and an
 *   `AbortError` (LlmError kind `aborted`) is thrown. Aborting closes the HTTP connection.
 * - Reasoning: the result's `text` never holds reasoning (see ChatAccumulator); a reply that reasoned and gave no
 *   answer is a `NoAnswerError`, so no caller mistakes it for an empty answer.
 * - Stated bills: an endpoint that states what it billed for a reply (`statesBills`: OpenRouter) gets its reply's id
 *   named in the result, and in the error of a reply cut off after it began, so that bill can be asked (`statedBill`).
 *   The error of a reply the caller stopped after it began names how long its upstream writes on after the connection
 *   closed (`writesOnMs`, the endpoint's `cutTailOf`), so the estimate of what it wrote counts it.
 */
import { attributionFields } from './attribution';
import OpenAI from 'openai';
import type { EndpointConfig } from '../core/contracts/config';
import { callCost } from '../core/cost/costs';
import { registerSecret } from '../core/util/redact';
import { apiFetch } from './apiFetch';
import { callLimitOf, cutTailOf, outputCeiling, replyLimits } from './limits';
import type { ChatDelta, ChatRequest, ChatResult, StatedBill } from '../core/contracts/types';
import { ChatAccumulator, type StreamOutcome } from './chatStream';
import { relayChat, type RelayedResponse } from './relay';
import type { DiscoveredModel } from './discovery';
import { abortError, callLimitError, classify, INVALID_JSON, timeoutError, truncatedError } from './classify';
import { LlmError, where } from './errors';
import { endpointHeaders } from './headers';
import type { ModelInfo } from './registry';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry';
import { Semaphore } from '../core/util/semaphore';

/** How `call` retries, announces its waits and keeps what an operation returned at the call's total limit. */
interface CallOptions<T> {
  mayRetry?: () => boolean;
  onWait?: (ms: number, reason: string) => void;
  keptAtLimit?: (value: T) => boolean;
}

/** A chat result with the provenance of its usage numbers. */
export interface LlmChatResult extends ChatResult {
  /** True when the provider sent no usage and the counts are estimates (~4 characters per token). */
  usageEstimated: boolean;
}

/**
 * A reply that reasoned but gave no answer: stopped after its reasoning, or cut at the token limit while still reasoning
 * (`finishReason` 'length'). Kind `protocol`, not retried; `result` keeps the usage, cost and reasoning of the call.
 */
export class NoAnswerError extends LlmError {
  constructor(
    endpointId: string,
    model: string,
    maxTokens: number,
    readonly result: LlmChatResult,
  ) {
    const why =
      result.finishReason === 'length'
        ? `the reply was cut at the token limit (max_tokens ${maxTokens}) while still reasoning, before any answer`
        : 'the reply has reasoning but no answer after it';
    super(`${where(endpointId, model)}: ${why}`, { kind: 'protocol', endpointId, model });
    this.name = 'NoAnswerError';
  }

  /** True when the token limit cut the reply (a bigger budget may get an answer). */
  get truncated(): boolean {
    return this.result.finishReason === 'length';
  }
}

export interface EndpointClientOptions {
  endpoint: EndpointConfig;
  /** Resolved key (see `resolveApiKey`); sent as `Authorization: Bearer`. */
  apiKey: string;
  retry?: Partial<RetryPolicy>;
  /** Random source for backoff jitter (tests). */
  random?: () => number;
}

/**
 * The error for a streamed chat answered with a JSON document instead of an event stream: invalid JSON, said as such
 * (the SDK's event parser would find no event in it and report a connection cut short), or a document that is not a stream.
 */
async function notAStream(response: Response, endpointId: string, model: string): Promise<LlmError> {
  const text = await response.text();
  let valid = true;
  try {
    JSON.parse(text);
  } catch {
    valid = false;
  }
  const why = valid ? 'the server answered a streamed request with one JSON document, not an event stream' : `${INVALID_JSON} where an event stream was expected`;
  return new LlmError(`${where(endpointId, model)}: ${why}`, { kind: 'protocol', endpointId, model });
}

/**
 * Whether an endpoint states what it billed for a reply, by the reply's id (`GET {baseUrl}/generation?id=…`): OpenRouter
 * does, so an endpoint at openrouter.ai does, and so does one whose provider is `openrouter` (a gateway speaking its API).
 */
function statesBills(endpoint: EndpointConfig): boolean {
  return endpoint.provider === 'openrouter' || new URL(endpoint.baseUrl).hostname === 'openrouter.ai';
}

/** A number of the generation stats, or undefined when the field is absent or not a finite count. */
function statedNumber(data: Record<string, unknown>, field: string): number | undefined {
  const v = data[field];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/**
 * The bill in an answer of `GET /generation` (`{data: {total_cost, native_tokens_prompt, native_tokens_completion,
 * tokens_prompt, tokens_completion, …}}`): the tokens as the model's own tokenizer counted them (what is billed), else
 * as the endpoint normalises them. Throws when it states no cost.
 */
function readBill(body: unknown, endpointId: string): StatedBill {
  const data: unknown = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  const stats = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const costUsd = statedNumber(stats, 'total_cost');
  if (costUsd === undefined) throw new LlmError(`${where(endpointId)}: the generation stats state no total_cost`, { kind: 'protocol', endpointId });
  const prompt = statedNumber(stats, 'native_tokens_prompt') ?? statedNumber(stats, 'tokens_prompt') ?? 0;
  const completion = statedNumber(stats, 'native_tokens_completion') ?? statedNumber(stats, 'tokens_completion') ?? 0;
  return { costUsd, tokens: { prompt, completion } };
}

/** Configured headers whose values are credentials (redacted wherever they might be echoed). */
const CREDENTIAL_HEADER = /auth|key|token|secret|cookie/i;

export class EndpointClient {
  readonly endpoint: EndpointConfig;
  private readonly sdk: OpenAI;
  private readonly apiKey: string;
  private readonly limit: Semaphore;
  private readonly policy: RetryPolicy;
  private readonly random: () => number;
  private readonly known = new Map<string, DiscoveredModel>();
  /** The endpoint states what it billed for a reply by its id (`statesBills`). */
  private readonly billsReplies: boolean;

  constructor(options: EndpointClientOptions) {
    this.endpoint = options.endpoint;
    this.apiKey = options.apiKey;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.random = options.random ?? Math.random;
    this.limit = new Semaphore(options.endpoint.maxConcurrency);
    this.billsReplies = statesBills(options.endpoint);
    const headers = endpointHeaders(options.endpoint);
    const limits = replyLimits(options.endpoint);
    for (const [name, value] of Object.entries(headers)) if (CREDENTIAL_HEADER.test(name)) registerSecret(value.replace(/^(?:Bearer|Basic)\s+/i, ''));
    this.sdk = new OpenAI({
      baseURL: options.endpoint.baseUrl,
      apiKey: options.apiKey,
      defaultHeaders: headers,
      fetch: (input, init) => apiFetch(input, init, limits),
      logLevel: 'off',
      maxRetries: 0,
      // Our own timer is the authority (an inactivity timeout); the SDK's only bounds time to headers.
      timeout: options.endpoint.timeoutMs * 2,
    });
  }

  get id(): string {
    return this.endpoint.id;
  }

  /** Keeps what discovery learnt of this endpoint's models (e.g. the price of an embedding model that is not chatted with). */
  learnModels(models: readonly DiscoveredModel[]): void {
    for (const m of models) this.known.set(m.id, m);
  }

  /** What discovery learnt of a model (its price and context window), when the endpoint listed it. */
  discovered(modelId: string): DiscoveredModel | undefined {
    return this.known.get(modelId);
  }

  /** Requests of this endpoint in flight right now. */
  get inFlight(): number {
    return this.limit.inUse;
  }

  /** `GET {baseUrl}/models`: the raw entries (extra fields such as `max_model_len` kept). */
  listModels(signal: AbortSignal): Promise<unknown[]> {
    return this.call(undefined, signal, async (s) => {
      const page = await this.sdk.models.list({ signal: s });
      return page.data;
    });
  }

  /** `POST {baseUrl}/embeddings` for one batch: raw vectors in input order, and the prompt tokens the server reported. */
  embed(modelId: string, texts: readonly string[], signal: AbortSignal): Promise<{ vectors: number[][]; promptTokens: number | undefined }> {
    return this.call(modelId, signal, async (s) => {
      const res = await this.sdk.embeddings.create({ model: modelId, input: [...texts], encoding_format: 'float', ...attributionFields(this.endpoint.provider, 'embedding') }, { signal: s });
      const reported: unknown = (res.usage as { prompt_tokens?: unknown } | undefined)?.prompt_tokens;
      return {
        vectors: [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding),
        promptTokens: typeof reported === 'number' && Number.isFinite(reported) && reported >= 0 ? reported : undefined,
      };
    });
  }

  /** One streamed chat completion of `model` (already routed to this endpoint). */
  async chat(model: ModelInfo, request: ChatRequest, onDelta: (delta: ChatDelta) => void, signal: AbortSignal): Promise<LlmChatResult> {
    const started = Date.now();
    let emitted = 0;
    let generation: string | undefined;
    const outcome = await this.call(
      model.modelId,
      signal,
      async (s, touch, overran) => {
        const acc = new ChatAccumulator(request.logprobs, onDelta);
        const ceiling = outputCeiling(request.maxTokens);
        // At the call's total limit, an answer that had begun is kept as far as it got; reasoning alone is no answer.
        const keptAtLimit = () => (overran() && acc.answered ? acc.finish(request.messages, 'maxCallMs') : undefined);
        try {
          const { data: stream, response } = await this.sdk.chat.completions
            .create(
              {
                model: model.modelId,
                messages: request.messages,
                temperature: request.temperature,
                max_tokens: request.maxTokens,
                presence_penalty: request.presencePenalty,
                stream: true,
                stream_options: { include_usage: true },
                ...(request.logprobs ? { logprobs: true } : {}),
                ...attributionFields(this.endpoint.provider, request.stage),
              },
              { signal: s },
            )
            .withResponse();
          touch();
          if (/\bjson\b/i.test(response.headers.get('content-type') ?? '')) throw await notAStream(response, this.endpoint.id, model.modelId);
          try {
            for await (const chunk of stream) {
              touch();
              acc.add(chunk);
              // Leaving the loop closes the stream (the SDK aborts its request): what arrived is kept.
              if (acc.generatedTokens > ceiling) return acc.finish(request.messages, 'maxTokens');
            }
          } catch (err) {
            const kept = keptAtLimit();
            if (kept) return kept;
            throw err;
          }
          if (!acc.finished && !s.aborted) throw truncatedError(this.endpoint.id, model.modelId);
          return (acc.finished ? undefined : keptAtLimit()) ?? acc.finish(request.messages);
        } finally {
          emitted = acc.emitted;
          generation = acc.generation;
        }
      },
      {
        mayRetry: () => emitted === 0,
        onWait: (ms, reason) => onDelta({ kind: 'wait', ms, reason }),
        keptAtLimit: (o) => o.stopped?.limit === 'maxCallMs',
      },
    ).catch((err: unknown) => {
      if (!(err instanceof LlmError)) throw err;
      // A reply cut off after it began (stopped, its connection lost): its id, for what the upstream billed for it; and
      // when we stopped reading it (the caller's abort), how long the upstream is taken to write on after the close.
      const cut = {
        ...(this.billsReplies && generation !== undefined ? { generation } : {}),
        ...(signal.aborted && emitted > 0 ? { writesOnMs: cutTailOf(this.endpoint) } : {}),
      };
      throw cut.generation === undefined && cut.writesOnMs === undefined ? err : err.cutOff(cut);
    });
    const result = this.result(model, outcome, Date.now() - started);
    if (result.text.trim() === '' && result.reasoning !== '') throw new NoAnswerError(this.endpoint.id, model.modelId, request.maxTokens, result);
    return result;
  }

  /**
   * What this endpoint billed for reply `generation` (`GET {baseUrl}/generation?id=…`, OpenRouter's generation stats);
   * one attempt. Rejects while the endpoint does not know the reply yet (a 404: the stats come a few seconds after the
   * reply ends) and when its answer states no cost.
   */
  statedBill(generation: string, signal: AbortSignal): Promise<StatedBill> {
    return this.call(undefined, signal, async (s) => readBill(await this.sdk.get<unknown>('/generation', { query: { id: generation }, signal: s }), this.endpoint.id), { mayRetry: () => false });
  }

  /**
   * A chat-completions body relayed to `model` as the client wrote it (llm/relay): one attempt, this endpoint's permits
   * and timeout; `maxTokens` is the output budget of a body that names none.
   */
  relay(model: ModelInfo, body: Readonly<Record<string, unknown>>, maxTokens: number, signal: AbortSignal): Promise<RelayedResponse> {
    return relayChat({ endpoint: this.endpoint, apiKey: this.apiKey, modelId: model.modelId, pricing: model.pricing, contextWindow: model.contextWindow, limit: this.limit, maxTokens }, body, signal);
  }

  private result(model: ModelInfo, o: StreamOutcome, latencyMs: number): LlmChatResult {
    const costUsd = callCost({ prompt: o.usage.promptTokens, completion: o.usage.completionTokens }, model.pricing);
    return {
      text: o.text,
      reasoning: o.reasoning,
      tokenLogprobs: o.tokenLogprobs,
      usage: o.usage,
      usageEstimated: o.usageEstimated,
      latencyMs,
      finishReason: o.finishReason,
      ...(o.stopped !== undefined ? { stopped: { ...o.stopped, ms: latencyMs } } : {}),
      ...(costUsd !== null ? { costUsd } : {}),
      ...(this.billsReplies && o.generation !== undefined ? { generation: o.generation } : {}),
    };
  }

  /**
   * Runs `op` with a concurrency permit, the inactivity timeout (`touch` re-arms it), the call's total limit (`overran`
   * tells `op` it ran out) and the caller's signal, retrying per the policy while `mayRetry()` allows it and telling
   * `onWait` before each wait. A value `op` returns after the total limit ran out counts only when `keptAtLimit` says
   * it is what `op` kept of it.
   */
  private call<T>(model: string | undefined, signal: AbortSignal, op: (signal: AbortSignal, touch: () => void, overran: () => boolean) => Promise<T>, options: CallOptions<T> = {}): Promise<T> {
    const { mayRetry = () => true, onWait, keptAtLimit = () => false } = options;
    const endpointId = this.endpoint.id;
    const timeoutMs = this.endpoint.timeoutMs;
    const maxCallMs = callLimitOf(this.endpoint);
    // One deadline for every attempt and every wait between them: the total limit is the call's, not an attempt's.
    const ended = new AbortController();
    const callSignal = ended.signal;
    let overdue = false;
    const total = setTimeout(() => {
      overdue = true;
      ended.abort();
    }, maxCallMs);
    const endWithCaller = () => ended.abort();
    if (signal.aborted) ended.abort();
    else signal.addEventListener('abort', endWithCaller, { once: true });
    const overran = () => overdue && !signal.aborted;
    const stopped = () => (overran() ? callLimitError(endpointId, model, maxCallMs) : abortError(endpointId, model));
    const attempts = withRetry(
      async () => {
        const release = await this.limit.acquire(callSignal, stopped);
        const ctrl = new AbortController();
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          ctrl.abort();
        }, timeoutMs);
        // Re-arms the one timer (no new timer per streamed chunk).
        const touch = () => void timer.refresh();
        const forward = () => ctrl.abort();
        callSignal.addEventListener('abort', forward, { once: true });
        try {
          const value = await op(ctrl.signal, touch, overran);
          if (callSignal.aborted && !(overran() && keptAtLimit(value))) throw stopped();
          if (timedOut) throw timeoutError(endpointId, model, timeoutMs);
          return value;
        } catch (err) {
          throw classify(err, { endpointId, model, aborted: signal.aborted, timedOut, timeoutMs, overran: overran(), maxCallMs });
        } finally {
          clearTimeout(timer);
          callSignal.removeEventListener('abort', forward);
          ctrl.abort();
          release();
        }
      },
      {
        policy: this.policy,
        signal: callSignal,
        mayRetry,
        onAbort: stopped,
        random: this.random,
        ...(onWait ? { onWait } : {}),
        giveUp: (e, attempts, why) =>
          new LlmError(`${e.message} (${why})`, {
            kind: e.kind,
            endpointId: e.endpointId,
            ...(e.model !== undefined ? { model: e.model } : {}),
            ...(e.status !== undefined ? { status: e.status } : {}),
            attempts,
            cause: e,
          }),
      },
    );
    return attempts.finally(() => {
      clearTimeout(total);
      signal.removeEventListener('abort', endWithCaller);
    });
  }
}
