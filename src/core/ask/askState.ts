/**
 * What every stage of one ask shares: its input and ports, the ledger of what it spent and cut, and cancellation.
 */
import type { MathEquivalence } from '../grading/finalAnswer';
import type { CheckRunner } from '../contracts/checks';
import type { ContextItem } from '../context/contextItem';
import type { Turn } from './conversation';
import { callCost, totalCost, totalTokens } from '../cost/costs';
import { tailTokens, type StreamPace, type TokenScale } from '../cost/cutTail';
import { estimatePromptTokens, estimateTokens } from '../util/tokens';
import type { CallRecord, CallStage } from '../contracts/types';
import type { ErrorKind } from '../contracts/errors';
import type { AskResult, ChatStage, PipelineEvent, Spent } from '../contracts/events';
import type { PastCalls } from '../cost/pastCalls';
import type { RoutingSettings } from '../routing/priceRouting';
import type { PriorSource } from '../contracts/priorSource';
import type { ChatMessage, ChatResult, Embedder, LlmGateway, SmcsParams, TokenPrice, TokenUsage } from '../contracts/types';

/** Price-aware routing and the agreement shortcut of one ask (core/routing/priceRouting, core/posterior/consensus). */
export interface PipelineRouting extends RoutingSettings {
  /**
   * Fewer aggregations when the referencers agree: `true` when they state the same final answer or their replies are
   * near-identical; `answers` only when they state the same final answer (the agreement measured on replays); `false` never.
   */
  agreementShortcut: boolean | 'answers';
  /** With `aggregator: auto`: every profiled model's bank-wide counts, so the aggregator follows the cost weight too. */
  autoAggregator?: ReadonlyMap<string, { correct: number; labelled: number }>;
}

export interface PipelineInput {
  question: string;
  /**
   * The code the question is about — attachments, selection, current file, problems, terminal, retrieved chunks, in
   * any order: fitted once the models are chosen to the smallest of their windows (core/promptBudget/fitContext), then the same
   * context goes to every referencer, aggregation and test-writing call. Absent: the result has no `context`. The
   * selection (source `selection`) is also where the checks are read besides the question; none of it is embedded
   * for retrieval.
   */
  contextItems?: readonly ContextItem[];
  /** What the gathering of the context says of itself (the workspace not searched, nothing found), before the fit's notes. */
  contextNotes?: readonly string[];
  /** Earlier turns of the conversation, oldest first; every referencer and aggregation receives them. */
  history?: readonly Turn[];
  /** The asker's system message (an OpenAI client's, through `smcs serve`): every referencer and aggregation follows it. */
  system?: string;
  /** Configured model keys, in configured order. */
  models: readonly string[];
  /** The aggregator's model key (already resolved from `auto`; with a cost weight, `auto` is chosen again per question). */
  aggregator: string;
  params: SmcsParams;
  /** Absent: the paper's RPS (`quality`), no cost limit, no agreement shortcut. */
  routing?: PipelineRouting;
  /** Ask the aggregator for tests when a code question has no examples (setting `modelWrittenTests`; default on). */
  modelWrittenTests?: boolean;
  /** Models asked whatever their rank (core/routing/priceRouting `include`): "Use them anyway" on models without labels. */
  include?: readonly string[];
}

export interface PipelineDeps {
  embedder: Embedder;
  /** Null when there is no bank: plain MoA with the first K models. */
  bank: PriorSource | null;
  gateway: LlmGateway;
  /** Runs replies' code on checks in the sandbox; without it code questions are scored like any other. */
  checkRunner?: CheckRunner;
  /** Monotonic clock in ms (performance.now by default). */
  now?: () => number;
  /** This installation's past calls, for the expected cost of models the bank records no tokens of. */
  pastCalls?: PastCalls;
  /** Whether two mathematical final answers are equal (a library outside core); without it, the same text. */
  sameMath?: MathEquivalence;
  /** How the upstreams count tokens against the estimate, across this engine's asks: a cut call's scale when its ask has no reported call. */
  tokenScale?: TokenScale;
}

