/**
 * A chat-completions request forwarded to one model as the client wrote it (only `model` becomes the id the endpoint
 * serves), and the endpoint's answer handed back as it comes: status, content type and bytes unchanged. The usage the
 * endpoint reports is read from the bytes on their way through, for the log and the price.
 */
import type { EndpointConfig } from '../core/contracts/config';
import type { TokenPrice, TokenUsage } from '../core/contracts/types';
import { callCost } from '../core/cost/costs';
import type { Semaphore } from '../core/util/semaphore';
import { apiFetch } from './apiFetch';
import { abortError, classify, timeoutError } from './classify';
import { endpointHeaders } from './headers';

/** What the relay learnt once the whole answer went through. */
export interface RelayOutcome {
  /** The usage the endpoint reported (the last `usage` of a stream, or the completion's); null when it sent none. */
  usage: TokenUsage | null;
  /** USD at the model's price; null when the price or the usage is unknown. */
  costUsd: number | null;
}

export interface RelayedResponse {
  status: number;
  /** The endpoint's content type (`text/event-stream` for a stream, `application/json` otherwise). */
  contentType: string;
  /** The endpoint's bytes, unchanged; reading it through (or its failure) settles `outcome`. */
  body: AsyncIterable<Uint8Array>;
  outcome: Promise<RelayOutcome>;
}

/** The most of a JSON answer kept to find its usage (a bigger one is relayed all the same, without usage). */
const JSON_USAGE_LIMIT = 32 * 1024 * 1024;

const usageFrom = (value: unknown): TokenUsage | null => {
  if (typeof value !== 'object' || value === null) return null;
  const usage = (value as { usage?: unknown }).usage;
  if (typeof usage !== 'object' || usage === null) return null;
  const { prompt_tokens: prompt, completion_tokens: completion } = usage as { prompt_tokens?: unknown; completion_tokens?: unknown };
  return typeof prompt === 'number' && typeof completion === 'number' ? { promptTokens: prompt, completionTokens: completion } : null;
};

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Reads the usage out of the bytes of a stream (each `data:` line) or of one JSON document, as they pass. */
export class UsageReader {
  private readonly decoder = new TextDecoder();
  private readonly stream: boolean;
  private pending = '';
  private size = 0;
  private found: TokenUsage | null = null;

  constructor(contentType: string) {
    this.stream = /text\/event-stream/i.test(contentType);
  }

  add(bytes: Uint8Array): void {
    this.size += bytes.length;
    if (!this.stream && this.size > JSON_USAGE_LIMIT) {
      this.pending = '';
      return;
    }
    this.pending += this.decoder.decode(bytes, { stream: true });
    if (!this.stream) return;
    const lines = this.pending.split(/\r?\n/);
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  /** The usage reported, once every byte was added. */
  finish(): TokenUsage | null {
    this.pending += this.decoder.decode();
    if (this.stream) this.line(this.pending);
    else if (this.size <= JSON_USAGE_LIMIT) this.found = usageFrom(parsed(this.pending));
    return this.found;
  }

  private line(line: string): void {
    if (!line.startsWith('data:')) return;
    const data = line.slice(5).trim();
    if (data === '' || data === '[DONE]' || !data.includes('"usage"')) return;
    this.found = usageFrom(parsed(data)) ?? this.found;
  }
}

/** Where a relayed request goes: the endpoint, its key and headers, the model's id and price, the endpoint's permits. */
export interface RelayTarget {
  endpoint: EndpointConfig;
  apiKey: string;
  modelId: string;
  pricing: TokenPrice | undefined;
  limit: Semaphore;
}

/**
 * Sends the body to the target once (no retry: the client decides), holding one of the endpoint's permits until the
 * answer has been read through or the caller's signal aborts. The endpoint's `timeoutMs` bounds the wait for the
 * answer and every gap in it. A status the endpoint answers with is relayed, not thrown; a request that gets no answer
 * (connection, timeout, abort) throws LlmError.
 */
export async function relayChat(target: RelayTarget, body: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<RelayedResponse> {
  const { endpoint, modelId } = target;
  const release = await target.limit.acquire(signal, () => abortError(endpoint.id, modelId));
  const ctrl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctrl.abort();
  }, endpoint.timeoutMs);
  let settled = false;
  const settle = () => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    ctrl.abort();
    release();
  };
  // The caller going away ends the upstream request at once, whether or not anyone still reads the body.
  const onAbort = () => settle();
  signal.addEventListener('abort', onAbort, { once: true });
  const failure = (err: unknown) => classify(err, { endpointId: endpoint.id, model: modelId, aborted: signal.aborted, timedOut, timeoutMs: endpoint.timeoutMs });
  let response: Response;
  try {
    if (signal.aborted) throw abortError(endpoint.id, modelId);
    response = await apiFetch(`${endpoint.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { ...endpointHeaders(endpoint), authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, model: modelId }),
      signal: ctrl.signal,
    });
  } catch (err) {
    settle();
    throw failure(err);
  }
  timer.refresh();
  const contentType = response.headers.get('content-type') ?? 'application/json';
  const tap = new UsageReader(contentType);
  let report: (outcome: RelayOutcome) => void = () => undefined;
  let fail: (err: unknown) => void = () => undefined;
  const outcome = new Promise<RelayOutcome>((resolve, reject) => {
    report = resolve;
    fail = reject;
  });
  // Nobody may be waiting for the outcome when the answer fails; the body's reader gets the error.
  outcome.catch(() => undefined);
  const source = response.body;
  async function* bytes(): AsyncGenerator<Uint8Array> {
    try {
      const chunks: ReadableStreamDefaultReader<Uint8Array> | undefined = source?.getReader();
      for (;;) {
        const next = await chunks?.read();
        if (!next || next.done) break;
        timer.refresh();
        tap.add(next.value);
        yield next.value;
      }
      if (signal.aborted) throw abortError(endpoint.id, modelId);
      if (timedOut) throw timeoutError(endpoint.id, modelId, endpoint.timeoutMs);
      const usage = tap.finish();
      report({ usage, costUsd: usage ? callCost({ prompt: usage.promptTokens, completion: usage.completionTokens }, target.pricing) : null });
    } catch (err) {
      const error = failure(err);
      fail(error);
      throw error;
    } finally {
      settle();
    }
  }
  return { status: response.status, contentType, body: bytes(), outcome };
}
