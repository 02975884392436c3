/**
 * Stage 6 of an ask (paper §3.2): the aggregations as candidates, each that succeeded with its hybrid score (mean
 * similarity + λ·(1 − perplexity), core/posterior/hybridScore); the ranking orders them by it (core/checks/decision).
 */
import { at } from '../util/arrays';
import type { CandidateOutcome } from '../contracts/events';
import type { ChatResult } from '../contracts/types';
import { hybridScores } from '../posterior/hybridScore';
import type { Aggregation } from './aggregationStage';
import { checkCancelled, type AskContext } from './askState';

/** The candidates of `aggregations`, in their order, and whether the log-probs counted (every successful one had them). */
export async function scoreCandidates(ctx: AskContext, aggregations: readonly Aggregation[]): Promise<{ candidates: CandidateOutcome[]; logprobsUsed: boolean }> {
  const succeeded = aggregations.filter((a): a is Aggregation & { result: ChatResult } => a.result !== undefined);
  const candidates: CandidateOutcome[] = aggregations.map((a) => ({
    index: a.index,
    subset: a.subset,
    draws: a.draws,
    ok: a.result !== undefined,
    ...(a.error !== undefined ? { error: a.error.message, errorKind: a.error.kind } : {}),
    text: a.result?.text ?? '',
    reasoning: a.result?.reasoning ?? '',
    ...(a.result?.stopped ? { stopped: a.result.stopped } : {}),
    similarity: 0,
    perplexity: null,
    total: 0,
  }));
  if (succeeded.length === 0) return { candidates, logprobsUsed: false };
  const vectors = await ctx.deps.embedder.embed(
    succeeded.map((a) => a.result.text),
    ctx.signal,
  );
  checkCancelled(ctx);
  const scored = hybridScores(vectors, succeeded.map((a) => a.result.tokenLogprobs), ctx.input.params.lambda, succeeded.map((a) => a.draws));
  // hybridScores returns one score per succeeded aggregation, and a.index is a position in candidates.
  succeeded.forEach((a, j) => {
    candidates[a.index] = {
      ...at(candidates, a.index),
      similarity: at(scored.similarity, j),
      perplexity: scored.perplexity[j] ?? null,
      total: at(scored.total, j),
    };
  });
  return { candidates, logprobsUsed: scored.logprobsUsed };
}