export class CancelledError extends Error {
  readonly kind = 'cancelled' satisfies ErrorKind;

  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

/** The finished call an error carries, when the call completed but its reply was unusable (e.g. reasoning, no answer). */
export function completedCallOf(err: unknown): ChatResult | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const result: unknown = (err as { result?: unknown }).result;
  if (typeof result !== 'object' || result === null) return undefined;
  const r = result as Partial<ChatResult>;
  return r.usage !== undefined && typeof r.latencyMs === 'number' && typeof r.usageEstimated === 'boolean' ? (r as ChatResult) : undefined;
}

/**
 * What a failed call's error says of a reply it cut off (llm LlmError `cutOff`): the reply as its upstream names it
 * (`generation`, when the upstream states its bills by it) and, when we stopped reading it, how long the upstream is
 * taken to write on after the connection closed (`writesOnMs`).
 */
export function cutOf(err: unknown): { generation?: string; writesOnMs?: number } {
  if (typeof err !== 'object' || err === null) return {};
  const { generation, writesOnMs } = err as { generation?: unknown; writesOnMs?: unknown };
  return {
    ...(typeof generation === 'string' ? { generation } : {}),
    ...(typeof writesOnMs === 'number' && Number.isFinite(writesOnMs) && writesOnMs >= 0 ? { writesOnMs } : {}),
  };
}

/** A reply cut off after it began, as the stage saw it: what its error says (cutOf), its pace, its output limit. */
export interface CutReply {
  generation?: string;
  writesOnMs?: number;
  pace?: StreamPace;
  maxTokens?: number;
}

/**
 * A call that ended before its first byte, so nothing is paid for: `cancelled`, stopped (the upstream never began its
 * reply), or `failed` (refused connection, DNS, TLS, an HTTP error before any reply). No call of the result counts it;
 * a team ledger keeps a row for it, so every upstream call has one.
 */
export interface UnpaidCall {
  stage: Exclude<CallStage, 'embedding'>;
  model: string;
  latencyMs: number;
  outcome: 'cancelled' | 'failed';
}

/** The tokens the estimate from a call's text gives: what it was sent, and what it wrote (reasoning included). */
function textEstimate(sent: readonly ChatMessage[], result: Pick<ChatResult, 'text' | 'reasoning'>): { prompt: number; completion: number } {
  return { prompt: estimatePromptTokens(sent), completion: estimateTokens(result.reasoning) + estimateTokens(result.text) };
}

/** What one ask spent and what it had to cut: every call, the turns left out and the output limits lowered. */
export class Ledger {
  readonly calls: CallRecord[] = [];
  private readonly watchers: ((call: CallRecord) => void)[] = [];
  private readonly unpaidWatchers: ((call: UnpaidCall) => void)[] = [];
  /** Estimated and reported tokens of this ask's calls whose usage the upstream reported: what a cut call's estimate is scaled by. */
  private readonly reported = { estimatedPrompt: 0, prompt: 0, estimatedCompletion: 0, completion: 0 };
  private readonly dropped = new Map<string, { stage: ChatStage; model: string; turns: number }>();
  private readonly capped = new Map<string, { stage: ChatStage; model: string; maxTokens: number }>();
  private readonly stopped: NonNullable<AskResult['stoppedOutput']> = [];
  /** The workspace context as this ask's user message carries it ('': none): what part of each prompt holding it it is. */
  private contextText = '';

  /** `scale`: the engine's scale across asks, taught by this ask's reported calls and read while this ask has none. */
  constructor(private readonly scale?: TokenScale) {}

  /** This ask's user message carries `text`, the workspace context. */
  carriesContext(text: string): void {
    this.contextText = text;
  }

  /** Records a chat call that returned (`index`: the aggregation's); the gateway priced it when the model's price is known. */
  chat(stage: Exclude<CallStage, 'embedding'>, model: string, sent: readonly ChatMessage[], result: ChatResult, index?: number): CallRecord {
    const call = this.setAside(stage, model, sent, result);
    if (result.stopped !== undefined) this.stopped.push({ stage, model, ...(index !== undefined ? { index } : {}), ...result.stopped });
    return call;
  }

