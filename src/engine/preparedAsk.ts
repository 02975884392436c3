/**
 * The engine's PreparedAsk (types.ts): a plan of core/ask/prepareAsk that runs once, its calls saved to this
 * installation's history as it ends and its failures naming the endpoints' hosts; or an ask that could not be
 * prepared, whose run says why.
 */
import type { EndpointConfig } from '../core/contracts/config';
import type { PipelineEvent } from '../core/contracts/events';
import { runPrepared, type AskPlan } from '../core/ask/pipeline';
import { estimatePromptTokens } from '../core/util/tokens';
import type { CallHistory } from './callHistory';
import { withFailedHosts } from './failedEndpoints';
import type { PreparedAsk } from './types';
import type { AskPlanView } from '../core/ask/askLoop';

/** What a prepared ask needs of the engine that made it. */
export interface PreparedAskHost {
  endpoints: readonly EndpointConfig[];
  /** This installation's past calls: every run adds to them. */
  pastCalls: CallHistory;
  /** Whether what the ask was prepared from (the bank, the workspace's index) is unchanged. */
  current: () => boolean;
}

/** `plan` as a PreparedAsk; `contextMs`: how long gathering its context took, when it has context. */
export function preparedAsk(plan: AskPlan, contextMs: number | undefined, host: PreparedAskHost): PreparedAsk {
  let ran = false;
  return {
    question: plan.input.question,
    view: planView(plan),
    get current() {
      return !ran && host.current();
    },
    run(signal, options) {
      // The plan's ledger is its run's: a second run would count the first one's calls again.
      if (ran) throw new Error('a prepared ask runs once: prepare it again');
      ran = true;
      plan.ledger.watch(options);
      return recorded(runPrepared(plan, signal, options.route), contextMs, host);
    },
  };
}

/** An ask that could not be prepared: nothing to judge, and its run is the failure. */
export function failedAsk(question: string, failure: Extract<PipelineEvent, { type: 'error' }>, host: PreparedAskHost): PreparedAsk {
  return { question, view: null, current: false, run: () => recorded(only(failure), undefined, host) };
}

async function* only(event: PipelineEvent): AsyncIterable<PipelineEvent> {
  yield event;
}

/** The run's events, its calls saved before it ends (a CLI process exits right after). */
async function* recorded(events: AsyncIterable<PipelineEvent>, contextMs: number | undefined, host: PreparedAskHost): AsyncIterable<PipelineEvent> {
  for await (const e of events) {
    if (e.type === 'done') await host.pastCalls.record(e.result.calls);
    else if (e.type === 'error' && e.spent) await host.pastCalls.record(e.spent.calls);
    yield contextMs !== undefined && e.type === 'done' ? { ...e, result: { ...e.result, timings: { ...e.result.timings, contextMs } } } : withFailedHosts(e, host.endpoints);
  }
}

/** What the front ends read of a plan. */
function planView(plan: AskPlan): AskPlanView {
  const { routing } = plan.limited;
  return {
    ...plan.cost,
    promptTokens: estimatePromptTokens([plan.uncut.user]),
    referencers: routing.referencers,
    aggregator: routing.aggregator,
    aggregations: routing.aggregations,
    ...(plan.refusal ? { refusal: plan.refusal.message } : {}),
  };
}
