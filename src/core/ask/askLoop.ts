/**
 * The one loop around an ask, for every front end — `smcs ask`, the panel, `@smcs`, the SMCS model of VS Code's chat and
 * `smcs serve`: prepare → cost verdict → run → record → learn. A front end supplies only its policy (what an ask over
 * smcs.maxCostPerQuestion becomes, who is asked, what admits it, what learns from it) and a sink that renders the run's
 * events; the outcome says how the ask ended, in one shape for all of them. Every cost verdict is made here, by the one
 * rule of core/cost/costPolicy: `refuse` sends nothing over the limit, `cut` runs the models and aggregations that fit
 * it (nothing when none does), `ask` lets the user send it whole, a cheaper preset, or nothing.
 */
import { errorKind, errorMessage } from '../contracts/errors';
import type { AskResult, PipelineEvent } from '../contracts/events';
import type { CallRecord } from '../contracts/types';
import { AsyncQueue } from '../util/asyncQueue';
import type { UnpaidCall } from './askState';
import { costVerdict, type CostPolicy, type OverLimit, type PlanCost } from '../cost/costPolicy';

/** What a prepared ask says before anything is sent (prepareAsk.ts AskPlan): its cost, the limit's verdict, the models. */
export interface AskPlanView extends PlanCost {
  /** What the run sends within the limit: referencers, aggregator, aggregations. */
  referencers: string[];
  aggregator: string;
  aggregations: number;
  /** Tokens of this turn's user message (the question and its context) as the uncut routing's models receive it. */
  promptTokens: number;
  /** Nothing fits the limit: why (the ask loop refuses it unless the user sends it whole). */
  refusal?: string;
}

/** An ask ready to run, as the loop reads it (the engine's PreparedAsk): what it says before anything is sent, and its run. */
export interface RunnableAsk {
  /** Null when the ask could not be prepared (its run says why). */
  readonly view: AskPlanView | null;
  /**
   * Runs the plan, once, by the routing the loop's cost verdict chose: `limited` (the default), within the cost limit,
   * or `uncut`, sent whatever the limit says; typed events that end with `done` or `error`. `onCall` hears of every call
   * as it ends (the ones made while preparing first), `onUnpaid` of every call that ended before its first byte.
   */
  run(signal: AbortSignal, options: RunOptions): AsyncIterable<PipelineEvent>;
}

/**
 * How a prepared ask runs, one required object for every runner (the local engine, a team server's client): a new
 * option cannot be dropped on the way without the compiler saying so.
 */
export interface RunOptions {
  /** `limited`: within the cost limit (cut to what fits); `uncut`: sent whole, whatever the limit says (Send Anyway). */
  route: 'limited' | 'uncut';
  /** Hears of every call as it ends (the ones made while preparing first). */
  onCall?: (call: CallRecord) => void;
  /** Hears of every call that ended before its first byte, stopped or failed (nothing paid for; a team ledger's row). */
  onUnpaid?: (call: UnpaidCall) => void;
}

/** What the user answered to an ask over the limit: send it whole, send a cheaper preset (whole), or send nothing. */
export type OverLimitAnswer = 'send' | 'cheaper' | 'cancel';

/**
 * What a team server holds for an admitted ask: told of each call as it ends (and of each stopped before its first
 * byte), settled once the ask ends, however it ends — before the loop returns, so before the response's last byte. A
 * call that ends after the settlement (an upstream reply that finished as the client left) is still told.
 */
export interface AskHold {
  record(call: CallRecord): void;
  unpaid(call: UnpaidCall): void;
  settle(): Promise<void>;
}

/** A prompt this large (the question and its context, in tokens, as each model receives it) is confirmed before it is sent. */
export const LARGE_PROMPT_TOKENS = 24_000;

/** How large a prepared ask is, for the confirmation of a large paste. */
export interface PromptSize {
  /** Tokens of the question and its context, as each call receives them. */
  promptTokens: number;
  /** The calls that receive them: the referencers and the aggregations. */
  calls: number;
  expectedUsd: number | null;
}

/** What a front end decides around the ask. */
export interface AskPolicy {
  /** What an ask over smcs.maxCostPerQuestion becomes (core/cost/costPolicy). */
  cost: CostPolicy;
  /** With `ask`: the user's answer to an ask over the limit. */
  confirmOverLimit?: (over: OverLimit) => Promise<OverLimitAnswer>;
  /** Whether to send a prompt of LARGE_PROMPT_TOKENS or more (a large paste); false sends nothing. Without it, it is sent. */
  confirmLarge?: (size: PromptSize) => Promise<boolean>;
  /** Admits the ask before anything is sent (a team server's member limits): throws to refuse it. */
  admit?: (view: AskPlanView) => Promise<AskHold>;
  /** Hears of a finished ask (learning from its checks); not awaited, so nothing the client waits for waits on it. */
  learn?: (result: AskResult) => void;
}

/** The ask as it goes out: the prepared ask and whether the user sent it whatever the limit says. */
export interface SentAsk {
  prepared: RunnableAsk;
  waived: boolean;
}

/** Where a front end renders the ask. */
export interface AskSink {
  /** The ask passed its verdict and is about to run: a front end that shows nothing before the verdict starts showing it here. */
  sending?(ask: SentAsk): void | Promise<void>;
  /** Every event of the run as it comes, the last being `done` or `error` (a stopped run's is an `error` of kind `cancelled`). */
  event(event: PipelineEvent): void | Promise<void>;
  /** Each call as it ends, while the run goes on (what the run has spent so far). */
  call?(call: CallRecord): void;
  /** Each call that ended before its first byte, stopped or failed (a team server passes them to its member's client). */
  unpaid?(call: UnpaidCall): void;
}

