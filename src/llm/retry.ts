/**
 * Retry with exponential backoff and full jitter, honouring `Retry-After` up to a cap (10 minutes by default; a
 * server asking for longer is not retried early, the call gives up saying how long it asked for).
 * The caller decides per error whether a retry is allowed (e.g. never after streamed deltas) and is told
 * before every wait, so it can show it; the caller's signal ends a wait at once.
 */
import { LlmError } from './errors';

export interface RetryPolicy {
  /** Total attempts, the first included (1 = no retry). */
  maxAttempts: number;
  /** Backoff base: retry r waits a uniform random time in [0, min(maxDelayMs, baseDelayMs·2^r)]. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest `Retry-After` wait honoured; a server asking for longer gets no retry. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 600_000,
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

/** Wait before retry number `retry` (0-based): the server's `Retry-After` (at most the cap) when given, else full jitter. */
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

/** A wait for people: `0.4 s`, `120 s`, `3 min`, `2 min 30 s`, `1 h 5 min`. */
export function formatWait(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s <= 120) return `${s} s`;
  const [h, m, rest] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return rest > 0 ? `${m} min ${rest} s` : `${m} min`;
}

/**
 * Why a call waits before retry number `retry` (0-based), e.g. `rate limited (HTTP 429), as the server asked, retry 1
 * of 3`; the wait's length travels beside it (the panel counts it down), so it is not repeated here.
 */
export function waitReason(error: LlmError, retry: number, maxAttempts: number): string {
  const what =
    error.kind === 'rate-limit'
      ? `rate limited (HTTP ${error.status ?? 429})`
      : error.kind === 'server'
        ? `server error${error.status !== undefined ? ` (HTTP ${error.status})` : ''}`
        : 'connection failed';
  const next = `retry ${retry + 1} of ${maxAttempts - 1}`;
  return error.retryAfterMs !== undefined ? `${what}, as the server asked (Retry-After), ${next}` : `${what}, ${next}`;
}

export interface RetryContext {
  policy: RetryPolicy;
  signal: AbortSignal;
  /** Whether this error may be retried now (in addition to it being retryable). */
  mayRetry: () => boolean;
  /** Error to throw when the signal aborts during a backoff wait. */
  onAbort: () => Error;
  /** The final error: `why` says why there is no further attempt ("gave up after 4 attempts"). */
  giveUp: (error: LlmError, attempts: number, why: string) => LlmError;
  /** Told before every wait: how long, and why (see `waitReason`). */
  onWait?: (ms: number, reason: string) => void;
  random?: () => number;
}

/** Runs `attempt` until it succeeds, a non-retryable error occurs, or the attempts run out. */
export async function withRetry<T>(attempt: (index: number) => Promise<T>, ctx: RetryContext): Promise<T> {
  for (let index = 0; ; index++) {
    try {
      return await attempt(index);
    } catch (err) {
      if (!(err instanceof LlmError) || !err.retryable || !ctx.mayRetry()) throw err;
      const attempts = index + 1;
      if (attempts >= ctx.policy.maxAttempts) throw ctx.giveUp(err, attempts, `gave up after ${attempts} attempts`);
      if (err.retryAfterMs !== undefined && err.retryAfterMs > ctx.policy.maxRetryAfterMs) {
        throw ctx.giveUp(err, attempts, `the server asks to wait ${formatWait(err.retryAfterMs)}, longer than the ${formatWait(ctx.policy.maxRetryAfterMs)} SMCS waits`);
      }
      const ms = backoffDelay(ctx.policy, index, err.retryAfterMs, ctx.random);
      ctx.onWait?.(ms, waitReason(err, index, ctx.policy.maxAttempts));
      await sleep(ms, ctx.signal, ctx.onAbort);
    }
  }
}
