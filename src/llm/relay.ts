/**
 * A chat-completions request forwarded to one model as the client wrote it (only `model` becomes the id the endpoint
 * serves), and the endpoint's answer handed back as it comes: a successful reply's content type and bytes unchanged but
 * for our keys (never in them: a gateway may echo them), a refusal as its status and its message with every credential
 * redacted. The usage the endpoint reports is read from the bytes on their way through, for the log and the price.
 */
import { attributionFields } from './attribution';
import type { EndpointConfig } from '../core/contracts/config';
import { refuseOversizedPrompt } from '../core/ask/promptSize';
import { estimateMessageTokens, estimateTokens } from '../core/util/tokens';
import type { TokenPrice, TokenUsage } from '../core/contracts/types';
import { callCost } from '../core/cost/costs';
import { cleanMessage, redact, redactRegistered } from '../core/util/redact';
import type { Semaphore } from '../core/util/semaphore';
import { apiFetch } from './apiFetch';
import { abortError, callLimitError, classify, timeoutError } from './classify';
import { callLimitOf, outputCeiling, replyLimits } from './limits';
import { requestedOutput, StreamMeter } from './streamMeter';
import { errorBodyFields, errorBodyMessage } from './errorBody';
import { where } from './errors';
import { endpointHeaders } from './headers';

/** What the relay learnt once the whole answer went through. */
export interface RelayOutcome {
  /**
   * The usage the endpoint reported (the last `usage` of a stream, or the completion's), estimated for a stream we
   * stopped; null when it sent none.
   */
  usage: TokenUsage | null;
  /** USD at the model's price; null when the price or the usage is unknown. */
  costUsd: number | null;
  /** Set when we stopped reading a stream that ran on far past its `max_tokens`: the estimated tokens that had arrived. */
  stoppedAtTokens?: number;
}

/** A 2xx answer, to be relayed as it comes. */
export interface RelayedReply {
  ok: true;
  status: number;
  /** The endpoint's content type (`text/event-stream` for a stream, `application/json` otherwise). */
  contentType: string;
  /**
   * The endpoint's bytes, read only as fast as they are taken (the connection pauses meanwhile), our keys removed; a
   * stream comes in whole lines. Reading it through (or its failure) settles `outcome`.
   */
  body: AsyncIterable<Uint8Array>;
  outcome: Promise<RelayOutcome>;
}

/** An answer with an error status: what the endpoint said, credentials redacted. */
export interface RelayedRefusal {
  ok: false;
  status: number;
  /** True when the endpoint refused the key SMCS sent it (401, 403, 407, or an `invalid_api_key` code). */
  keyRefused: boolean;
  /** `endpoint e, model m: HTTP 400: <the endpoint's message>`, redacted and without terminal controls (core/util/redact). */
  message: string;
  /** The endpoint's own `code` and `param`, when it gave them as strings (redacted). */
  code?: string;
  param?: string;
  /** The endpoint's Retry-After, for a relayed 429 or 503. */
  retryAfter?: string;
}

export type RelayedResponse = RelayedReply | RelayedRefusal;

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

/** Where a relayed request goes: the endpoint, its key and headers, the model's id, price and window, the endpoint's permits. */
export interface RelayTarget {
  endpoint: EndpointConfig;
  apiKey: string;
  modelId: string;
  pricing: TokenPrice | undefined;
  contextWindow: number | undefined;
  limit: Semaphore;
  /** The output budget of a body that names none (the config's `maxTokens`): where its stream is stopped follows from it. */
  maxTokens: number;
}

/** The most of an error body read: its message is a sentence; the rest of a huge error page is never fetched. */
const ERROR_BODY_BYTES = 64 * 1024;

/** The most of an error text quoted when it is not JSON. */
const ERROR_TEXT_CHARS = 1000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Estimated prompt tokens of a relayed body: the text of its messages and its tool definitions. Images and audio are
 * left out (their base64 says nothing of the tokens they cost), so the estimate errs on the side of sending.
 */
