/**
 * Stage 3 of an ask (paper §3.1, the fan-out): every referencer in parallel, each request fitted to its model's window
 * (core/ask/fitPrompt); what it returns is the replies. Each reply that arrives goes to the checks and to the
 * aggregation stage, which starts the subsets it completes; each that will not arrive is left out there.
 */
import { at } from '../util/arrays';
import type { CheckStage } from '../checks/stage';
import { errorEndpoint, errorKind, errorMessage, type ErrorKind } from '../contracts/errors';
import type { ReferenceOutcome } from '../contracts/events';
import { STRAGGLER_MIN_MS, type ChatMessage, type TokenUsage } from '../contracts/types';
import type { AggregationStage } from './aggregationStage';
import { StreamPace } from '../cost/cutTail';
import { completedCallOf, cutOf, type AskContext } from './askState';
import { turnMessages } from './conversation';
import { fitPrompt } from './fitPrompt';

const ZERO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0 };

/** One referencer's request: the asker's system message, the earlier turns and this question, fitted to the model's window. */
function referencerRequest(ctx: AskContext, model: string): { messages: ChatMessage[]; maxTokens: number } {
  const { maxTokens } = ctx.input.params;
  const system: ChatMessage[] = ctx.input.system ? [{ role: 'system', content: ctx.input.system }] : [];
  const fitted = fitPrompt({ system: system.map((m) => m.content), question: [ctx.user.content], conversation: ctx.history }, { window: ctx.deps.gateway.contextWindow(model), maxTokens });
  ctx.ledger.fitted('referencer', model, fitted.droppedTurns, fitted.maxTokens, maxTokens);
  return { messages: [...system, ...turnMessages(fitted.turns), ctx.user], maxTokens: fitted.maxTokens };
}

/**
 * The replies of `models`, in their order. The straggler deadline: once K − Kdrop references are in, the others get
 * `stragglerFactor` times the time taken so far (at least STRAGGLER_MIN_MS); then they are aborted and left out as
 * late, their streamed tokens counted as an estimated call (late is not wrong: no label comes of it).
 */
/** Failures of the aggregator's own referencer call its aggregations would meet too: its endpoint down, its key refused, no API there. */
const AGGREGATOR_DOWN: ReadonlySet<ErrorKind> = new Set(['connection', 'auth', 'protocol']);

export async function referencerReplies(ctx: AskContext, models: readonly string[], checks: CheckStage | undefined, aggregations: AggregationStage): Promise<ReferenceOutcome[]> {
  const { deps, signal, emit, now, ledger } = ctx;
  const { params } = ctx.input;
  const controllers = models.map(() => new AbortController());
  const stopAll = () => controllers.forEach((c) => c.abort(signal.reason));
  signal.addEventListener('abort', stopAll, { once: true });
  const settled = new Set<number>();
  const late = new Map<number, number>();
  const streamed = models.map(() => '');
  const paces = models.map(() => new StreamPace());
  const enough = Math.max(1, models.length - params.kDrop);
  const t0 = now();
  let okCount = 0;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const leaveOutStragglers = () => {
    const pending = models.flatMap((model, i) => (settled.has(i) ? [] : [{ model, i }]));
    if (pending.length === 0) return;
    const afterMs = now() - t0;
    aggregations.leftOut(pending.map(({ model }) => model));
    pending.forEach(({ i }) => {
      late.set(i, afterMs);
      at(controllers, i).abort(new Error('straggler deadline'));
    });
    emit({ type: 'referencers-abandoned', models: pending.map(({ model }) => model), afterMs });
  };
  try {
    return await Promise.all(
      models.map(async (model, i): Promise<ReferenceOutcome> => {
        emit({ type: 'referencer-started', model });
        const started = now();
        let sent: readonly ChatMessage[] = [];
        let maxTokens = params.maxTokens;
        try {
          const request = referencerRequest(ctx, model);
          sent = request.messages;
          maxTokens = request.maxTokens;
          const r = await deps.gateway.chat(
            {
              model,
              messages: request.messages,
              temperature: params.temperature,
              maxTokens: request.maxTokens,
              presencePenalty: params.presencePenalty,
              logprobs: false,
              stage: 'referencer',
            },
            (d) => {
              if (d.kind !== 'wait') {
                streamed[i] += d.text;
                at(paces, i).add(d.text.length, now());
              }
              emit(d.kind === 'wait' ? { type: 'referencer-waiting', model, ms: d.ms, reason: d.reason } : { type: 'referencer-delta', model, kind: d.kind, text: d.text });
            },
            at(controllers, i).signal,
          );
          ledger.calibrate(sent, r);
          const call = ledger.chat('referencer', model, sent, r);
          const outcome: ReferenceOutcome = {
            model,
            ok: true,
            latencyMs: r.latencyMs,
            usage: r.usage,
            text: r.text,
            reasoning: r.reasoning,
            ...(call.costUsd !== null ? { costUsd: call.costUsd } : {}),
            ...(r.stopped ? { stopped: r.stopped } : {}),
          };
          settled.add(i);
          emit({ type: 'referencer-done', reference: outcome });
          checks?.reply({ kind: 'referencer', model }, r.text);
          aggregations.arrive(outcome);
          okCount++;
          if (params.stragglerFactor > 0 && okCount === enough && okCount < models.length && deadline === undefined) {
            deadline = setTimeout(leaveOutStragglers, Math.max(STRAGGLER_MIN_MS, params.stragglerFactor * (now() - t0)));
          }
          return outcome;
        } catch (e) {
          settled.add(i);
          // A reply that reasoned and never answered fails, but its tokens were generated and are paid for.
          const spent = completedCallOf(e);
          if (spent) ledger.chat('referencer', model, sent, spent);
          // Cut off after it began — left out late, stopped by the asker, or its connection lost mid-reply: what it was
          // sent and wrote is paid for.
          const leftOutAfter = late.get(i);
          const cutOff = leftOutAfter !== undefined || (!spent && streamed[i] !== '');
          const usage = cutOff ? ledger.partial('referencer', model, sent, streamed[i] ?? '', deps.gateway.price(model), now() - started, { ...cutOf(e), pace: at(paces, i), maxTokens }) : ZERO_USAGE;
          // Ended before its first byte, stopped or failed: no cost, but the team ledger keeps a row for the call.
          if (!spent && !cutOff) ledger.unpaid({ stage: 'referencer', model, latencyMs: now() - started, outcome: signal.aborted ? 'cancelled' : 'failed' });
          if (leftOutAfter !== undefined) {
            const error = `late: left out after ${(leftOutAfter / 1000).toFixed(1)} s`;
            if (!signal.aborted) emit({ type: 'referencer-failed', model, error, kind: 'cancelled' });
            return { model, ok: false, late: true, error, errorKind: 'cancelled', latencyMs: now() - started, usage, text: '', reasoning: '' };
          }
          const error = errorMessage(e);
          const kind = errorKind(e);
          const endpoint = errorEndpoint(e);
          if (!signal.aborted) {
            emit({ type: 'referencer-failed', model, error, kind });
            if (model === ctx.input.aggregator && AGGREGATOR_DOWN.has(kind)) aggregations.aggregatorFailed(error, kind);
            aggregations.leftOut([model]);
          }
          return { model, ok: false, error, errorKind: kind, ...(endpoint !== undefined ? { errorEndpoint: endpoint } : {}), latencyMs: now() - started, usage: ZERO_USAGE, text: '', reasoning: '' };
        }
      }),
    );
  } finally {
    if (deadline !== undefined) clearTimeout(deadline);
    signal.removeEventListener('abort', stopAll);
  }
}
