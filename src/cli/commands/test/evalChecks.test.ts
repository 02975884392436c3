/**
 * `smcs eval checks FILE.jsonl` as a user runs it: published statements (test/fixtures/statements/example-shapes.json)
 * with their reference solution and a wrong one, run through the real extraction and sandbox.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCliHere } from '../../../../test/fixtures/cliRun';
import { exampleShapes } from '../../../../test/fixtures/statements';
import type { ChecksEvalRow } from '../../../core/eval/checksEval';

const dir = mkdtempSync(path.join(tmpdir(), 'smcs-eval-checks-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const byId = new Map(exampleShapes().map((s) => [s.id, s]));
const fence = (code: string) => `\`\`\`python\n${code}\`\`\``;
const TRI_TESTS = JSON.stringify({ tests: [{ args: [0], expected: [1] }, { args: [4], expected: [1, 3, 2, 8, 3] }, { args: [5], expected: [1, 3, 2, 8, 3, 15] }, { args: [6], expected: [1, 3, 2, 8, 3, 15] }] });

test('per source and shape: questions with checks, checks, examples that could not be checked, right/wrong/ties, and what recorded tests did to a tie', async () => {
  const encrypt = byId.get('humaneval-89-encrypt');
  const starts = byId.get('humaneval-83-starts_one_ends');
  const tri = byId.get('humaneval-130-tri');
  assert.ok(encrypt && starts && tri);
  const rows = [
    // the wrong encrypt rotates by 2: its published examples tell the two apart
    { source: 'humaneval', question: encrypt.question, replies: [fence(encrypt.reference.replace('+ 4', '+ 2')), fence(encrypt.reference)], right: 1 },
    // no example at all
    { source: 'humaneval', question: starts.question, replies: [fence(starts.reference)], right: 0 },
    // tri's one example cannot tell a right reply from one that is wrong only beyond n = 3; the recorded tests can
    // (the last one expects what the wrong reply returns: dual agreement does not trust it)
    { source: 'humaneval', question: tri.question, replies: [fence(tri.reference), fence(tri.reference.replace('return seq', 'return seq if n < 4 else seq[:-1]'))], right: 0, tests: TRI_TESTS },
    { source: 'prose', question: 'Write `is_happy(s)`. is_happy(aa) => False, is_happy(abcd) => True.', replies: [fence('def is_happy(s):\n    return len(s) >= 3\n')] },
  ];
  const file = path.join(dir, 'rows.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const out = await runCliHere(['eval', 'checks', file, '--json']);
  assert.equal(out.code, 0, out.stderr);
  const report = JSON.parse(out.stdout) as ChecksEvalRow[];
  const row = (source: string, shape: string) => report.find((r) => r.source === source && r.shape === shape);
  assert.deepEqual(row('humaneval', 'all'), { source: 'humaneval', shape: 'all', questions: 3, withChecks: 2, checks: 5, unverifiableQuestions: 0, uncheckedExamples: 0, favouredRight: 1, favouredWrong: 0, ties: 1, tieBreaks: 1, brokeRight: 1, brokeWrong: 0, failedRight: 0 });
  assert.equal(row('humaneval', 'call')?.withChecks, 2);
  assert.equal(row('humaneval', 'none')?.questions, 1);
  assert.deepEqual(row('prose', 'all'), { source: 'prose', shape: 'all', questions: 1, withChecks: 0, checks: 0, unverifiableQuestions: 0, uncheckedExamples: 2, favouredRight: 0, favouredWrong: 0, ties: 0, tieBreaks: 0, brokeRight: 0, brokeWrong: 0, failedRight: 0 });
  const text = await runCliHere(['eval', 'checks', file]);
  assert.match(text.stdout, /^source\s+shape\s+questions\s+with checks/m);
  assert.match(text.stdout, /^humaneval\s+all\s+3\s+2 \(67%\)/m);
  assert.match(text.stdout, /tests run\s+broke right\s+wrong\s+failed right$/m);
});

test('a row that is not a question with replies is refused with its line and what is wrong', async () => {
  const file = path.join(dir, 'bad.jsonl');
  writeFileSync(file, `${JSON.stringify({ question: 'q', replies: ['a'] })}\n${JSON.stringify({ question: 'q', replies: ['a'], right: 3 })}\n`);
  const out = await runCliHere(['eval', 'checks', file]);
  assert.notEqual(out.code, 0);
  assert.match(out.stderr, /bad\.jsonl line 2: "right" must be the index of one of its 1 replies/);
});
