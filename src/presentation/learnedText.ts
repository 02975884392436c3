/**
 * What a choice taught the bank, worded from what actually labelled each referencer (core/grading/learning): the
 * question's examples its code ran on, its final answer against the chosen one's, or how close its reply is to the
 * chosen one — and, when nothing was written, why (the bank already holds the question with labels of its own, or no
 * reply could be labelled against the choice).
 */
import type { ReferenceLabel } from '../core/grading/learning';
import { formatQuantity } from './format';

/** What the bank did with a choice: the feedback result's outcome and labels (bank/feedback FeedbackResult). */
export interface Learned {
  outcome: 'added' | 'updated' | 'skipped';
  skipped?: 'held' | 'uncertain';
  labels: readonly Pick<ReferenceLabel, 'basis' | 'label'>[];
}

const BASIS_WORDS: Readonly<Record<ReferenceLabel['basis'], string>> = {
  code: "by the question's examples their code ran on",
  'final-answer': 'by whether their final answer matches the one you chose',
  similarity: 'by how close their reply is to the one you chose',
};

/**
 * "SMCS added this question to your bank: 2 referencers labelled by the question's examples their code ran on, 1 by
 * whether their final answer matches the one you chose." — or, when nothing was written, why. `bank`: whose bank the
 * choice labelled, the team's when a team server is the engine.
 */
export function learnedText(learned: Learned, bank: 'your' | 'the team' = 'your'): string {
  if (learned.outcome === 'skipped') {
    return learned.skipped === 'held'
      ? `SMCS: this question is already in ${bank} bank with labels of its own for these models (graded or profiled), so your choice changed nothing there.`
      : `SMCS: your choice taught ${bank === 'your' ? 'the' : 'the team'} bank nothing: no model’s reply could be labelled against it (too close to call).`;
  }
  const labelled = learned.labels.filter((l) => l.label !== null);
  const bases = (['code', 'final-answer', 'similarity'] as const).map((basis) => ({ basis, count: labelled.filter((l) => l.basis === basis).length })).filter((b) => b.count > 0);
  const how = bases.map((b, i) => `${i === 0 ? formatQuantity(b.count, 'referencer') : b.count} labelled ${BASIS_WORDS[b.basis]}`).join(', ');
  const what = learned.outcome === 'added' ? `added this question to ${bank} bank` : `updated this question, already in ${bank} bank`;
  return `SMCS ${what}: ${how}.`;
}
