/**
 * Requests one model answers: those with tools or a structured reply (routed: RPS and the routing mode choose the
 * model for the latest user message) and `smcs/<model>` (direct). The body goes upstream unchanged but for `model`; a
 * stream comes back as it came (our keys aside, llm/relay) after one comment line naming the model, no faster than the
 * client reads it; a JSON completion gets the `smcs` field; an upstream's refusal comes back as an error of ours.
 */
import type { ServerResponse } from 'node:http';
import { errorKind, errorMessage } from '../core/contracts/errors';
import type { ModelRouter, RouteDecision } from '../engine/types';
import { INVALID_JSON } from '../llm/classify';
import type { RelayedRefusal, RelayedReply, RelayOutcome } from '../llm/relay';
import type { RoutedRequest } from './chatRequest';
import { ApiError, askFailure, sendError } from './errors';
import type { ServedModel } from './models';
import { SseStream } from './sse';

/** Why the model was chosen, as the `smcs` field and the log give it. */
export interface RouteSummary {
  model: string;
  reason: string;
  /** Present when RPS chose (not for `smcs/<model>`). */
  routing?: Omit<RouteDecision, 'model' | 'reason'>;
}

export type RelayOutcomeLog = { ok: true; route: RouteSummary; status: number; outcome: RelayOutcome | null } | { ok: false; route?: RouteSummary; error: ApiError } | { ok: false; cancelled: true };

/** How the model of a relayed request is chosen: the one it names (`smcs/<model>`), or RPS's choice for its latest user message. */
export type Chooser = (signal: AbortSignal) => Promise<RouteSummary>;

export const directModel = (served: Extract<ServedModel, { kind: 'direct' }>): Chooser => () => Promise.resolve({ model: served.model, reason: `requested as ${served.id}` });

export function bestModel(engine: ModelRouter, request: RoutedRequest, served: Extract<ServedModel, { kind: 'ensemble' }>): Chooser {
  return async (signal) => {
    const { model, reason, ...routing } = await engine.route(request.question, { history: request.history, signal, ...(served.routing ? { routing: served.routing } : {}) });
    return { model, reason: `${request.reason}, so one model answers: ${reason}`, routing };
  };
}

/** What the client sent: the body, and whether it asked for a stream. */
export interface RelayRequest {
  body: Readonly<Record<string, unknown>>;
  stream: boolean;
}

/** The model chosen and the body sent to it: its reply as it comes, or its refusal as our error (a refused key named as ours). */
export type OpenedRoute = { route: RouteSummary; upstream: RelayedReply } | { route: RouteSummary; refusal: ApiError };

/** Chooses the model and sends it the body unchanged but for `model`: the path every request for one model takes. */
export async function openRoute(engine: ModelRouter, body: Readonly<Record<string, unknown>>, choose: Chooser, signal: AbortSignal): Promise<OpenedRoute> {
  const route = await choose(signal);
  const upstream = await engine.relay(route.model, body, signal);
  return upstream.ok ? { route, upstream } : { route, refusal: refusalError(upstream) };
}

export async function relayToOneModel(engine: ModelRouter, request: RelayRequest, choose: Chooser, res: ServerResponse, signal: AbortSignal): Promise<RelayOutcomeLog> {
  let route: RouteSummary | undefined;
  let sse: SseStream | undefined;
  try {
    const opened = await openRoute(engine, request.body, choose, signal);
    route = opened.route;
    if ('refusal' in opened) {
      sendError(res, opened.refusal);
      return { ok: false, route, error: opened.refusal };
    }
    const { upstream } = opened;
    const headers = { 'x-smcs-model': encodeURIComponent(route.model) };
    if (request.stream && /text\/event-stream/i.test(upstream.contentType)) {
      sse = new SseStream(res);
      sse.open({ ...headers, 'content-type': upstream.contentType });
      sse.comment(`smcs routed to ${route.model}: ${route.reason}`);
      // The upstream is read no faster than the client takes it: while the socket is full, nothing more is fetched.
      for await (const bytes of upstream.body) await sse.send(bytes);
      sse.end(false);
    } else {
      const chunks: Uint8Array[] = [];
      for await (const bytes of upstream.body) chunks.push(bytes);
      const body = withSummary(Buffer.concat(chunks), route);
      res.writeHead(upstream.status, { ...headers, 'content-type': upstream.contentType, 'content-length': body.length });
      res.end(body);
    }
    return { ok: true, route, status: upstream.status, outcome: await upstream.outcome.catch(() => null) };
  } catch (err) {
    if (signal.aborted) return { ok: false, cancelled: true };
    const error = err instanceof ApiError ? err : askFailure(errorKind(err), errorMessage(err));
    if (sse) {
      // A stream under way cannot change its status: it ends with an error event (the SDK raises it), after a blank
      // line that closes any event the upstream left open (the relay hands on whole lines, not whole events).
      sse.write('\n');
      sse.data(error.body);
      sse.end(false);
    } else if (res.headersSent) res.destroy();
    else sendError(res, error);
    return { ok: false, ...(route ? { route } : {}), error };
  }
}

/**
 * An upstream's refusal as our error. A refused key is a 502 `upstream_auth_failed` naming the endpoint: relayed as a
 * 401, SDKs would tell the user that the key *they* sent us is wrong. Any other status is relayed with the upstream's
 * own message, code and param (all redacted).
 */
function refusalError(refusal: RelayedRefusal): ApiError {
  if (refusal.keyRefused) {
    return new ApiError(502, `${refusal.message} — the upstream refused the key SMCS sends it (set on the SMCS side: apiKeyEnv, or SMCS: Set API Key), not the key of this request`, 'upstream_error', 'upstream_auth_failed');
  }
  const type = refusal.status >= 500 ? 'upstream_error' : 'invalid_request_error';
  return new ApiError(refusal.status, refusal.message, type, refusal.code ?? `upstream_http_${refusal.status}`, refusal.param ?? null, refusal.retryAfter !== undefined ? { 'retry-after': refusal.retryAfter } : {});
}

/** A successful completion with the `smcs` field added; a reply that is not JSON is refused (502), JSON that is not an object passes as it came. */
function withSummary(bytes: Buffer, route: RouteSummary): Buffer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ApiError(502, `model ${route.model}: ${INVALID_JSON}`, 'upstream_error', 'upstream_invalid_json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return bytes;
  return Buffer.from(JSON.stringify({ ...parsed, smcs: { routed: route } }));
}
