/**
 * Retry with exponential backoff and full jitter, honouring `Retry-After`.
 * The caller decides per error whether a retry is allowed (e.g. never after streamed deltas).
 */
import { LlmError } from './errors';

export interface RetryPolicy {
  /** Total attempts, the first included (1 = no retry). */
  maxAttempts: number;
  /** Backoff base: retry r waits a uniform random time in [0, min(maxDelayMs, baseDelayMs·2^r)]. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest `Retry-After` wait honoured; longer requests are cut to this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60000,
});

/** Parses a `Retry-After` value (delta seconds or an HTTP date) into ms ≥ 0; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Wait before retry number `retry` (0-based): the server's `Retry-After` (capped) when given, else full jitter. */
export function backoffDelay(policy: RetryPolicy, retry: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** Resolves after `ms`, or rejects with `onAbort()` as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal, onAbort: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(onAbort());
    const abort = () => {
      clearTimeout(timer);
      reject(onAbort());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal.addEventListener('abort', abort, { once: true });
  });
}

export interface RetryContext {
  policy: RetryPolicy;
  signal: AbortSignal;
  /** Whether this error may be retried now (in addition to it being retryable). */
  mayRetry: () => boolean;
  /** Error to throw when the signal aborts during a backoff wait. */
  onAbort: () => Error;
  /** Adds the attempt count to the final error's message. */
  giveUp: (error: LlmError, attempts: number) => LlmError;
  random?: () => number;
}

/** Runs `attempt` until it succeeds, a non-retryable error occurs, or the attempts run out. */
export async function withRetry<T>(attempt: (index: number) => Promise<T>, ctx: RetryContext): Promise<T> {
  for (let index = 0; ; index++) {
    try {
      return await attempt(index);
    } catch (err) {
      if (!(err instanceof LlmError) || !err.retryable || !ctx.mayRetry()) throw err;
      if (index + 1 >= ctx.policy.maxAttempts) throw ctx.giveUp(err, index + 1);
      await sleep(backoffDelay(ctx.policy, index, err.retryAfterMs, ctx.random), ctx.signal, ctx.onAbort);
    }
  }
}
