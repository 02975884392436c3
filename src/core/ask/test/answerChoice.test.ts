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

test("a reply whose working arrives at its option's value outweighs top-1's bare letter, and the summary says so", () => {
  const cost =
    'A wholesaler sold merchandise for $1,288 at a loss of 8 percent of his original cost. Find the original cost.\n\nOptions:\nA. $1,350.00\nB. $1,400.00\nC. $1,250.00\nD. $1,600.00';
  const arrived = [
    reference('alpha', 'The answer is (A).'),
    reference('beta', 'The selling price is 92 % of the cost: 0.92x = 1288, so x = 1288 / 0.92 = 1400.\n\nThe answer is (B).'),
    reference('gamma', 'It sold at a loss, so the cost is higher: 1288 + 8 = 1296, and C is the closest.\n\nThe answer is (C).'),
  ];
  const choose = (texts: ReferenceOutcome[]) =>
    chooseByAnswers({ question: cost, arrived: texts, candidates: [], priors: texts.map((r, i) => ({ model: r.model, prior: 3 - i, unprofiled: false })), aggregator: 'alpha' });
  const choice = choose(arrived);
  assert.equal(choice?.agreement.answer, 'B', "without a bank every model weighs the same: beta's working decides");
  assert.equal(choice?.agreement.byWorking, true);
  assert.deepEqual(
    choice?.agreement.answers?.map((a) => [a.reply.kind === 'referencer' ? a.reply.model : a.reply.index, a.answer, a.worked === true]),
    [['alpha', 'A', false], ['beta', 'B', true], ['gamma', 'C', false]],
  );
  assert.deepEqual(choice?.picks, [{ kind: 'referencer', model: 'beta' }]);
  const thinking = choose([arrived[0]!, { ...reference('beta', 'The answer is (B).'), reasoning: '0.92x = 1288, so x = 1288 / 0.92 = 1400.' }, arrived[2]!]);
  assert.equal(thinking?.agreement.answer, 'B', "a reasoning model's thinking, streamed apart, is its working");
  assert.equal(thinking?.agreement.byWorking, true);
  const bare = choose([arrived[0]!, reference('beta', 'The answer is (B).'), arrived[2]!]);
  assert.equal(bare?.agreement.answer, 'A', 'no working shown: top-1 keeps a three-way tie');
  assert.equal(bare?.agreement.byWorking, undefined);
});
