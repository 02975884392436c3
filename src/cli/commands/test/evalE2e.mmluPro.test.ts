/**
 * `smcs eval e2e` on seven real models' published MMLU-Pro replies, the held-out set
 * (test/fixtures/e2e/mmlu-pro-heldout.jsonl): options as final answers. Where routing's three models of similar strength
 * split, a reply whose working arrives at the value of the option it picks outweighs one that does not show it
 * (core/grading/derivedOption) — which is what puts the answer above the majority of the three.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { runCliHere } from '../../../../test/fixtures/cliRun';
import { REPO } from '../../../../test/fixtures/repo';

const SET = path.join(REPO, 'test/fixtures/e2e/mmlu-pro-heldout.jsonl');

interface Run { solved: number; top1: number; majorityK: number; bestSingle: { model: string; solved: number }; byWorking: { asks: number; solved: number; majorityK: number } }

test("options as final answers: the replies' working decides splits, and the answer is above the majority, top-1 and the best single model", async () => {
  const run = await runCliHere(['eval', 'e2e', SET, '--k', '3', '--n', '4', '--folds', '5', '--seeds', '0', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const [r] = (JSON.parse(run.stdout) as { runs: Run[] }).runs;
  assert.ok(r);
  assert.ok(r.byWorking.asks >= 3, `the working decided some asks (${r.byWorking.asks})`);
  assert.ok(r.byWorking.solved > r.byWorking.majorityK, `where it decided, the answer is right more often (${r.byWorking.solved}) than the majority (${r.byWorking.majorityK})`);
  assert.ok(r.solved > r.majorityK, `answer ${r.solved} above the majority of the three ${r.majorityK}`);
  assert.ok(r.solved >= r.top1 && r.solved >= r.bestSingle.solved, `answer ${r.solved}, top-1 ${r.top1}, best single ${r.bestSingle.solved}`);
});
