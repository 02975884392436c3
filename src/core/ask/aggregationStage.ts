/**
 * Stages 4 and 5 of an ask (paper §3.3): the prior-drop subsets of the references and one aggregation per distinct
 * subset, each prompt fitted to the aggregator's window.
 *
 * An aggregation starts as soon as its references are in, not after the slowest referencer: the subsets the ask will
 * draw if every referencer answers are known before any does (the draws depend only on the priors and the question),
 * so each starts once its members have arrived. When every referencer answers, those are exactly the subsets the paper
 * draws. When one fails or is left out late, the subsets are drawn again over the references that arrived (as the
 * paper's prior-drop does over what it has), the early aggregations are stopped, and what they streamed is counted.
 */
import { at } from '../util/arrays';
import { fitPrompt } from './fitPrompt';
import { turnMessages } from './conversation';
import { aggregatorSystemPrompt } from './prompts';
import { askRng } from '../util/rng';
import { distinctSubsets, drawSubsets } from '../posterior/priorDrop';
import { errorKind, errorMessage, type ErrorKind } from '../contracts/errors';
import type { ReferenceOutcome } from '../contracts/events';
import type { ChatMessage, ChatResult } from '../contracts/types';
import type { CheckStage } from '../checks/stage';
import { StreamPace } from '../cost/cutTail';
import { checkCancelled, completedCallOf, cutOf, type AskContext } from './askState';

/** One aggregation: its result, or why it failed. */
export interface Aggregation {
  index: number;
  subset: string[];
  /** How many of the n draws gave this subset. */
  draws: number;
  result?: ChatResult;
  error?: { message: string; kind: ErrorKind };
}

/** A distinct subset of references (positions in the list it was drawn over), and how many of the n draws gave it. */
interface DrawnSubset {
  members: number[];
  draws: number;
}

/** An aggregation under way or finished: its result, how to stop it, and whether it has finished. */
interface Started {
  done: Promise<Aggregation>;
  stop: AbortController;
  finished: boolean;
}

/** Why an early aggregation was stopped: a referencer it counted on will not answer, so the subsets are drawn again. */
const REDRAWN = 'the subsets were drawn again';

/** The aggregations of one ask, started as their references arrive (see the module comment). */
export class AggregationStage {
  /** Models whose references were trimmed to fit the aggregator's window. */
  readonly trimmedModels = new Set<string>();
  private readonly arrived = new Map<string, ReferenceOutcome>();
  /** Referencers that will not answer (failed, or left out late). */
  private readonly gone = new Set<string>();
  private readonly started = new Map<number, Started>();
  /** Early aggregations stopped because the subsets were drawn again: awaited so what they cost is counted. */
  private readonly setAside: Promise<Aggregation>[] = [];
  /** The subsets drawn over the referencers not gone, as models; empty when aggregations wait for all. */
  private planned: { models: string[]; draws: number }[] = [];
  private announced = false;
  /** The subsets are final: finished aggregations go to the checks (an early one waits, its index may yet change). */
  private final = false;
  private readonly unchecked = new Map<number, string>();
  /** Why the aggregator cannot answer, learned from its own referencer call in this ask (`aggregatorFailed`). */
  private aggregatorDown: { error: string; kind: ErrorKind } | undefined;
  /**
   * The stop switches of the aggregations in flight. The ask's signal reaches them through one listener, held while
   * any runs: one each would pile up on that signal (Node warns past ten, on every request of `smcs serve`).
   */
  private readonly running = new Set<AbortController>();
  private readonly stopRunning = (): void => {
    for (const stop of this.running) stop.abort(this.ctx.signal.reason);
  };

  /**
   * `early`: start aggregations as their references arrive (off when the number of aggregations depends on the
   * replies, as with the agreement shortcut, or when there are none). `checks`: where finished aggregations are run.
   */
  constructor(
    private readonly ctx: AskContext,
    private readonly referencers: readonly string[],
    private readonly priorOf: ReadonlyMap<string, number>,
    private readonly early: boolean,
    private readonly checks: CheckStage | undefined,
  ) {
    this.plan();
  }

  /** A reference is in: every planned subset it completes starts (the first announces the subsets). */
  arrive(reference: ReferenceOutcome): void {
    this.arrived.set(reference.model, reference);
    this.startComplete();
  }

  /**
   * The aggregator's own referencer call failed in this ask in a way its aggregations would meet too (its endpoint
   * down, its key refused, not an API): no aggregation asks it again, each fails at once saying why, and a reference
   * answers — instead of every aggregation retrying the same dead endpoint.
   */
  aggregatorFailed(error: string, kind: ErrorKind): void {
    this.aggregatorDown = { error, kind };
  }

