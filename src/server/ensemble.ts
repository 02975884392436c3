/**
 * A conversation answered by the whole method: the engine's ask with the request's turns, system text, routing mode
 * and parameters; the winner as one completion, or streamed after keep-alive comments that say the stage.
 */
import type { ServerResponse } from 'node:http';
import type { AskResult } from '../core/contracts/events';
import type { AskPlanView, Engine } from '../engine/types';
import type { CallRecord } from '../core/contracts/types';
import type { EnsembleRequest } from './chatRequest';
import { chunk, completion, completionId, smcsSummary, usageChunk, usageOf } from './completions';
import { textPieces } from '../presentation/textPieces';
import { askFailure, sendError, sendJson, type ApiError } from './errors';
import type { ServedModel } from './models';
import { SseStream } from './sse';
import { StageLine } from './stageLine';
import { answerText } from '../core/contracts/answer';

/** How often a comment is sent while nothing else is (proxies and clients drop a connection idle for long). */
export const KEEPALIVE_MS = 10_000;

/**
 * What a team server does around an ask (server/team/teamAsk): admits the prepared plan against the member's limits —
 * throwing the ApiError that refuses it — and returns its hold: told of each call as it ends, settled once the ask
 * ends, however it ends.
 */
export interface AskGate {
  admit(view: AskPlanView): Promise<AskGateHold>;
}

export interface AskGateHold {
  record(call: CallRecord): void;
  settle(): Promise<void>;
}

/** How an ask through the server ended, for the log. */
export type EnsembleOutcome = { ok: true; result: AskResult } | { ok: false; error: ApiError } | { ok: false; cancelled: true };

export async function answerWithEnsemble(
  engine: Engine,
  request: EnsembleRequest,
  served: Extract<ServedModel, { kind: 'ensemble' }>,
  res: ServerResponse,
  signal: AbortSignal,
  gate?: AskGate,
): Promise<EnsembleOutcome> {
  const id = completionId();
  const created = Math.floor(Date.now() / 1000);
  const stage = new StageLine();
  const sse = request.stream ? new SseStream(res) : undefined;
  // The stream opens with the ask's first news, or the first keep-alive: a request refused before anything runs (too
  // long for every model's window, a broken bank) is still an HTTP error the client's SDK raises at once.
  let opened = false;
  const open = (): void => {
    if (!sse || opened) return;
    opened = true;
    sse.open();
    sse.comment(stage.line);
  };
  const keepAlive = sse
    ? setInterval(() => {
        if (opened) sse.comment(stage.line);
        else open();
      }, KEEPALIVE_MS)
    : undefined;
  let hold: AskGateHold | undefined;
  try {
    const prepared = await engine.prepare(request.question, {
      signal,
      history: request.history,
      params: { ...served.params, ...request.params },
      ...(request.system !== undefined ? { system: request.system } : {}),
      ...(served.routing ? { routing: served.routing } : {}),
    });
    if (gate && prepared.view) hold = await gate.admit(prepared.view);
    // The server's cost policy is `cut` (core/cost/costPolicy): no one can be asked here, so an ask over the limit runs
    // the models and aggregations that fit it, never waived, and is refused when nothing does.
    const held = hold;
    for await (const event of prepared.run(signal, held ? { onCall: (call) => held.record(call) } : {})) {
      if (event.type !== 'error') open();
      const line = stage.update(event);
      if (line !== undefined && opened) sse?.comment(line);
      if (event.type === 'error') {
        if (event.kind === 'cancelled' || signal.aborted) return { ok: false, cancelled: true };
        const error = askFailure(event.kind, [event.message, ...event.causes].join('; '));
        if (sse && opened) {
          sse.data(error.body);
          sse.end(false);
        } else sendError(res, error);
        return { ok: false, error };
      }
      if (event.type === 'done') {
        if (sse) streamAnswer(sse, id, request, created, event.result);
        else sendJson(res, 200, completion(id, request.model, created, event.result));
        return { ok: true, result: event.result };
      }
    }
    return { ok: false, cancelled: true };
  } finally {
    if (keepAlive) clearInterval(keepAlive);
    await hold?.settle();
  }
}

/** The winner as chunks: the role, the text in pieces, the finish with the `smcs` field, the usage when asked, [DONE]. */
function streamAnswer(sse: SseStream, id: string, request: EnsembleRequest, created: number, result: AskResult): void {
  sse.data(chunk(id, request.model, created, { role: 'assistant', content: '' }, null));
  for (const piece of textPieces(answerText(result))) sse.data(chunk(id, request.model, created, { content: piece }, null));
  sse.data(chunk(id, request.model, created, {}, 'stop', { smcs: smcsSummary(result) }));
  if (request.includeUsage) sse.data(usageChunk(id, request.model, created, usageOf(result)));
  sse.end();
}
