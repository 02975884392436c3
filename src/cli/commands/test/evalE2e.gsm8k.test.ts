/**
 * `smcs eval e2e` on three real models' published GSM8K replies (test/fixtures/e2e/gsm8k-replay.jsonl): numbers as
 * final answers, one strong model (gpt-4o-mini) and two weaker ones. Where the two weaker agree on a number the strong
 * one does not state, the bank says the strong one is right more often (on these questions, 18 times to their 10), so
 * the answer stays the strong model's — which is what puts the answer above the majority of the three.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCliHere } from '../../../../test/fixtures/cliRun';
import { REPO } from '../../../../test/fixtures/repo';
import { compareFinalAnswers, finalAnswer } from '../../../core/grading/finalAnswer';

const SET = path.join(REPO, 'test/fixtures/e2e/gsm8k-replay.jsonl');
const STRONG = 'gpt-4o-mini-2024-07-18';
const WEAKER = ['gpt-3.5-turbo', 'text-davinci-003'];

interface Row { id: string; question: string; replies: Record<string, string> }
interface Run { solved: number; top1: number; majorityK: number; bestSingle: { model: string; solved: number }; outcomes: { id: string; solved: boolean; top1: boolean }[] }

/** The questions where both weaker models state one number and the strong model states another. */
function outvotedByThePair(): string[] {
  const rows = readFileSync(SET, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
  return rows.flatMap((r) => {
    const [strong, a, b] = [STRONG, ...WEAKER].map((m) => finalAnswer(r.replies[m] ?? '', r.question));
    if (!strong || !a || !b) return [];
    return compareFinalAnswers(a, b) === 1 && compareFinalAnswers(a, strong) === 0 ? [r.id] : [];
  });
}

test('numbers as final answers: two weaker models that agree do not overrule the strong one, and the answer is above the majority', async () => {
  const run = await runCliHere(['eval', 'e2e', SET, '--k', '3', '--n', '4', '--folds', '5', '--seeds', '0', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const [r] = (JSON.parse(run.stdout) as { runs: Run[] }).runs;
  assert.ok(r);
  assert.equal(r.bestSingle.model, STRONG);
  const pairs = outvotedByThePair();
  assert.ok(pairs.length >= 3, `the set has questions where the pair outvotes the strong model (${pairs.length})`);
  for (const id of pairs) {
    const outcome: Run['outcomes'][number] | undefined = r.outcomes.find((o) => o.id === id);
    assert.ok(outcome, id);
    assert.equal(outcome.solved, outcome.top1, `${id}: the answer is the strong model's (top-1)`);
  }
  assert.ok(r.solved > r.majorityK, `answer ${r.solved} above the majority of the three ${r.majorityK}`);
});