  /** Referencers that will not answer: the early aggregations stop and the subsets are drawn without them. */
  leftOut(models: readonly string[]): void {
    models.forEach((m) => this.gone.add(m));
    if (this.planned.length === 0) return;
    this.stopStarted();
    this.plan();
    if (this.announced) this.announce(this.planned.map((s) => s.models), this.planned.map((s) => s.draws));
    this.startComplete();
  }

  /**
   * The referencers are done, `arrived` in their order: the aggregations of the `n` draws over them, all finished — or,
   * when a majority of the referencers agree (the agreement shortcut), one aggregation of exactly the `agreeing` replies,
   * so the one answer synthesised carries what they agreed on rather than a chance draw that may hold the dissent.
   * Throws CancelledError when the ask was cancelled.
   */
  async finish(arrived: readonly ReferenceOutcome[], n: number, agreeing?: readonly ReferenceOutcome[]): Promise<Aggregation[]> {
    const holds = agreeing === undefined && n === this.ctx.input.params.n && this.planned.length > 0 && arrived.length === this.referencers.length - this.gone.size && arrived.every((o) => !this.gone.has(o.model));
    if (agreeing !== undefined) {
      this.stopStarted();
      this.announce([agreeing.map((o) => o.model)], [1]);
      this.start(0, agreeing, 1);
    } else if (holds) {
      if (!this.announced) this.announce(this.planned.map((s) => s.models), this.planned.map((s) => s.draws));
      this.planned.forEach(({ models, draws }, index) => {
        if (!this.started.has(index)) this.start(index, models.map((m) => at(arrived, arrived.findIndex((o) => o.model === m))), draws);
      });
    } else {
      this.stopStarted();
      const subsets = this.draw(arrived.map((o) => o.model), n).map((s) => ({ references: s.members.map((i) => at(arrived, i)), draws: s.draws }));
      this.announce(subsets.map((s) => s.references.map((o) => o.model)), subsets.map((s) => s.draws));
      subsets.forEach((s, index) => this.start(index, s.references, s.draws));
    }
    this.final = true;
    for (const [index, text] of this.unchecked) this.checks?.reply({ kind: 'candidate', index }, text);
    this.unchecked.clear();
    const aggregations = await Promise.all([...this.started.values()].map((r) => r.done));
    await this.settled();
    checkCancelled(this.ctx);
    return aggregations.sort((a, b) => a.index - b.index);
  }

  /** Stops every aggregation under way and waits for them to end (the ask failed or was stopped before they were needed). */
  async stopAll(): Promise<void> {
    this.stopStarted();
    await this.settled();
  }

  private async settled(): Promise<void> {
    await Promise.all(this.setAside);
  }

  /** Sets every started aggregation aside: stopped if still running, and forgotten as a candidate either way. */
  private stopStarted(): void {
    for (const [index, s] of this.started) {
      if (s.finished) this.ctx.ledger.forgetStopped('aggregation', index);
      s.stop.abort(new Error(REDRAWN));
      this.setAside.push(s.done);
    }
    this.started.clear();
    this.unchecked.clear();
    this.trimmedModels.clear();
    this.announced = false;
  }

  /** The subsets the ask will draw if every referencer not gone answers (none when aggregations wait for all). */
  private plan(): void {
    const over = this.referencers.filter((m) => !this.gone.has(m));
    const { n } = this.ctx.input.params;
    this.planned = this.early && n > 0 && over.length > 0 ? this.draw(over, n).map((s) => ({ models: s.members.map((i) => at(over, i)), draws: s.draws })) : [];
  }

  /** Starts every planned subset whose references are all in. */
  private startComplete(): void {
    this.planned.forEach(({ models, draws }, index) => {
      if (this.started.has(index) || !models.every((m) => this.arrived.has(m))) return;
      if (!this.announced) this.announce(this.planned.map((s) => s.models), this.planned.map((s) => s.draws));
      this.start(index, models.map((m) => this.arrived.get(m) as ReferenceOutcome), draws);
    });
  }

  /** `n` prior-drop draws over `models` (in this order), each distinct subset once with its draw count. */
  private draw(models: readonly string[], n: number): DrawnSubset[] {
    const { params, question } = this.ctx.input;
    const priors = models.map((m) => this.priorOf.get(m) ?? 0);
    return distinctSubsets(drawSubsets(priors, params.kDrop, n, askRng(params.seed, question, this.ctx.history.length)));
  }

  private announce(subsets: string[][], draws: number[]): void {
    this.announced = true;
    this.ctx.emit({ type: 'subsets', aggregator: this.ctx.input.aggregator, subsets, draws });
  }