function relayPromptTokens(body: Readonly<Record<string, unknown>>): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const texts = messages.map((m: unknown) => {
    if (!isObject(m)) return '';
    const { content } = m;
    const parts = typeof content === 'string' ? content : Array.isArray(content) ? content.map((p: unknown) => (isObject(p) && typeof p.text === 'string' ? p.text : '')).join('') : '';
    return parts + (m.tool_calls === undefined ? '' : JSON.stringify(m.tool_calls));
  });
  const tools = [body.tools, body.functions, body.response_format].filter((x) => x !== undefined).map((x) => JSON.stringify(x)).join('');
  return texts.reduce((sum, t) => sum + estimateMessageTokens(t), 0) + estimateTokens(tools);
}

/** The first `limit` bytes of a body (the rest is cancelled, never read). */
async function readPrefix(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** A short string field of the endpoint's error, redacted. */
const field = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' && v.length <= 200 ? redact(v) : undefined);

/** What an endpoint answered with an error status, as a refusal to relay: its message and fields redacted. */
function refusalOf(status: number, text: string, retryAfter: string | null, endpointId: string, model: string): RelayedRefusal {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const error = errorBodyFields(parsed);
  const detail = errorBodyMessage(parsed) ?? (text.trimStart().startsWith('<') ? 'an HTML error page' : parsed === undefined ? text.slice(0, ERROR_TEXT_CHARS) : '');
  const code = field(error.code);
  const param = field(error.param);
  const keyRefused = status === 401 || status === 403 || status === 407 || code === 'invalid_api_key';
  return {
    ok: false,
    status,
    keyRefused,
    message: cleanMessage(`${where(endpointId, model)}: HTTP ${status}: ${detail.trim() || 'no message'}`),
    ...(code !== undefined ? { code } : {}),
    ...(param !== undefined ? { param } : {}),
    ...(retryAfter !== null ? { retryAfter } : {}),
  };
}

/**
 * The lines of a relayed event stream, each whole (a key is never split between two pieces, where no filter could see
 * it): our registered keys removed from every line, and an error event's message redacted entirely (it is the
 * gateway's text, not the model's, so it gets every pattern).
 */
class StreamFilter {
  private pending: Buffer = Buffer.alloc(0);

  /** The complete lines in `bytes` and what was pending, filtered; the unfinished last line waits for the next piece. */
  push(bytes: Uint8Array): Uint8Array | undefined {
    const joined = this.pending.length === 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.concat([this.pending, bytes]);
    const end = joined.lastIndexOf(0x0a) + 1;
    this.pending = joined.subarray(end);
    return end === 0 ? undefined : filtered(joined.subarray(0, end));
  }

  /** What was left without a final line break. */
  flush(): Uint8Array | undefined {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return rest.length === 0 ? undefined : filtered(rest);
  }
}

/** `data: {"error": …}`: an error event, redacted with every pattern (other lines only lose our keys). */
const ERROR_EVENT = /^data:\s*\{\s*"error"\s*:/;

function filtered(bytes: Buffer): Uint8Array {
  const text = bytes.toString('utf8');
  let clean = redactRegistered(text);
  if (clean.includes('"error"')) clean = clean.split('\n').map((line) => (ERROR_EVENT.test(line) ? redact(line) : line)).join('\n');
  return clean === text ? bytes : Buffer.from(clean, 'utf8');
}

/** A JSON reply's pieces as one, our keys removed. */
function redactedWhole(pieces: readonly Uint8Array[]): Uint8Array | undefined {
  if (pieces.length === 0) return undefined;
  const bytes = Buffer.concat(pieces);
  const text = bytes.toString('utf8');
  const clean = redactRegistered(text);
  return clean === text ? bytes : Buffer.from(clean, 'utf8');
}

/**
 * Sends the body to the target once (no retry: the client decides), holding one of the endpoint's permits until the
 * answer has been read through or the caller's signal aborts. A body clearly larger than the model's context window
 * is refused before anything is sent (PromptTooLongError). The endpoint's `timeoutMs` bounds the wait for the answer
 * and for each next piece of it (not the time the client takes to read one: nothing is read meanwhile), `maxCallMs`
 * the whole call. A stream that runs on far past the body's `max_tokens` (llm/limits `outputCeiling`) is stopped there
 * and ends as a reply cut at the token limit (`finish_reason: "length"`, then `[DONE]`). A status the endpoint answers with is relayed as a refusal, not thrown; a request that gets no
 * answer (connection, timeout, abort) throws LlmError.
 */
export async function relayChat(target: RelayTarget, body: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<RelayedResponse> {
  const { endpoint, modelId } = target;
  refuseOversizedPrompt(modelId, relayPromptTokens(body), target.contextWindow);
  const maxCallMs = callLimitOf(endpoint);
  const release = await target.limit.acquire(signal, () => abortError(endpoint.id, modelId));
  const ctrl = new AbortController();
  let timedOut = false;
  let overran = false;
  // Waiting for the endpoint (not for the client to take what came): only then does the inactivity timeout run.
  let waiting = true;
  const idle = setTimeout(function fire() {
    if (!waiting) return void idle.refresh();
    timedOut = true;
    ctrl.abort();
  }, endpoint.timeoutMs);
  const total = setTimeout(() => {
    overran = true;
    ctrl.abort();
  }, maxCallMs);
  let settled = false;
  const settle = () => {
    if (settled) return;
    settled = true;
    clearTimeout(idle);
    clearTimeout(total);
    signal.removeEventListener('abort', onAbort);
    ctrl.abort();
    release();
  };
  // The caller going away ends the upstream request at once, whether or not anyone still reads the body.
  const onAbort = () => settle();
  signal.addEventListener('abort', onAbort, { once: true });
  const failure = (err: unknown) => classify(err, { endpointId: endpoint.id, model: modelId, aborted: signal.aborted, timedOut, timeoutMs: endpoint.timeoutMs, overran, maxCallMs });
  let response: Response;
  try {
    if (signal.aborted) throw abortError(endpoint.id, modelId);
    response = await apiFetch(
      `${endpoint.baseUrl}/chat/completions`,
      {
        method: 'POST',
        headers: { ...endpointHeaders(endpoint), authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, ...attributionFields(endpoint.provider, 'routed'), model: modelId }),
        signal: ctrl.signal,
      },
      replyLimits(endpoint),
    );
    if (!response.ok) {
      const text = await readPrefix(response.body, ERROR_BODY_BYTES);
      settle();
      return refusalOf(response.status, text, response.headers.get('retry-after'), endpoint.id, modelId);
    }
  } catch (err) {
    settle();
    throw failure(err);
  }
  idle.refresh();
  const contentType = response.headers.get('content-type') ?? 'application/json';
  const stream = /text\/event-stream/i.test(contentType);
  const tap = new UsageReader(contentType);
  const meter = new StreamMeter(outputCeiling(requestedOutput(body, target.maxTokens)));
  let stoppedAtTokens: number | undefined;
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
    const lines = new StreamFilter();
    const whole: Uint8Array[] = [];
    try {
      const chunks: ReadableStreamDefaultReader<Uint8Array> | undefined = source?.getReader();
      for (;;) {
        waiting = true;
        idle.refresh();
        const next = await chunks?.read();
        waiting = false;
        if (!next || next.done) break;
        if (!stream) {
          whole.push(next.value);
          continue;
        }
        const piece = lines.push(next.value);
        if (piece === undefined) continue;
        const relayed = meter.pass(piece);
        tap.add(relayed);
        yield relayed;
        if (meter.stopped) {
          stoppedAtTokens = meter.tokens;
          yield meter.stopLines();
          break;
        }
      }
      // A JSON reply comes whole (apiFetch bounds it): a key split between two reads is still found.
      const rest = stoppedAtTokens !== undefined ? undefined : stream ? lines.flush() : redactedWhole(whole);
      if (rest) {
        tap.add(rest);
        yield rest;
      }
      if (signal.aborted) throw abortError(endpoint.id, modelId);
      if (overran) throw callLimitError(endpoint.id, modelId, maxCallMs);
      if (timedOut) throw timeoutError(endpoint.id, modelId, endpoint.timeoutMs);
      // A stream we stopped never sent the server's count: ours stands in for it.
      const usage = tap.finish() ?? (stoppedAtTokens !== undefined ? { promptTokens: relayPromptTokens(body), completionTokens: stoppedAtTokens } : null);
      const costUsd = usage ? callCost({ prompt: usage.promptTokens, completion: usage.completionTokens }, target.pricing) : null;
      report({ usage, costUsd, ...(stoppedAtTokens !== undefined ? { stoppedAtTokens } : {}) });
    } catch (err) {
      const error = failure(err);
      fail(error);
      throw error;
    } finally {
      settle();
    }
  }
  return { ok: true, status: response.status, contentType, body: bytes(), outcome };
}
