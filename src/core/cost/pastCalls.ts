/**
 * This installation's past calls of each model, as expected cost reads them: the mean tokens of a model's recent
 * replies as a referencer and of its aggregations (the engine keeps them on disk, engine/callHistory.ts).
 */
import type { ReplyTokens } from '../contracts/routingReport';
import type { CallRecord } from '../contracts/types';

/** The stages whose past replies say how long the next one will be. */
export type PastStage = 'referencer' | 'aggregation';

/** What the estimate reads of past calls. */
export interface PastCalls {
  /** Mean tokens of `model`'s recent calls in `stage`, and how many they are; null when it has none. */
  mean(model: string, stage: PastStage): PastMean | null;
}

/** The mean tokens of a model's kept calls in one stage, and how many calls that mean is of. */
export interface PastMean extends ReplyTokens {
  calls: number;
}

/** Calls kept per model and stage: enough for a stable mean, few enough to follow a change of model or use. */
export const PAST_CALLS_KEPT = 20;

/** Per model and stage, the tokens of its most recent calls (oldest first). */
export type PastCallRecords = Record<string, Partial<Record<PastStage, ReplyTokens[]>>>;

/**
 * `records` with `calls` added (calls with no completion are left out: they say nothing of a reply's length); the same
 * object when no call counts.
 */
export function withCalls(records: PastCallRecords, calls: readonly Pick<CallRecord, 'stage' | 'model' | 'tokens'>[]): PastCallRecords {
  const counted = calls.filter((c): c is typeof c & { stage: PastStage } => (c.stage === 'referencer' || c.stage === 'aggregation') && c.tokens.completion > 0);
  if (counted.length === 0) return records;
  const next: PastCallRecords = Object.create(null) as PastCallRecords;
  for (const [model, stages] of Object.entries(records)) next[model] = { ...stages };
  for (const call of counted) {
    const stages = (next[call.model] ??= {});
    stages[call.stage] = [...(stages[call.stage] ?? []), { prompt: call.tokens.prompt, completion: call.tokens.completion }].slice(-PAST_CALLS_KEPT);
  }
  return next;
}

/** The mean of the kept calls, or null when there are none. */
export function meanOf(kept: readonly ReplyTokens[] | undefined): PastMean | null {
  if (!kept || kept.length === 0) return null;
  return { prompt: kept.reduce((s, t) => s + t.prompt, 0) / kept.length, completion: kept.reduce((s, t) => s + t.completion, 0) / kept.length, calls: kept.length };
}
