import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseByAnswers } from '../answerChoice';
import type { CandidateOutcome, ReferenceOutcome } from '../../contracts/events';

const QUESTION = 'Which sort is stable?\n\nOptions:\nA. heapsort\nB. quicksort\nC. merge sort\nD. selection sort';
const reference = (model: string, text: string): ReferenceOutcome => ({ model, ok: true, latencyMs: 10, usage: { promptTokens: 1, completionTokens: 1 }, text, reasoning: '' });
const candidate = (index: number, subset: string[], text: string): CandidateOutcome => ({ index, subset, draws: 1, ok: true, text, reasoning: '', similarity: 0.5, perplexity: null, total: 0.5 });

test('a referencer that is also the aggregator counts once among the agreeing, its aggregation adding no vote', () => {
  const arrived = [reference('alpha', 'Merge sort. The answer is (C).'), reference('beta', 'The answer is (C).'), reference('gamma', 'Heapsort is not; merge sort is. Answer: C')];
  const choice = chooseByAnswers({
    question: QUESTION,
    arrived,
    candidates: [candidate(0, ['alpha', 'beta'], 'Both say merge sort. The answer is (C).')],
    priors: arrived.map((r, i) => ({ model: r.model, prior: 3 - i, unprofiled: false })),
    aggregator: 'alpha',
  });
  assert.ok(choice);
  assert.equal(choice.agreement.answer, 'C');
  assert.equal(choice.agreement.agreeing, 3, 'alpha, beta and gamma');
  assert.equal(choice.agreement.of, 3);
});
