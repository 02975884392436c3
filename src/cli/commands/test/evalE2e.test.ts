/**
 * `smcs eval e2e` as a user runs it (real process, real sandbox) on real models' HumanEval replies from the published set
 * in test/fixtures/e2e: six tasks where Qwen2.5-Coder 32B is right and Falcon-40B wrong and failing the doctest
 * examples. With one subset draw of one reference, an ask whose draw holds only Falcon's reply has a wrong candidate;
 * the checks run on the references too, so the answer is Qwen's reply on every question at every seed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../../../../test/fixtures/cliRun';
import { tempDir } from '../../../../test/fixtures/bankData';
import { REPO } from '../../../../test/fixtures/repo';

const temp = tempDir('smcs-eval-e2e-');
after(() => temp.cleanup());

const MODELS = ['qwen2.5-coder:32b', 'falcon-40b-instruct'];
const TASKS = ['HumanEval/1', 'HumanEval/3', 'HumanEval/5', 'HumanEval/6', 'HumanEval/10', 'HumanEval/11'];

interface Row { id: string; question: string; replies: Record<string, string>; correct: Record<string, number> }
interface Run { seed: number; n: number; solved: number; bestSingle: { model: string; solved: number }; fromReferences: number; outcomes: { id: string; solved: boolean; answerFrom: string; selectedBy: string }[] }

async function set(): Promise<string> {
  const rows = readFileSync(path.join(REPO, 'test/fixtures/e2e/humaneval-replay.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
  const picked = TASKS.map((id) => rows.find((r) => r.id === id) as Row).map((r) => ({
    id: r.id,
    question: r.question,
    replies: Object.fromEntries(MODELS.map((m) => [m, r.replies[m]])),
    correct: Object.fromEntries(MODELS.map((m) => [m, r.correct[m]])),
  }));
  const file = path.join(temp.dir, 'set.jsonl');
  await writeFile(file, picked.map((r) => JSON.stringify(r)).join('\n'));
  return file;
}

test('the answer is the reply that passes the examples, a reference when the drawn aggregation fails them', async () => {
  const run = await runCli(['eval', 'e2e', await set(), '--k', '2', '--n', '1', '--seeds', '0,1,2,3,4', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const doc = JSON.parse(run.stdout) as { runs: Run[] };
  assert.equal(doc.runs.length, 5);
  for (const r of doc.runs) {
    assert.equal(r.n, 6);
    assert.deepEqual(r.bestSingle, { model: 'qwen2.5-coder:32b', solved: 6 });
    assert.equal(r.solved, 6, `seed ${r.seed}: ${JSON.stringify(r.outcomes.filter((o) => !o.solved))}`);
  }
  const fromReferences = doc.runs.reduce((sum, r) => sum + r.fromReferences, 0);
  assert.ok(fromReferences > 0, 'some draws held only the failing reply: the reference answered over the aggregation');
  assert.ok(doc.runs.flatMap((r) => r.outcomes).filter((o) => o.answerFrom === 'reference').every((o) => o.selectedBy === 'checks'));
});

test('a line that is not a task is refused with exit 2, naming the line', async () => {
  const file = path.join(temp.dir, 'bad.jsonl');
  await writeFile(file, '{"id": "a", "question": "q", "replies": {"m": "r"}, "correct": {"m": 1}}\n{"id": "b", "question": "q", "replies": {"m": "r"}, "correct": {"m": 2}}\n');
  const run = await runCli(['eval', 'e2e', file]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /bad\.jsonl line 2: "correct" must give 0 or 1 for every model/);
});
