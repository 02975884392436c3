/**
 * What every layer says about a failure: its message, and its kind as data. Errors of every layer carry a `kind`
 * (LlmError, BankError, ConfigError); events, the panel and telemetry read it instead of parsing message text.
 */

/** Why something failed, in the user's terms. */
export const ERROR_KINDS = [
  /** The user (or a deadline they set) stopped it. */
  'cancelled',
  /** No data for longer than the endpoint's timeoutMs. */
  'timeout',
  /** The server could not be reached or the connection broke. */
  'connection',
  /** The server asked to slow down (HTTP 429). */
  'rate-limit',
  /** The key's budget or the account's credit is spent (HTTP 429 `insufficient_quota`, HTTP 402): waiting does not help. */
  'quota',
  /** The server failed (HTTP 5xx, 408). */
  'server',
  /** The API key was rejected (HTTP 401, 403). */
  'auth',
  /** The server refused the request (another HTTP 4xx). */
  'http',
  /** The server answered something that is not the API (malformed stream, HTML page). */
  'protocol',
  /** A setting or config field is invalid. */
  'config',
  /** The request is larger than a chosen model's context window (refused before it was sent). */
  'too-long',
  /** The question bank is locked, damaged or refused a write. */
  'bank',
  /** The embedding model could not be loaded or run. */
  'embedding',
  /** Several parts failed for different reasons (e.g. every referencer, each its own way). */
  'mixed',
  /** Anything else: a bug. */
  'internal',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

const isErrorKind = (v: unknown): v is ErrorKind => (ERROR_KINDS as readonly unknown[]).includes(v);

/** The kind a thrown value carries; an AbortError is `cancelled`; anything without a kind is `internal`. */
export function errorKind(err: unknown): ErrorKind {
  if (typeof err !== 'object' || err === null) return 'internal';
  const { kind, name } = err as { kind?: unknown; name?: unknown };
  if (isErrorKind(kind)) return kind;
  return name === 'AbortError' ? 'cancelled' : 'internal';
}

/** An endpoint that failed: its id, and its host (`127.0.0.1:8000`; added by the engine, which knows the config). */
export interface FailedEndpoint {
  id: string;
  host?: string;
  /** A team server (`teamServer: true`): the limits on its members' keys and its models are its admin's, not this config's. */
  teamServer?: boolean;
  /**
   * One of a team server's own endpoints, named as the server named it (no host: where it is, is the server's business),
   * and the team server it is behind: only that server's admin can mend it.
   */
  behind?: { id: string; host?: string };
}

/** The wait a thrown value's server asked for before the next try (LLM errors carry `retryAfterMs`, HTTP Retry-After). */
export function errorRetryAfter(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { retryAfterMs } = err as { retryAfterMs?: unknown };
  return typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0 ? retryAfterMs : undefined;
}

/** The endpoint a thrown value is a failure of (LLM errors carry `endpointId` as data); undefined for anything else. */
export function errorEndpoint(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { endpointId } = err as { endpointId?: unknown };
  return typeof endpointId === 'string' && endpointId !== '' ? endpointId : undefined;
}

/** The endpoints behind some failures, each once, in order of first appearance. */
export function failedEndpoints(ids: readonly (string | undefined)[]): FailedEndpoint[] {
  return [...new Set(ids.filter((id): id is string => id !== undefined))].map((id) => ({ id }));
}

/** One kind for several failures: theirs when they agree, else `mixed`. */
export function commonKind(kinds: readonly ErrorKind[]): ErrorKind {
  const [first] = kinds;
  return first !== undefined && kinds.every((k) => k === first) ? first : 'mixed';
}

/** The message of anything thrown: an Error's message, a string as is, anything else as JSON (or its type). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? typeof err;
  } catch {
    return typeof err;
  }
}