  /** Records a call that returned but whose reply is not used (an early aggregation whose subset was drawn again): paid for, not shown. */
  setAside(stage: Exclude<CallStage, 'embedding'>, model: string, sent: readonly ChatMessage[], result: ChatResult): CallRecord {
    const tokens = { prompt: result.usage.promptTokens, completion: result.usage.completionTokens };
    const generation = result.usageEstimated && result.generation !== undefined ? { generation: result.generation } : {};
    // A reported call says how its upstream counts against the estimate (calibrate's figures), for a ledger to keep.
    const textTokens = result.usageEstimated ? {} : { textTokens: textEstimate(sent, result) };
    const call = { stage, model, tokens, costUsd: result.costUsd ?? null, latencyMs: result.latencyMs, estimated: result.usageEstimated, ...this.contextOf(sent, tokens.prompt), ...generation, ...textTokens };
    this.record(call);
    return call;
  }

  /**
   * The context's tokens in a call's prompt, in the prompt's own count: its share of the characters `sent`, times the
   * prompt tokens (what the server counted, or the estimate) — never more than the whole prompt. Nothing when the
   * call was not sent the context.
   */
  private contextOf(sent: readonly ChatMessage[], promptTokens: number): Pick<CallRecord, 'context'> {
    if (this.contextText === '' || !sent.some((m) => m.content.includes(this.contextText))) return {};
    const chars = sent.reduce((sum, m) => sum + m.content.length, 0);
    return { context: Math.round((promptTokens * this.contextText.length) / chars) };
  }

  /** Records one call as it ends, and tells every watcher. */
  record(call: CallRecord): void {
    this.calls.push(call);
    for (const watcher of this.watchers) watcher(call);
  }

  /**
   * Tells `onCall` of every call recorded so far and of each one as it ends: a team server writes each call to its
   * spend ledger as it is paid for, so an instance killed mid-ask loses no call that finished. `onUnpaid` hears of
   * each call that ended before its first byte, stopped or failed (no call of the result: nothing was paid for), so the
   * team ledger has a row for every upstream call. Either may be heard alone.
   */
  watch({ onCall, onUnpaid }: { onCall?: (call: CallRecord) => void; onUnpaid?: (call: UnpaidCall) => void }): void {
    if (onCall) {
      for (const call of this.calls) onCall(call);
      this.watchers.push(onCall);
    }
    if (onUnpaid) this.unpaidWatchers.push(onUnpaid);
  }

  /** A call that ended before its first byte, stopped or failed: told to the watchers, never counted. */
  unpaid(call: UnpaidCall): void {
    for (const watcher of this.unpaidWatchers) watcher(call);
  }

  /**
   * A call whose usage the upstream reported: its tokens against their estimate from the text (`sent` and the reply),
   * so a call of this ask cut off later is estimated as the upstreams count, not by characters alone.
   */
  calibrate(sent: readonly ChatMessage[], result: ChatResult): void {
    if (result.usageEstimated) return;
    const estimated = textEstimate(sent, result);
    this.reported.estimatedPrompt += estimated.prompt;
    this.reported.prompt += result.usage.promptTokens;
    this.reported.estimatedCompletion += estimated.completion;
    this.reported.completion += result.usage.completionTokens;
    this.scale?.observe({ estimatedPrompt: estimated.prompt, prompt: result.usage.promptTokens, estimatedCompletion: estimated.completion, completion: result.usage.completionTokens });
  }

