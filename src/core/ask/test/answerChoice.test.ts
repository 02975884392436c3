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

test('of the replies holding the chosen answer, one in the form the question asks for is shown before a better-scored one that is not', () => {
  const asked = `${QUESTION}\n\nThink step by step, then finish with "The answer is (X)" where X is the letter of the correct option.`;
  const arrived = [reference('alpha', 'Merge sort keeps order.\n\nThe correct answer is: C. merge sort'), reference('beta', 'It is merge sort.\n\nThe answer is (C).'), reference('gamma', 'The answer is (A).')];
  const choose = (question: string, candidates: CandidateOutcome[]) =>
    chooseByAnswers({ question, arrived, candidates, priors: arrived.map((r, i) => ({ model: r.model, prior: 3 - i, unprofiled: false })), aggregator: 'alpha' });
  // Aggregations replayed as a reference's text: alpha's scores higher than beta's.
  const candidates = [{ ...candidate(0, ['alpha', 'gamma'], arrived[0]!.text), total: 0.9 }, { ...candidate(1, ['beta', 'gamma'], arrived[1]!.text), total: 0.4 }];
  assert.deepEqual(choose(asked, candidates)?.picks, [{ kind: 'candidate', index: 1 }]);
  assert.deepEqual(choose(QUESTION, candidates)?.picks, [{ kind: 'candidate', index: 0 }], 'a question that asks for no form: the score decides');
  // No candidate in the form: the referencer that wrote it is shown, the best candidate after it.
  assert.deepEqual(choose(asked, [candidates[0]!])?.picks, [{ kind: 'referencer', model: 'beta' }, { kind: 'candidate', index: 0 }]);
  assert.deepEqual(choose(QUESTION, [candidates[0]!])?.picks, [{ kind: 'candidate', index: 0 }]);
});
