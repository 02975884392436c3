/**
 * A conversation answered by the whole method: the engine's ask with the request's turns, system text, routing mode
 * and parameters; the winner as one completion, or streamed as it is written (presentation/streamedAnswer) between
 * keep-alive comments that say the stage.
 */
import type { ServerResponse } from 'node:http';
import type { AskResult } from '../core/contracts/events';
import type { Engine } from '../engine/types';
import type { AskPlanView } from '../core/ask/askLoop';
import { runAsk, type AskHold } from '../core/ask/askLoop';
import type { EnsembleRequest } from './chatRequest';
import { chunk, completion, completionId, smcsSummary, usageChunk, usageOf } from './completions';
import { askFailure, sendError, sendJson, serverStopped, stoppedByServer, type ApiError } from './errors';
import type { ServedModel } from './models';
import { SseStream } from './sse';
import { StageLine } from './stageLine';
import { StreamedAnswer } from '../presentation/streamedAnswer';
import { answerText } from '../core/contracts/answer';

/** How often a comment is sent while nothing else is (proxies and clients drop a connection idle for long). */
export const KEEPALIVE_MS = 10_000;

/**
 * What a team server does around an ask (server/team/teamAsk): admits the prepared plan against the member's limits —
 * throwing the ApiError that refuses it — and returns its hold (core/ask/askLoop AskHold).
 */
export interface AskGate {
  admit(view: AskPlanView): Promise<AskHold>;
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
  learn?: (result: AskResult) => void,
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
  const answer = sse
    ? new StreamedAnswer({
        role: () => sse.data(chunk(id, request.model, created, { role: 'assistant', content: '' }, null)),
        content: (text) => sse.data(chunk(id, request.model, created, { content: text }, null)),
      })
    : undefined;
  const keepAlive = sse
    ? setInterval(() => {
        if (opened) sse.comment(stage.line);
        else open();
      }, KEEPALIVE_MS)
    : undefined;
  try {
    const options = {
      signal,
      history: request.history,
      params: { ...served.params, ...request.params },
      ...(request.system !== undefined ? { system: request.system } : {}),
      ...(served.routing ? { routing: served.routing } : {}),
    };
    // The server's cost policy is `cut` (core/cost/costPolicy): no one can be asked here, so an ask over the limit runs
    // the models and aggregations that fit it, never waived, and is refused when nothing does.
    const outcome = await runAsk(() => engine.prepare(request.question, options), { cost: 'cut', ...(gate ? { admit: (view: AskPlanView) => gate.admit(view) } : {}), ...(learn ? { learn } : {}) }, {
      event: (event) => {
        if (event.type === 'error' || event.type === 'done') return;
        open();
        const line = stage.update(event);
        if (line !== undefined && opened) sse?.comment(line);
        answer?.event(event);
      },
    }, signal);
    if (outcome.type === 'done') {
      if (sse && answer) {
        open();
        answer.finish(outcome.result, answerText(outcome.result));
        endAnswer(sse, id, request, created, outcome.result);
      } else sendJson(res, 200, completion(id, request.model, created, outcome.result));
      return { ok: true, result: outcome.result };
    }
    if (outcome.type === 'stopped' && !stoppedByServer(signal)) return { ok: false, cancelled: true };
    if (outcome.type === 'stopped') {
      // The server is stopping: the client is told so, in its stream or as a 503, not left with a closed connection.
      const stopped = serverStopped();
      if (sse && opened) {
        sse.data(stopped.body);
        sse.end();
      } else sendError(res, stopped);
      return { ok: false, error: stopped };
    }
    const error =
      outcome.type === 'failed' ? askFailure(outcome.error.kind, [outcome.error.message, ...outcome.error.causes].join('; ')) : askFailure('config', (outcome.type === 'refused' ? outcome.nothingFits : undefined) ?? 'the ask is over the cost limit');
    if (sse && opened) {
      sse.data(error.body);
      sse.end(false);
    } else sendError(res, error);
    return { ok: false, error };
  } finally {
    if (keepAlive) clearInterval(keepAlive);
  }
}

/** After the answer's words: the finish with the `smcs` field, the usage when asked, [DONE]. */
function endAnswer(sse: SseStream, id: string, request: EnsembleRequest, created: number, result: AskResult): void {
  sse.data(chunk(id, request.model, created, {}, 'stop', { smcs: smcsSummary(result) }));
  if (request.includeUsage) sse.data(usageChunk(id, request.model, created, usageOf(result)));
  sse.end();
}