  /**
   * Records a call cut off before its usage came (a late referencer, a reply stopped by the asker): the tokens of what
   * it was sent and wrote, estimated — scaled by how this ask's reported calls compare with their estimates (the
   * engine's earlier asks' when this one has none yet) — at the
   * model's price; returns them as the reference's usage. When we stopped reading it (`cut.writesOnMs`), what its
   * upstream wrote after the close is counted too: its pace while it streamed times that time, within `max_tokens`
   * (core/cost/cutTail). `cut.generation`: the reply as its upstream names it, when the upstream states its bills
   * (cutOf), so the estimate can be replaced by the bill.
   */
  partial(stage: Exclude<CallStage, 'embedding'>, model: string, sent: readonly ChatMessage[], streamed: string, price: TokenPrice | undefined, latencyMs: number, cut: CutReply = {}): TokenUsage {
    const r = this.reported;
    // This ask's reported calls, else the engine's past asks', else the estimate as it is.
    const past = this.scale?.ratios ?? { prompt: 1, completion: 1 };
    const ratio = (reported: number, estimated: number, otherwise: number): number => (estimated > 0 && reported > 0 ? reported / estimated : otherwise);
    const completionRatio = ratio(r.completion, r.estimatedCompletion, past.completion);
    const streamedTokens = estimateTokens(streamed) * completionRatio;
    const pace = cut.pace?.tokensPerMs;
    const tail = tailTokens({ tokensPerMs: pace === undefined ? undefined : pace * completionRatio, writesOnMs: cut.writesOnMs, streamedTokens, maxTokens: cut.maxTokens ?? Infinity });
    const tokens = { prompt: Math.round(estimatePromptTokens(sent) * ratio(r.prompt, r.estimatedPrompt, past.prompt)), completion: Math.round(streamedTokens + tail) };
    const { generation } = cut;
    this.record({ stage, model, tokens, costUsd: callCost(tokens, price), latencyMs, estimated: true, ...this.contextOf(sent, tokens.prompt), ...(generation !== undefined ? { generation } : {}) });
    return { promptTokens: tokens.prompt, completionTokens: tokens.completion };
  }

  /** Forgets that aggregation `index`'s reply was stopped: its result was set aside (its subset was drawn again). */
  forgetStopped(stage: ChatStage, index: number): void {
    const kept = this.stopped.filter((s) => s.stage !== stage || s.index !== index);
    this.stopped.splice(0, this.stopped.length, ...kept);
  }

  /** Records what fitting a request into the model's window cost: turns left out, a lower output limit. */
  fitted(stage: ChatStage, model: string, droppedTurns: number, maxTokens: number, wanted: number): void {
    const key = `${stage}\u0000${model}`;
    if (droppedTurns > 0 && droppedTurns > (this.dropped.get(key)?.turns ?? 0)) this.dropped.set(key, { stage, model, turns: droppedTurns });
    if (maxTokens < wanted && maxTokens < (this.capped.get(key)?.maxTokens ?? Infinity)) this.capped.set(key, { stage, model, maxTokens });
  }

  /** Tokens of the chat calls (referencers and aggregations), in the shape of `AskResult.usage`. */
  get chatUsage(): TokenUsage {
    const chat = totalTokens(this.calls.filter((c) => c.stage !== 'embedding'));
    return { promptTokens: chat.prompt, completionTokens: chat.completion };
  }

  /** The calls made so far with their totals (what a failed or stopped ask reports). */
  get spent(): Spent {
    return { calls: [...this.calls], costUsd: totalCost(this.calls), tokens: totalTokens(this.calls) };
  }

  get droppedTurns(): AskResult['conversation']['dropped'] {
    return [...this.dropped.values()];
  }

  get cappedOutput(): AskResult['cappedOutput'] {
    return [...this.capped.values()];
  }

  get stoppedOutput(): NonNullable<AskResult['stoppedOutput']> {
    return [...this.stopped];
  }
}

/**
 * What every stage of one ask shares, made once the routing has chosen and never changed after (each stage returns
 * what it made instead: core/ask/pipeline threads the values). Only the ledger records as the stages go.
 */
export type AskContext = Readonly<{
  /** The input as routed (core/ask/routedAsk): the routing's aggregator and number of aggregations. */
  input: Readonly<PipelineInput>;
  deps: PipelineDeps;
  signal: AbortSignal;
  emit: (e: PipelineEvent) => void;
  now: () => number;
  history: readonly Turn[];
  /** This turn's user message: the question, then its context once fitted. */
  user: ChatMessage;
  /** What the user selected, as sent (core/context/contextItem.selectionText): the checks are read from it and the question. */
  selected: string;
  ledger: Ledger;
}>;

/** Throws when the ask was cancelled (every stage checks between its awaits). */
export function checkCancelled(ctx: AskContext): void {
  if (ctx.signal.aborted) throw new CancelledError();
}
