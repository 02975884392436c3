/**
 * What SMCS: Profile Models says in words: which configured models have no label yet (offered as a group to
 * profile), and each model's result as a share of the questions it was graded on. Free of `vscode`.
 */
import type { ModelProfileSummary } from '../profile/profiler';
import { plural } from './bankSummary';

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
  return `${m.model} ${Math.round((100 * m.correct) / m.labelled)} % of ${plural(m.labelled, 'question')}`;
}

/** The run's results per model, e.g. "Right on: alpha 54 % of 380 questions, beta 1 % of 380 questions." ('' for none). */
export function profileResults(models: readonly Pick<ModelProfileSummary, 'model' | 'labelled' | 'correct' | 'failed' | 'truncated'>[]): string {
  return models.length === 0 ? '' : `Right on: ${models.map(modelResult).join(', ')}.`;
}
