/** Maps errors of the openai SDK and of fetch to LlmError kinds, naming endpoint and model. */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { HTML_PAGE_MESSAGE, HtmlPageError, ReplyTooLargeError } from './apiFetch';
import { errorBodyMessage } from './errorBody';
import { LlmError, where } from './errors';
import { parseRetryAfter } from './retry';

export interface CallState {
  endpointId: string;
  model: string | undefined;
  /** The caller's signal fired. */
  aborted: boolean;
  /** Our timeout fired (it aborts the request too). */
  timedOut: boolean;
  timeoutMs: number;
  /** The call's total limit (`maxCallMs`) fired. */
  overran?: boolean;
  maxCallMs?: number;
}

/** The error for a call cancelled through its AbortSignal. */
export function abortError(endpointId: string, model?: string): LlmError {
  return new LlmError(`${where(endpointId, model)}: cancelled`, { kind: 'cancelled', endpointId, ...(model !== undefined ? { model } : {}) });
}

/** The error for a call that got no data for `timeoutMs`. */
export function timeoutError(endpointId: string, model: string | undefined, timeoutMs: number): LlmError {
  return new LlmError(`${where(endpointId, model)}: timed out after ${timeoutMs} ms without data (timeoutMs of endpoint ${endpointId})`, {
    kind: 'timeout',
    endpointId,
    ...(model !== undefined ? { model } : {}),
  });
}

/** The error for a call that had not finished when its total limit (the endpoint's `maxCallMs`) ran out. */
export function callLimitError(endpointId: string, model: string | undefined, maxCallMs: number): LlmError {
  return new LlmError(`${where(endpointId, model)}: no complete reply within ${maxCallMs} ms, the most one call may take (maxCallMs of endpoint ${endpointId})`, {
    kind: 'timeout',
    endpointId,
    ...(model !== undefined ? { model } : {}),
  });
}

/** The message of a reply (or a stream line) that is not JSON, whoever finds it: the SDK's parser or ours. */
export const INVALID_JSON = 'the server returned invalid JSON';

/** The error for a stream that ended cleanly but without a finish reason (cut short by a proxy or server). */
export function truncatedError(endpointId: string, model: string): LlmError {
  return new LlmError(`${where(endpointId, model)}: connection lost: the stream ended before the reply was complete`, { kind: 'connection', endpointId, model });
}

const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function isConnectionFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof TypeError && (err.message === 'terminated' || err.message === 'fetch failed')) return true;
  const code = (err as { code?: unknown }).code ?? ((err as { cause?: { code?: unknown } }).cause?.code);
  return typeof code === 'string' && CONNECTION_CODES.has(code);
}

function causeText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message !== err.message ? `${err.message} (${cause.message})` : err.message;
}

/**
 * The server's error text — the message of its error body (never the JSON), else the SDK's message — or what it is when
 * it is an HTML page (a proxy's or web server's error page, never worth printing).
 */
function errorDetail(body: unknown, message: string, status: number | undefined): string {
  const detail = errorBodyMessage(body) ?? message.replace(/^\d+\s*/, '');
  if (!detail.trimStart().startsWith('<')) return detail || 'no message';
  return status === 404 ? HTML_PAGE_MESSAGE : 'the server answered with an HTML error page';
}

/** `err` when it is a `type`, else the `type` it was caused by (the SDK wraps what fetch throws; a body read wraps once more). */
function causeOf<T extends Error>(err: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = (e as { cause?: unknown }).cause, depth++) if (e instanceof type) return e;
  return undefined;
}

/** Turns any error thrown during a call into an LlmError; errors of unknown origin (e.g. thrown by a delta handler) pass through. */
export function classify(err: unknown, state: CallState): unknown {
  const { endpointId, model } = state;
  const at = where(endpointId, model);
  const base = { endpointId, ...(model !== undefined ? { model } : {}), cause: err };
  if (err instanceof LlmError) return err;
  if (state.aborted) return abortError(endpointId, model);
  if (state.overran && state.maxCallMs !== undefined) return callLimitError(endpointId, model, state.maxCallMs);
  if (state.timedOut || err instanceof APIConnectionTimeoutError) return timeoutError(endpointId, model, state.timeoutMs);
  const tooLarge = causeOf(err, ReplyTooLargeError);
  if (tooLarge) return new LlmError(`${at}: ${tooLarge.message}`, { kind: 'protocol', ...base });
  if (err instanceof APIUserAbortError) return abortError(endpointId, model);
  const html = causeOf(err, HtmlPageError);
  if (html) return new LlmError(`${at}: ${HTML_PAGE_MESSAGE} (the reply to ${html.url} is HTML)`, { kind: 'protocol', ...base });
  if (err instanceof APIConnectionError) return new LlmError(`${at}: connection failed: ${causeText(err.cause ?? err)}`, { kind: 'connection', ...base });
  if (err instanceof APIError) {
    // instanceof yields APIError<any, any>: pin the status and headers to what the SDK sets at run time.
    const status = err.status as number | undefined;
    const headers = err.headers as Headers | undefined;
    const detail = errorDetail(err.error as unknown, err.message, status);
    if (status === undefined) return new LlmError(`${at}: the server reported an error in the stream: ${detail}`, { kind: 'protocol', ...base });
    // A spent budget or credit is no rate limit: OpenAI's (and a team server's) 429 `insufficient_quota`, OpenRouter's 402.
    // Its words (presentation/endpointTrouble spentBudgetWords reads them back) are the server's after this prefix.
    if (status === 402 || (status === 429 && (err.code === 'insufficient_quota' || err.type === 'insufficient_quota'))) {
      return new LlmError(`${at}: the budget is spent (HTTP ${status}${status === 429 ? ' insufficient_quota' : ''}): ${detail}`, { kind: 'quota', status, ...base });
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(headers?.get('retry-after'));
      return new LlmError(`${at}: rate limited (HTTP 429): ${detail}`, { kind: 'rate-limit', status, ...base, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    }
    if (status >= 500 || status === 408) return new LlmError(`${at}: server error (HTTP ${status}): ${detail}`, { kind: 'server', status, ...base });
    if (status === 401 || status === 403) {
      return new LlmError(`${at}: the API key was rejected (HTTP ${status}): ${detail}; check the key set for endpoint ${endpointId}`, { kind: 'auth', status, ...base });
    }
    return new LlmError(`${at}: request refused (HTTP ${status}): ${detail}`, { kind: 'http', status, ...base });
  }
  if (err instanceof SyntaxError) return new LlmError(`${at}: ${INVALID_JSON} in a stream line (${err.message})`, { kind: 'protocol', ...base });
  if (isConnectionFailure(err)) return new LlmError(`${at}: connection lost: ${causeText(err)}`, { kind: 'connection', ...base });
  return err;
}
