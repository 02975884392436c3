/** Errors as OpenAI's API sends them (`{error: {message, type, param, code}}`), each with its HTTP status, and the JSON responses that carry them. */
import type { ServerResponse } from 'node:http';
import type { ErrorKind } from '../core/contracts/errors';
import type { Spent } from '../core/contracts/events';
import { cleanMessage } from '../core/util/redact';
import { formatQuantity, formatUsd } from '../presentation/format';
import { jsonDocument } from '../presentation/jsonDocument';

export type ApiErrorType = 'invalid_request_error' | 'authentication_error' | 'rate_limit_error' | 'insufficient_quota' | 'upstream_error' | 'timeout_error' | 'server_error';

/**
 * A refusal or failure the client is told about, in OpenAI's shape. Its message passes the redactor whatever it quotes
 * (an upstream's text, an error of unknown origin): every error text that reaches a client is cleaned in this one place.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: ApiErrorType,
    readonly code: string,
    readonly param: string | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(cleanMessage(message));
    this.name = 'ApiError';
  }

  /** The JSON body OpenAI's clients parse (the official SDK reads `error.message`, `type`, `code`, `param`). */
  get body(): { error: { message: string; type: ApiErrorType; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** 400: the request names the problem in `message` (and the field in `param`). */
export const badRequest = (message: string, param: string | null = null, code = 'invalid_request'): ApiError => new ApiError(400, message, 'invalid_request_error', code, param);

/**
 * The status of an ask that ended in an error event: 504 when an upstream timed out, 502 when the upstreams failed,
 * 400 when the config refuses the question (the cost limit) or it is larger than the chosen models' context window
 * (OpenAI's own code for it), 500 otherwise (bank, embedder, a bug).
 */
export function askFailure(kind: ErrorKind, message: string): ApiError {
  switch (kind) {
    case 'timeout':
      return new ApiError(504, message, 'timeout_error', 'upstream_timeout');
    case 'connection':
    case 'server':
    case 'rate-limit':
    case 'quota':
    case 'auth':
    case 'http':
    case 'protocol':
    case 'mixed':
      return new ApiError(502, message, 'upstream_error', 'upstream_failed');
    case 'config':
      return new ApiError(400, message, 'invalid_request_error', 'config');
    case 'too-long':
      return new ApiError(400, message, 'invalid_request_error', 'context_length_exceeded', 'messages');
    default:
      return new ApiError(500, message, 'server_error', kind);
  }
}

/** A whole JSON response, its money rounded as every JSON document's is (presentation/jsonDocument). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = jsonDocument(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Sends an error response (nothing is sent when the headers already went out: streams report errors in-band). */
export function sendError(res: ServerResponse, error: ApiError): void {
  if (!res.headersSent) sendJson(res, error.status, error.body, error.headers);
}

/**
 * Why the asks under way were ended: the server is stopping (SIGTERM, SIGINT, Stop in the editor). An ask ended so
 * tells its client (serverStopped) instead of closing the connection as if the client had left.
 */
export class ServerStopping extends Error {
  constructor() {
    super('the server is stopping');
    this.name = 'ServerStopping';
  }
}

/**
 * What a client is told when the server stopped (503, or in its stream once it opened): for an ask that ran (`spent`),
 * what its calls cost so far — the figure its calls' records and a team server's ledger hold, "≈" when a call cut
 * mid-reply is estimated — and that it is counted; for a request that never ran, that nothing is counted. Ask again in a moment.
 */
export function serverStopped(spent?: Spent): ApiError {
  return new ApiError(503, `the SMCS server ${spent === undefined ? 'is stopping (it is shutting down) and did not run this request: nothing is counted for it' : `stopped (it is shutting down) before this ask was answered: ${spentSoFar(spent)}`}; ask again in a moment`, 'server_error', 'server_stopping', null, { 'retry-after': '5' });
}

/** "what its 2 calls cost so far, ≈$0.000556, is counted"; "it had made no call, so nothing is counted". */
function spentSoFar({ calls, costUsd }: Spent): string {
  if (calls.length === 0) return 'it had made no call, so nothing is counted';
  const its = `its ${formatQuantity(calls.length, 'call')}`;
  if (costUsd === null) return `what ${its} cost so far is counted (no price is known for their models)`;
  return `what ${its} cost so far, ${calls.some((c) => c.estimated) ? '≈' : ''}${formatUsd(costUsd)}, is counted`;
}

/** True when `signal` was aborted because the server is stopping. */
export const stoppedByServer = (signal: AbortSignal): boolean => signal.aborted && signal.reason instanceof ServerStopping;
