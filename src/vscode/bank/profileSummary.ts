/**
 * What SMCS: Profile Models says in words: which configured models have no label yet (offered as a group to
 * profile), and each model's result as a share of the questions it was graded on. Free of `vscode`.
 */
import type { ModelProfileSummary, ProfileEstimate, ProfileSummary } from '../../profile/profiler';
import { formatCount, formatQuantity, formatUsd } from '../../presentation/format';

/** The model keys (in configured order) with no label in the bank, given each labelled model's label count. */
export function modelsWithoutLabels(keys: readonly string[], labelled: readonly { model: string; labelled: number }[]): string[] {
  const counts = new Map(labelled.map((m) => [m.model, m.labelled]));
  return keys.filter((key) => (counts.get(key) ?? 0) === 0);
}

/** One model's result in a run: "alpha 54 % right of 380 questions", or why there is none. */
function modelResult(m: Pick<ModelProfileSummary, 'model' | 'labelled' | 'correct' | 'failed' | 'truncated'>): string {
  if (m.labelled === 0) {
    const why = [m.failed > 0 ? `${m.failed} failed` : '', m.truncated > 0 ? `${m.truncated} cut` : ''].filter((w) => w !== '').join(', ');
    return `${m.model} no answer graded${why ? ` (${why})` : ''}`;
  }
  return `${m.model} ${Math.round((100 * m.correct) / m.labelled)} % of ${formatQuantity(m.labelled, 'question')}`;
}

/** The run's results per model, e.g. "Right on: alpha 54 % of 380 questions, beta 1 % of 380 questions." ('' for none). */
export function profileResults(models: readonly Pick<ModelProfileSummary, 'model' | 'labelled' | 'correct' | 'failed' | 'truncated'>[]): string {
  return models.length === 0 ? '' : `Right on: ${models.map(modelResult).join(', ')}.`;
}

/** The question before profiling starts: requests, tokens and cost, e.g. "SMCS: profiling makes 11,780 requests (~1,619,781 prompt …". */
export function profileEstimateMessage(estimate: Pick<ProfileEstimate, 'requests' | 'promptTokens' | 'completionTokens' | 'costUsd' | 'maxCostUsd'>): string {
  const cost = estimate.costUsd === undefined ? 'cost unknown (no pricing published)' : `about ${formatUsd(estimate.costUsd)} (at most ${formatUsd(estimate.maxCostUsd ?? estimate.costUsd)})`;
  return `SMCS: profiling makes ${formatQuantity(estimate.requests, 'request')} (~${formatCount(estimate.promptTokens)} prompt and ~${formatCount(estimate.completionTokens)} completion tokens), ${cost}. Start?`;
}

/** The notification after profiling: labels stored, failed requests and each model's result. */
export function profileSummaryMessage(summary: Pick<ProfileSummary, 'cancelled' | 'labelled' | 'failed'> & { models: Parameters<typeof profileResults>[0] }): string {
  const failed = summary.failed ? `, ${formatQuantity(summary.failed, 'request')} failed (retried next run)` : '';
  return `SMCS: profiling ${summary.cancelled ? 'stopped (run it again to resume)' : 'finished'}: ${formatQuantity(summary.labelled, 'label')} stored${failed}. ${profileResults(summary.models)}`;
}

/** How many replies the token limit cut: "1 reply was", "1,204 replies were". */
export function repliesWere(count: number): string {
  return count === 1 ? '1 reply was' : `${formatCount(count)} replies were`;
}