  /** Starts aggregation `index` of `subset`; its promise never rejects (a failure is its `error`). */
  private start(index: number, subset: readonly ReferenceOutcome[], draws: number): void {
    const { ctx } = this;
    const { input, deps, emit, ledger } = ctx;
    const { params } = input;
    const stop = new AbortController();
    if (ctx.signal.aborted) stop.abort(ctx.signal.reason);
    else if (this.running.size === 0) ctx.signal.addEventListener('abort', this.stopRunning, { once: true });
    this.running.add(stop);
    const request = aggregationRequest(ctx, subset);
    for (const i of request.trimmed) this.trimmedModels.add(at(subset, i).model);
    const models = subset.map((o) => o.model);
    const entry: Started = { done: Promise.resolve({ index, subset: models, draws }), stop, finished: false };
    let streamed = '';
    const pace = new StreamPace();
    const startedAt = ctx.now();
    emit({ type: 'aggregation-started', index, subset: models });
    const down = this.aggregatorDown;
    if (down) {
      const message = `not asked: the aggregator ${input.aggregator} failed as a referencer in this ask (${down.error})`;
      emit({ type: 'aggregation-failed', index, error: message, kind: down.kind });
      entry.done = Promise.resolve({ index, subset: models, draws, error: { message, kind: down.kind } });
      this.running.delete(stop);
      this.started.set(index, entry);
      return;
    }
    entry.done = (async (): Promise<Aggregation> => {
      try {
        const result = await deps.gateway.chat(
          { model: input.aggregator, messages: request.messages, temperature: params.temperature, maxTokens: request.maxTokens, presencePenalty: params.presencePenalty, logprobs: true, stage: 'aggregation' },
          (d) => {
            if (d.kind === 'wait') emit({ type: 'aggregation-waiting', index, ms: d.ms, reason: d.reason });
            else {
              // Reasoning is generated and paid for as the text is: both count if the call is stopped.
              streamed += d.text;
              pace.add(d.text.length, ctx.now());
              if (d.kind === 'text') emit({ type: 'aggregation-delta', index, text: d.text });
            }
          },
          stop.signal,
        );
        if (stop.signal.aborted) {
          ledger.setAside('aggregation', input.aggregator, request.messages, result);
          return { index, subset: models, draws, error: { message: REDRAWN, kind: 'cancelled' } };
        }
        entry.finished = true;
        ledger.calibrate(request.messages, result);
        ledger.chat('aggregation', input.aggregator, request.messages, result, index);
        emit({ type: 'aggregation-done', index, latencyMs: result.latencyMs, usage: result.usage, text: result.text, reasoning: result.reasoning, ...(result.stopped ? { stopped: result.stopped } : {}) });
        if (this.final) this.checks?.reply({ kind: 'candidate', index }, result.text);
        else this.unchecked.set(index, result.text);
        return { index, subset: models, draws, result };
      } catch (e) {
        const spent = completedCallOf(e);
        if (spent) ledger.chat('aggregation', input.aggregator, request.messages, spent);
        else if (streamed !== '') {
          // Cut off after it began (drawn again, stopped by the asker, its connection lost mid-reply): what it was sent
          // and wrote is paid for.
          ledger.partial('aggregation', input.aggregator, request.messages, streamed, deps.gateway.price(input.aggregator), ctx.now() - startedAt, { ...cutOf(e), pace, maxTokens: request.maxTokens });
        } else {
          // Ended before its first byte — drawn again or stopped (`cancelled`), or refused (`failed`): nothing is paid
          // for, and the team ledger still keeps a row for the call.
          ledger.unpaid({ stage: 'aggregation', model: input.aggregator, latencyMs: ctx.now() - startedAt, outcome: stop.signal.aborted ? 'cancelled' : 'failed' });
        }
        const error = { message: errorMessage(e), kind: errorKind(e) };
        if (!stop.signal.aborted) emit({ type: 'aggregation-failed', index, error: error.message, kind: error.kind });
        return { index, subset: models, draws, error };
      } finally {
        this.running.delete(stop);
        if (this.running.size === 0) ctx.signal.removeEventListener('abort', this.stopRunning);
      }
    })();
    this.started.set(index, entry);
  }
}

/**
 * One aggregation's messages (the multi-turn form of mixture-of-agents): the system prompt with this turn's
 * references, the earlier turns, this question — fitted to the aggregator's window by the prompt layout (references
 * before turns).
 */
function aggregationRequest(ctx: AskContext, subset: readonly ReferenceOutcome[]): { messages: ChatMessage[]; maxTokens: number; trimmed: number[] } {
  const { input, deps, history, user, ledger } = ctx;
  const fitted = fitPrompt(
    { system: [aggregatorSystemPrompt([], input.system)], question: [user.content], references: subset.map((o) => o.text), conversation: history },
    { window: deps.gateway.contextWindow(input.aggregator), maxTokens: input.params.maxTokens },
  );
  ledger.fitted('aggregation', input.aggregator, fitted.droppedTurns, fitted.maxTokens, input.params.maxTokens);
  const messages: ChatMessage[] = [{ role: 'system', content: aggregatorSystemPrompt(fitted.references, input.system) }, ...turnMessages(fitted.turns), user];
  return { messages, maxTokens: fitted.maxTokens, trimmed: fitted.trimmedReferences };
}
