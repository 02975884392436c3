/**
 * Requests one model answers: those with tools or a structured reply (routed: RPS and the routing mode choose the
 * model for the latest user message) and `smcs/<model>` (direct). The body goes upstream unchanged but for `model`; a
 * stream comes back byte for byte after one comment line naming the model; a JSON completion gets the `smcs` field.
 */
import type { ServerResponse } from 'node:http';
import { errorKind, errorMessage } from '../core/contracts/errors';
import type { ModelRouter, RouteDecision } from '../engine/types';
import type { RelayOutcome } from '../llm/relay';
import type { RoutedRequest } from './chatRequest';
import { askFailure, sendError, type ApiError } from './errors';
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

const isJson = (contentType: string) => /\bjson\b/i.test(contentType);

/** What the client sent: the body, and whether it asked for a stream. */
export interface RelayRequest {
  body: Readonly<Record<string, unknown>>;
  stream: boolean;
}

export async function relayToOneModel(engine: ModelRouter, request: RelayRequest, choose: Chooser, res: ServerResponse, signal: AbortSignal): Promise<RelayOutcomeLog> {
  let route: RouteSummary | undefined;
  try {
    route = await choose(signal);
    const upstream = await engine.relay(route.model, request.body, signal);
    const headers = { 'x-smcs-model': encodeURIComponent(route.model) };
    if (request.stream && /text\/event-stream/i.test(upstream.contentType) && upstream.status < 300) {
      const sse = new SseStream(res);
      sse.open({ ...headers, 'content-type': upstream.contentType });
      sse.comment(`smcs routed to ${route.model}: ${route.reason}`);
      for await (const bytes of upstream.body) sse.write(bytes);
      res.end();
    } else {
      const chunks: Uint8Array[] = [];
      for await (const bytes of upstream.body) chunks.push(bytes);
      const body = withSummary(Buffer.concat(chunks), upstream.status, upstream.contentType, route);
      res.writeHead(upstream.status, { ...headers, 'content-type': upstream.contentType, 'content-length': body.length });
      res.end(body);
    }
    return { ok: true, route, status: upstream.status, outcome: await upstream.outcome.catch(() => null) };
  } catch (err) {
    if (signal.aborted) return { ok: false, cancelled: true };
    const error = askFailure(errorKind(err), errorMessage(err));
    // A stream already under way cannot change its status: it is cut, which clients report as an error.
    if (res.headersSent) res.destroy();
    else sendError(res, error);
    return { ok: false, ...(route ? { route } : {}), error };
  }
}

/** A successful JSON completion with the `smcs` field added; anything else (errors, other types) as it came. */
function withSummary(bytes: Buffer, status: number, contentType: string, route: RouteSummary): Buffer {
  if (status >= 300 || !isJson(contentType)) return bytes;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return bytes;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return bytes;
  return Buffer.from(JSON.stringify({ ...parsed, smcs: { routed: route } }));
}