type ErrorEvent = Extract<PipelineEvent, { type: 'error' }>;

/**
 * How an ask ended: `done` with its result; `failed` with the run's error (what it spent, the endpoints it failed at);
 * `stopped` by its signal, with what it spent until then; `refused` by the cost limit before anything was sent (`over`
 * absent when nothing fits the limit at all); `declined` by the user at the over-limit or large-prompt question.
 */
export type AskOutcome =
  | { type: 'done'; result: AskResult; sent: SentAsk }
  | { type: 'failed'; error: ErrorEvent; sent: SentAsk }
  | { type: 'stopped'; error: ErrorEvent; sent: SentAsk }
  | { type: 'refused'; over?: OverLimit; nothingFits?: string }
  | { type: 'declined'; over?: OverLimit; size?: PromptSize };

/** Prepares the ask; `cheaper`: with the cheaper preset the user chose over the limit (PRESETS.fast). */
export type PrepareAsk = (cheaper: boolean) => Promise<RunnableAsk>;

/** The prompt size of a prepared ask, when it could be prepared. */
export function promptSize(view: AskPlanView): PromptSize {
  return { promptTokens: view.promptTokens, calls: view.referencers.length + view.aggregations, expectedUsd: view.expectedUsd };
}

/**
 * Runs one ask the front end's way. `signal` stops it (preparing included); a stopped run still reports what it spent.
 * An `admit` that throws refuses the ask with its own error (the server's HTTP refusal), as a prepare that throws is
 * the ask's failure.
 */
export async function runAsk(prepare: PrepareAsk, policy: AskPolicy, sink: AskSink, signal: AbortSignal): Promise<AskOutcome> {
  let prepared = await preparedOrFailed(() => prepare(false));
  let waived = false;
  const view = prepared.view;
  if (view) {
    const verdict = costVerdict(view, policy.cost);
    switch (verdict.action) {
      case 'refuse':
        return { type: 'refused', over: verdict.over };
      case 'ask': {
        const answer = policy.confirmOverLimit ? await policy.confirmOverLimit(verdict.over) : 'cancel';
        if (answer === 'cancel') return { type: 'declined', over: verdict.over };
        waived = true;
        if (answer === 'cheaper') prepared = await preparedOrFailed(() => prepare(true));
        break;
      }
      case 'cut':
      case 'send':
        // The routing within the limit: nothing fits it, nothing is sent.
        if (view.refusal !== undefined) return { type: 'refused', nothingFits: view.refusal, ...(verdict.action === 'cut' ? { over: verdict.over } : {}) };
        break;
    }
    const size = prepared.view && promptSize(prepared.view);
    if (size && size.promptTokens >= LARGE_PROMPT_TOKENS && policy.confirmLarge && !(await policy.confirmLarge(size))) return { type: 'declined', size };
  }
  const sent: SentAsk = { prepared, waived };
  const hold = policy.admit && prepared.view ? await policy.admit(prepared.view) : undefined;
  try {
    await sink.sending?.(sent);
    let last: PipelineEvent | undefined;
    const onCall = (call: CallRecord): void => {
      hold?.record(call);
      sink.call?.(call);
    };
    const onUnpaid = (call: UnpaidCall): void => {
      hold?.unpaid(call);
      sink.unpaid?.(call);
    };
    const told = { ...(hold || sink.call ? { onCall } : {}), ...(hold || sink.unpaid ? { onUnpaid } : {}) };
    const options: RunOptions = { route: waived ? 'uncut' : 'limited', ...told };
    for await (const event of prepared.run(signal, options)) {
      last = event;
      await sink.event(event);
    }
    if (last?.type === 'done') {
      policy.learn?.(last.result);
      return { type: 'done', result: last.result, sent };
    }
    const error: ErrorEvent = last?.type === 'error' ? last : { type: 'error', message: 'Cancelled', kind: 'cancelled', causes: [] };
    return error.kind === 'cancelled' || signal.aborted ? { type: 'stopped', error, sent } : { type: 'failed', error, sent };
  } finally {
    await hold?.settle();
  }
}

/** The prepared ask, or one whose run is the failure when preparing threw (the engine could not be built, a setting). */
async function preparedOrFailed(prepare: () => Promise<RunnableAsk>): Promise<RunnableAsk> {
  try {
    return await prepare();
  } catch (err) {
    const failure: ErrorEvent = { type: 'error', message: errorMessage(err), kind: errorKind(err), causes: [] };
    return {
      view: null,
      run: async function* () {
        yield failure;
      },
    };
  }
}

/**
 * The loop with the cost policy `cut` and no one to ask, as a stream of the run's events (benchmarks and tests follow
 * an ask this way): an ask nothing fits within the limit ends with an `error` of kind `config` saying why.
 */
export function askEvents(prepare: PrepareAsk, signal: AbortSignal): AsyncIterable<PipelineEvent> {
  const events = new AsyncQueue<PipelineEvent>();
  void runAsk(prepare, { cost: 'cut' }, { event: (e) => events.push(e) }, signal)
    .then((outcome) => {
      if (outcome.type === 'refused') events.push({ type: 'error', message: outcome.nothingFits ?? 'over the cost limit', kind: 'config', causes: [] });
    })
    .catch((err: unknown) => events.push({ type: 'error', message: errorMessage(err), kind: errorKind(err), causes: [] }))
    .finally(() => events.close());
  return events;
}
