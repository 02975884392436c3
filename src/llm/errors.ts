/**
 * Errors of the LLM layer. Every message names the endpoint (and model when there is one),
 * so a failed referencer can be reported as-is. Keys never appear in messages: the constructor redacts them
 * (a gateway may echo the Authorization header, a base URL may carry credentials).
 */

import type { ErrorKind } from '../core/contracts/errors';
import { cleanMessage } from '../core/util/redact';

/** Why a call failed. `rate-limit`, `server` and `connection` are worth retrying. */
export type LlmErrorKind = Extract<ErrorKind, 'cancelled' | 'timeout' | 'rate-limit' | 'quota' | 'server' | 'auth' | 'http' | 'connection' | 'protocol'>;

export interface LlmErrorDetails {
  kind: LlmErrorKind;
  endpointId: string;
  model?: string;
  /** HTTP status, when the server answered. */
  status?: number;
  /** Server-requested wait before retrying (from `Retry-After`), in ms. */
  retryAfterMs?: number;
  /** Attempts made before giving up. */
  attempts?: number;
  /** A reply cut off after it began: the upstream's id of it, when the upstream states its bills by that id (llm/client). */
  generation?: string;
  /**
   * A reply we stopped reading after it began (the caller's abort): how long its upstream is taken to go on writing after
   * the connection closed (llm/limits `cutTailOf`), so what it wrote meanwhile is counted.
   */
  writesOnMs?: number;
  cause?: unknown;
}

/** A failed LLM call. `name` is `AbortError` for cancellations, so generic abort checks work. */
export class LlmError extends Error {
  readonly kind: LlmErrorKind;
  readonly endpointId: string;
  readonly model: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly attempts: number | undefined;
  readonly generation: string | undefined;
  readonly writesOnMs: number | undefined;

  constructor(message: string, details: LlmErrorDetails) {
    super(cleanMessage(message), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = details.kind === 'cancelled' ? 'AbortError' : 'LlmError';
    this.kind = details.kind;
    this.endpointId = details.endpointId;
    this.model = details.model;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts;
    this.generation = details.generation;
    this.writesOnMs = details.writesOnMs;
  }

  /**
   * This error of a reply cut off after it began: naming the reply as its upstream does (`generation`), so what the
   * upstream billed for it can be asked, and, when we stopped reading it, how long the upstream writes on (`writesOnMs`).
   */
  cutOff(cut: { generation?: string; writesOnMs?: number }): LlmError {
    const { kind, endpointId, model, status, retryAfterMs, attempts } = this;
    return new LlmError(this.message, { kind, endpointId, model, status, retryAfterMs, attempts, ...cut, cause: this.cause });
  }

  /** True for kinds that a later attempt may cure. */
  get retryable(): boolean {
    return this.kind === 'rate-limit' || this.kind === 'server' || this.kind === 'connection';
  }
}

/** `endpoint local, model m` — the prefix of every message. */
export function where(endpointId: string, model?: string): string {
  return model === undefined ? `endpoint ${endpointId}` : `endpoint ${endpointId}, model ${model}`;
}
