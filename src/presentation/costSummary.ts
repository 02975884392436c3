/**
 * What a run cost, in one line: the panel shows it under an answer and the chat participant under its reply.
 */
import { formatQuantity, formatTokenPhrase, formatUsd } from './format';
import type { RunState } from './runState';

/**
 * Replies stopped by Stop before they finished: their usage never came, so no cost is known. (A late reply, left out by
 * the straggler deadline, is counted from what it was sent and wrote, estimated.)
 */
export function stoppedReplies(run: Partial<Pick<RunState, 'referencers' | 'candidates'>>): number {
  return [...(run.referencers ?? []), ...(run.candidates ?? [])].filter((r) => r.status === 'abandoned' && !('lateAfterMs' in r && r.lateAfterMs !== undefined)).length;
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
