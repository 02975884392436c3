/**
 * A conversation answered by the whole method: the engine's ask with the request's turns, system text, routing mode
 * and parameters; the winner as one completion, or streamed as it is written (presentation/streamedAnswer) between
 * keep-alive comments that say the stage (askRun.ts, shared with the SMCS protocol's asks).
 */
import type { ServerResponse } from 'node:http';
import type { AskResult } from '../core/contracts/events';
import type { Engine } from '../engine/types';
import { runAsk } from '../core/ask/askLoop';
import type { EnsembleRequest } from './chatRequest';
import { chunk, completion, completionId, smcsSummary, usageChunk, usageOf } from './completions';
import { sendError, sendJson } from './errors';
import type { ServedModel } from './models';
import { AskStream, serverPolicy, unfinished, type AskHooks, type AskRunOutcome } from './askRun';
import { StreamedAnswer } from '../presentation/streamedAnswer';
import { answerText } from '../core/contracts/answer';

export async function answerWithEnsemble(engine: Engine, request: EnsembleRequest, served: Extract<ServedModel, { kind: 'ensemble' }>, res: ServerResponse, signal: AbortSignal, hooks: AskHooks): Promise<AskRunOutcome> {
  const id = completionId();
  const created = Math.floor(Date.now() / 1000);
  const stream = request.stream ? new AskStream(res) : undefined;
  const answer = stream
    ? new StreamedAnswer({
        role: () => stream.data(chunk(id, request.model, created, { role: 'assistant', content: '' }, null)),
        content: (text) => stream.data(chunk(id, request.model, created, { content: text }, null)),
      })
    : undefined;
  try {
    const options = {
      signal,
      history: request.history,
      params: { ...served.params, ...request.params },
      ...(request.system !== undefined ? { system: request.system } : {}),
      ...(served.routing ? { routing: served.routing } : {}),
    };
    const outcome = await runAsk(() => engine.prepare(request.question, options), serverPolicy(hooks), {
      event: (event) => {
        if (event.type === 'error' || event.type === 'done') return;
        stream?.open();
        stream?.follow(event);
        answer?.event(event);
      },
    }, signal);
    if (outcome.type === 'done') {
      if (stream && answer) {
        answer.finish(outcome.result, answerText(outcome.result));
        endAnswer(stream, id, request, created, outcome.result);
      } else sendJson(res, 200, completion(id, request.model, created, outcome.result));
      return { ok: true, result: outcome.result };
    }
    const ending = unfinished(outcome, signal);
    if ('cancelled' in ending) return { ok: false, cancelled: true };
    // A stopping server, a failure or a refusal: in the stream once it is open (the client is told, not left with a
    // closed connection), else as the HTTP error.
    if (stream?.isOpen) {
      stream.data(ending.error.body);
      stream.end(ending.stopping);
    } else sendError(res, ending.error);
    return { ok: false, error: ending.error };
  } finally {
    stream?.close();
  }
}

/** After the answer's words: the finish with the `smcs` field, the usage when asked, [DONE]. */
function endAnswer(stream: AskStream, id: string, request: EnsembleRequest, created: number, result: AskResult): void {
  stream.data(chunk(id, request.model, created, {}, 'stop', { smcs: smcsSummary(result) }));
  if (request.includeUsage) stream.data(usageChunk(id, request.model, created, usageOf(result)));
  stream.end();
}
