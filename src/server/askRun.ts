/**
 * What the server's two ways of running the whole method share — a chat request answered by the ensemble
 * (ensemble.ts) and an editor's ask of the SMCS protocol (serverAsks.ts): the policy an ask runs under, the stream's
 * set-up, and what a run that did not finish is over HTTP.
 */
import type { ServerResponse } from 'node:http';
import type { AskResult, PipelineEvent } from '../core/contracts/events';
import type { AskHold, AskOutcome, AskPlanView, AskPolicy, OverLimitAnswer } from '../core/ask/askLoop';
import { askFailure, serverStopped, stoppedByServer, type ApiError } from './errors';
import { SseStream } from './sse';
import { StageLine } from './stageLine';

/** How often a comment is sent while nothing else is (proxies and clients drop a connection idle for long). */
export const KEEPALIVE_MS = 10_000;

/**
 * What a team server does around an ask (server/team/teamAsk): admits the prepared plan against the member's limits —
 * throwing the ApiError that refuses it — and returns its hold (core/ask/askLoop AskHold).
 */
export interface AskGate {
  admit(view: AskPlanView): Promise<AskHold>;
}

/** What the server adds to every ask it runs: the team's gate, and learning from the checks. */
export interface AskHooks {
  gate?: AskGate;
  learn?: (result: AskResult) => void;
}

/** How an ask through the server ended, for the log. */
export type AskRunOutcome = { ok: true; result: AskResult } | { ok: false; error: ApiError } | { ok: false; cancelled: true };

/**
 * The policy of an ask run by the server. No one can be asked here, so the cost policy is `cut`: an ask over the limit
 * runs the models and aggregations that fit it, and is refused when nothing does — unless the member chose Send
 * Anyway (`uncut`), which runs it whole. Either way the team's gate admits or refuses it against the member's budget.
 */
export function serverPolicy(hooks: AskHooks, route: 'limited' | 'uncut' = 'limited'): AskPolicy {
  const whole = (): Promise<OverLimitAnswer> => Promise.resolve('send');
  const gate = hooks.gate;
  return {
    ...(route === 'uncut' ? { cost: 'ask' as const, confirmOverLimit: whole } : { cost: 'cut' as const }),
    ...(gate ? { admit: (view: AskPlanView) => gate.admit(view) } : {}),
    ...(hooks.learn ? { learn: hooks.learn } : {}),
  };
}

/**
 * The stream of an ask: opened with its first news or at the first keep-alive, whichever comes first — so a request
 * refused before anything runs (too long for every model's window, a broken bank, the gate) is still an HTTP error the
 * client's SDK raises at once — then a comment saying the stage every KEEPALIVE_MS while nothing else is sent.
 */
export class AskStream {
  readonly stage = new StageLine();
  private readonly sse: SseStream;
  private opened = false;
  private readonly keepAlive: NodeJS.Timeout;

  constructor(res: ServerResponse) {
    this.sse = new SseStream(res);
    this.keepAlive = setInterval(() => {
      if (this.opened) this.sse.comment(this.stage.line);
      else this.open();
    }, KEEPALIVE_MS);
  }

  get isOpen(): boolean {
    return this.opened;
  }

  /** Sends the headers and the stage, once. */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    this.sse.open();
    this.sse.comment(this.stage.line);
  }

  /** Follows the run's stage: a comment when it changes. */
  follow(event: PipelineEvent): void {
    const line = this.stage.update(event);
    if (line !== undefined && this.opened) this.sse.comment(line);
  }

  /** A `data:` event, the stream opened first. */
  data(value: unknown): void {
    this.open();
    this.sse.data(value);
  }

  /** Ends the stream: with `data: [DONE]`, or, after an error event, without it. */
  end(done = true): void {
    this.sse.end(done);
  }

  /** The keep-alive stops (the ask is over, however it ended). */
  close(): void {
    clearInterval(this.keepAlive);
  }
}

/**
 * A run that did not finish, as the server tells it: stopped by its client (nothing to tell: it is gone), stopped
 * because the server is stopping (`server_stopping`, 503 before the stream opened), failed, or refused by the cost limit.
 */
export function unfinished(outcome: Exclude<AskOutcome, { type: 'done' }>, signal: AbortSignal): { cancelled: true } | { error: ApiError; stopping: boolean } {
  switch (outcome.type) {
    case 'stopped':
      // The client is told what its calls cost so far (a run stopped before its pipeline began had spent nothing).
      return stoppedByServer(signal) ? { error: serverStopped(outcome.error.spent ?? { calls: [], costUsd: null, tokens: { prompt: 0, completion: 0 } }), stopping: true } : { cancelled: true };
    case 'failed':
      return { error: askFailure(outcome.error.kind, [outcome.error.message, ...outcome.error.causes].join('; ')), stopping: false };
    default:
      return { error: askFailure('config', (outcome.type === 'refused' ? outcome.nothingFits : undefined) ?? 'the ask is over the cost limit'), stopping: false };
  }
}
