/**
 * What a run cost, in one line: the panel shows it under an answer and the chat participant under its reply.
 */
import { formatQuantity, formatTokenPhrase, formatUsd } from './format';
import type { CallRecord } from '../core/contracts/types';
import type { ContextReport, RunState } from './runState';

/**
 * Replies stopped by Stop that no call counts. Their usage never came: one stopped after it began to reply is counted
 * from what it was sent and wrote, estimated, as a late reply left out by the straggler deadline is; one stopped before
 * it began, or in a run kept from before such replies were counted, is named here instead.
 */
export function stoppedReplies(run: Partial<Pick<RunState, 'referencers' | 'candidates' | 'calls'>>): number {
  const calls = run.calls ?? [];
  const referencers = (run.referencers ?? []).filter((r) => r.status === 'abandoned' && r.lateAfterMs === undefined && !calls.some((c) => c.stage === 'referencer' && c.model === r.model));
  const candidates = (run.candidates ?? []).filter((c) => c.status === 'abandoned');
  const begun = candidates.filter((c) => c.text !== '' || (c.reasoning ?? '') !== '').length;
  const estimated = calls.filter((c) => c.stage === 'aggregation' && c.estimated).length;
  return referencers.length + candidates.length - Math.min(begun, estimated);
}

/**
 * The cost line of a run that made calls ("≈$0.0123 · 12.3k tokens · 11 calls"; a stopped or failed run counts the
 * calls that returned, "· 2 stopped, not counted" naming the replies cut short), or undefined when it has no calls.
 */
export function costSummary(run: Pick<RunState, 'calls' | 'costUsd' | 'tokens'> & Partial<Pick<RunState, 'referencers' | 'candidates' | 'costLimit'>>): string | undefined {
  const calls = run.calls;
  if (calls === undefined || calls.length === 0) return undefined;
  const approx = calls.some((c) => c.estimated) ? '≈' : '';
  const tokens = run.tokens ?? calls.reduce((t, c) => ({ prompt: t.prompt + c.tokens.prompt, completion: t.completion + c.tokens.completion }), { prompt: 0, completion: 0 });
  const cost = run.costUsd ?? null;
  const unpriced = calls.filter((c) => c.costUsd === null).length;
  const parts: string[] = [];
  if (cost !== null) parts.push(`${approx}${formatUsd(cost)}`);
  parts.push(`${cost === null ? approx : ''}${formatTokenPhrase(tokens.prompt + tokens.completion)}`);
  parts.push(formatQuantity(calls.length, 'call'));
  if (cost === null) parts.push('no prices known');
  else if (unpriced > 0) parts.push(`${unpriced} without a price`);
  const stopped = stoppedReplies(run);
  if (stopped > 0) parts.push(`${stopped} stopped, not counted`);
  // Sent anyway, or expected under the limit but dearer in the end: the answer says by how much it went over.
  const limit = run.costLimit?.maxUsd;
  if (cost !== null && limit !== undefined && cost > limit) parts.push(`over your ${formatUsd(limit)} limit by ${formatUsd(cost - limit)}${run.costLimit?.waived ? ' (sent anyway)' : ''}`);
  return parts.join(' · ');
}

/** What the context cost across the calls that carried it (`contextTokensSent`). */
export interface ContextCarried {
  /** The most any call carried, and the least. */
  tokens: number;
  least: number;
  calls: number;
  total: number;
  /** Counted from the estimate and held to a call's whole prompt (a run kept from before calls counted their context). */
  capped: boolean;
  /** The context's own size, estimated from its characters. */
  estimate: number;
  largestPrompt: number;
}

/**
 * Tokens the context cost across all models: its tokens once per call that carried it (referencers, aggregations,
 * tests). Each call counts its context in its prompt's own unit (core CallRecord `context`: its share of the prompt the
 * server counted), so no call carries more context than its whole prompt. A run kept from before calls counted it has
 * only the estimate from the context's characters: each call is then said to carry at most its prompt (`capped` says
 * one was held to it; then `estimate` is the context's own size, and `largestPrompt` the largest whole prompt).
 */
export function contextTokensSent(report: readonly ContextReport[] | undefined, calls: readonly Pick<CallRecord, 'stage' | 'tokens' | 'context'>[]): ContextCarried | undefined {
  if (report === undefined || report.length === 0) return undefined;
  const estimate = report.reduce((sum, item) => sum + item.tokens, 0);
  const chat = calls.filter((c) => c.stage !== 'embedding');
  const counted = chat.flatMap((c) => (c.context === undefined ? [] : [c.context]));
  const each = counted.length > 0 ? counted : chat.map((c) => Math.min(estimate, c.tokens.prompt));
  const prompts = (counted.length > 0 ? chat.filter((c) => c.context !== undefined) : chat).map((c) => c.tokens.prompt);
  return {
    tokens: Math.max(0, ...each),
    least: each.length === 0 ? 0 : Math.min(...each),
    calls: each.length,
    total: each.reduce((sum, t) => sum + t, 0),
    capped: counted.length === 0 && each.some((t) => t < estimate),
    estimate,
    largestPrompt: Math.max(0, ...prompts),
  };
}

/** The context's tokens in one call: "1,300 tokens", "up to 1,300 tokens" where calls counted it apart, or the estimate. */
export function contextPerCall(carried: ContextCarried): string {
  if (carried.capped) return `≈${formatTokenPhrase(carried.estimate)} (estimated from its characters)`;
  return `${carried.least < carried.tokens ? 'up to ' : ''}${formatTokenPhrase(carried.tokens)}`;
}

/**
 * Details' line on the context: "Context: 1,300 tokens in each of 5 calls = 6,500 tokens across all models"; for a run
 * that has only the estimate above what a server counted for a whole prompt, the context's own (estimated) size and the
 * prompts apart — the prompt's count is not the context's.
 */
export function contextCostText(carried: ContextCarried): string {
  if (!carried.capped) return `Context: ${contextPerCall(carried)} in each of ${formatQuantity(carried.calls, 'call')} = ${formatTokenPhrase(carried.total)} across all models`;
  return `Context: ${contextPerCall(carried)}, sent with ${formatQuantity(carried.calls, 'call')}; each call's whole prompt, context included, was at most ${formatTokenPhrase(carried.largestPrompt)}`;
}
