import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as path from 'node:path';
import { LocalBank } from '..';
import type { BankChange } from '../bank';
import { clearFeedback, feedbackId, forgetFeedback, listFeedback, recordFeedback, removeFeedback } from '../feedback';
import { LexicalEmbedder } from '../../embed/lexical';
import { makeQuestions, tempDir } from '../../../test/fixtures/bankData';

const embedder = new LexicalEmbedder({ dimension: 64 });
const identity = { id: embedder.id, dimension: 64 };
const { dir: root, cleanup } = tempDir();
after(cleanup);
let n = 0;
const openNew = () => LocalBank.open(path.join(root, `case-${n++}`), { embedder: identity, create: true, write: true });

const refs = [
  { model: 'right', text: 'Compute it step by step. Answer: 12' },
  { model: 'wrong', text: 'Roughly: the answer is 13' },
  { model: 'vague', text: 'It depends on the input.' },
];

describe('feedback recorder', () => {
  it('adds the question as source feedback with the decided labels, and updates it when asked again', async () => {
    const bank = await openNew();
    try {
      await bank.add(makeQuestions(3, 64, 1, ['right']));
      const first = await recordFeedback(bank, embedder, { question: 'What is 3 * 4?', context: 'x = 3 * 4', references: refs, chosen: 'Multiply: Answer: 12', domain: 'math' });
      assert.equal(first.outcome, 'added');
      assert.equal(first.id, feedbackId('What is 3 * 4?\n\nx = 3 * 4'));
      assert.match(first.id, /^feedback-[0-9a-f]{16}$/);
      const stored = bank.get(first.id);
      assert.deepEqual(
        { source: stored?.source, grader: stored?.grader, domain: stored?.domain, correct: stored?.correct, question: stored?.question },
        { source: 'feedback', grader: 'none', domain: 'math', correct: { right: 1, wrong: 0, vague: 0 }, question: 'What is 3 * 4?\n\nx = 3 * 4' },
      );
      assert.equal(first.labels.find((l) => l.model === 'vague')?.basis, 'similarity');

      const again = await recordFeedback(bank, embedder, { question: 'What is 3 * 4?', context: 'x = 3 * 4', references: refs, chosen: 'Answer: 13' });
      assert.equal(again.outcome, 'updated');
      assert.deepEqual(bank.get(first.id)?.correct, { right: 0, wrong: 1, vague: 0 });
      assert.equal(bank.size, 4);
    } finally {
      await bank.close();
    }
  });

  it('a question the bank holds under another id is not added again: the choice fills only the labels it lacks, and forgetting puts it back', async () => {
    const bank = await openNew();
    try {
      const [imported] = makeQuestions(1, 64, 2);
      await bank.add([{ ...imported!, id: 'imported-1', question: 'What is 3 * 4?', correct: { wrong: 1 } }]);
      const result = await recordFeedback(bank, embedder, { question: 'What is 3 * 4?', references: refs, chosen: 'Multiply: Answer: 12' });
      assert.equal(result.outcome, 'updated');
      assert.equal(result.id, 'imported-1');
      assert.equal(bank.size, 1);
      assert.deepEqual(bank.get('imported-1')?.correct, { wrong: 1, right: 1, vague: 0 }, 'the label it had stays; the others are filled');
      await forgetFeedback(bank, result);
      assert.deepEqual(bank.get('imported-1')?.correct, { wrong: 1 });
      assert.equal(bank.size, 1);
      // A question whose labels already cover every model the choice could label: nothing written, and it says why.
      await bank.add([{ ...imported!, id: 'imported-2', question: 'What is 5 * 4?', correct: { wrong: 1, right: 1, vague: 1 } }]);
      const held = await recordFeedback(bank, embedder, { question: 'What is 5 * 4?', references: refs, chosen: 'Multiply: Answer: 20' });
      assert.deepEqual([held.outcome, held.skipped], ['skipped', 'held']);
      assert.deepEqual(bank.get('imported-2')?.correct, { wrong: 1, right: 1, vague: 1 });
    } finally {
      await bank.close();
    }
  });

  it('labels references by their code run on the question examples (model-written tests never), and writes with the choice origin', async () => {
    const bank = await openNew();
    const commits: BankChange[] = [];
    const recording = new Proxy(bank, {
      get(target, key) {
        if (key === 'commit') return (change: BankChange) => (commits.push(change), target.commit(change));
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const checks = (passed: number, total: number, source: 'question' | 'model' = 'question') => ({ total, passed, failed: total - passed, errored: 0, timedOut: 0, source });
    const chosen = 'Read n and print twice n:\n\n```python\nprint(int(input()) * 2)\n```';
    try {
      const result = await recordFeedback(
        recording,
        embedder,
        {
          question: 'Sample Input 1\n3\nSample Output 1\n6',
          references: [
            { model: 'passes', text: '```js\nconsole.log(2 * Number(require("fs").readFileSync(0, "utf8")))\n```', checks: checks(1, 1) },
            { model: 'fails', text: chosen, checks: checks(0, 1) },
            { model: 'model-tested', text: 'It depends on the input.', checks: checks(4, 4, 'model') },
          ],
          chosen,
        },
        { user: 'ada' },
      );
      assert.equal(result.outcome, 'added');
      assert.deepEqual(bank.get(result.id)?.correct, { passes: 1, fails: 0, 'model-tested': 0 });
      assert.deepEqual(result.labels.map((l) => l.basis), ['code', 'code', 'similarity']);
      assert.deepEqual(commits.map((c) => c.origin), [{ user: 'ada', via: 'choice' }]);
      await recordFeedback(recording, embedder, { question: 'Sample Input 1\n3\nSample Output 1\n6', references: [{ model: 'fails', text: chosen, checks: checks(1, 1) }], chosen });
      assert.equal(commits.at(-1)?.origin?.via, 'choice');
      assert.ok((commits.at(-1)?.origin?.user ?? '') !== '', 'the OS user by default');
    } finally {
      await bank.close();
    }
  });

  it('learns a follow-up with the questions that make it one, never as a question of its own', async () => {
    const bank = await openNew();
    try {
      const first = 'Which sort is stable? (A) heapsort (B) quicksort (C) merge sort (D) selection sort';
      const result = await recordFeedback(bank, embedder, { question: 'Why not D? Explain in two sentences.', earlier: [first], references: refs, chosen: 'Selection sort swaps far apart. Answer: 12' });
      assert.equal(result.outcome, 'added');
      const stored = bank.get(result.id)?.question;
      assert.equal(stored, `${first}\n\nFollow-up: Why not D? Explain in two sentences.`);
      assert.notEqual(result.id, feedbackId('Why not D? Explain in two sentences.'), 'the follow-up alone is not what is stored');
    } finally {
      await bank.close();
    }
  });

  it('skips a choice where no reference could be labelled, and refuses an empty chosen reply', async () => {
    const bank = await openNew();
    try {
      const result = await recordFeedback(bank, embedder, { question: 'Why?', references: [], chosen: 'Because.' });
      assert.equal(result.outcome, 'skipped');
      assert.equal(result.skipped, 'uncertain');
      assert.equal(bank.size, 0);
      await assert.rejects(recordFeedback(bank, embedder, { question: 'Why?', references: refs, chosen: '  ' }), /chosen reply/);
    } finally {
      await bank.close();
    }
  });

  it('forgets one choice: an added question leaves, an updated one gets back its earlier labels (none for a model new to it)', async () => {
    const bank = await openNew();
    try {
      await bank.add(makeQuestions(2, 64, 3, ['right']));
      const question = { question: 'What is 3 * 4?', references: refs };
      const added = await recordFeedback(bank, embedder, { ...question, chosen: 'Answer: 12' });
      await forgetFeedback(bank, added);
      assert.equal(bank.get(added.id), undefined, 'the added question left the bank');
      assert.equal(bank.size, 2);

      const first = await recordFeedback(bank, embedder, { ...question, chosen: 'Answer: 12' });
      const before = (await bank.lookup([first.id], { embedding: true })).get(first.id);
      const late = [...refs, { model: 'late', text: 'The answer is 13' }];
      const updated = await recordFeedback(bank, embedder, { ...question, references: late, chosen: 'Answer: 13' });
      assert.equal(updated.outcome, 'updated');
      assert.deepEqual(bank.get(first.id)?.correct, { right: 0, wrong: 1, vague: 0, late: 1 });
      await forgetFeedback(bank, updated);
      const after = (await bank.lookup([first.id], { embedding: true })).get(first.id);
      assert.deepEqual(after?.correct, { right: 1, wrong: 0, vague: 0 }, 'the labels of the first choice, none for late');
      assert.deepEqual({ ...after, embedding: after?.embedding?.map((x) => x.toFixed(6)) }, { ...before, embedding: before?.embedding?.map((x) => x.toFixed(6)) }, 'the question as it was');
      assert.equal(bank.size, 3);
      await forgetFeedback(bank, await recordFeedback(bank, embedder, { question: 'Why?', references: [], chosen: 'Because.' }));
      assert.equal(bank.size, 3, 'a skipped choice wrote nothing, so forgetting it writes nothing');
    } finally {
      await bank.close();
    }
  });

  it('lists, removes and clears only feedback questions', async () => {
    const bank = await openNew();
    try {
      await bank.add(makeQuestions(2, 64, 2, ['right']));
      const a = await recordFeedback(bank, embedder, { question: 'Q one?', references: refs, chosen: 'Answer: 12' });
      const b = await recordFeedback(bank, embedder, { question: 'Q two?', references: refs, chosen: 'Answer: 12' });
      assert.deepEqual((await listFeedback(bank)).map((r) => r.id), [a.id, b.id]);
      await assert.rejects(removeFeedback(bank, ['q-0']), /not feedback/);
      await assert.rejects(removeFeedback(bank, [a.id, 'nope']), /no question with id "nope"/);
      assert.equal(bank.size, 4);
      await removeFeedback(bank, [a.id]);
      assert.deepEqual((await listFeedback(bank)).map((r) => r.id), [b.id]);
      assert.equal(await clearFeedback(bank), 1);
      assert.equal(bank.size, 2);
      assert.deepEqual(await listFeedback(bank), []);
    } finally {
      await bank.close();
    }
  });
});
