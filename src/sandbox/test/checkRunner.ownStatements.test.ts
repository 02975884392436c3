/**
 * No false failures by construction (issue 26): every published reference solution in the fixtures passes every check
 * extracted from its own statement — the new example shapes (test/fixtures/statements/example-shapes.json) and the
 * LiveCodeBench problems the acceptance replays (their passing solutions, as the models wrote them) — through the
 * real extraction, the real targets and the real sandbox.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractChecks } from '../../core/checks/extraction';
import { checksForReply } from '../../core/checks/targets';
import type { QuestionChecks } from '../../core/contracts/checks';
import { exampleShapes } from '../../../test/fixtures/statements';
import { PROBLEMS, replyOf, statementOf } from '../../../test/fixtures/lcbReplay';
import { createCheckRunner } from '../checkRunner';

const runner = createCheckRunner({ timeoutMs: 10_000 });

/** The runs of a reply on the checks of its question that did not pass, described; [] when all passed. */
async function notPassed(question: QuestionChecks, reply: string): Promise<string[]> {
  const own = checksForReply(question, reply);
  assert.ok(own !== null, 'the reply defines what the checks call');
  const runs = await runner.run(reply, own, new AbortController().signal);
  assert.ok(runs !== null, 'the reply has code the checks can run');
  return runs.filter((r) => r.status !== 'passed').map((r) => `${own.checks[r.check]?.label ?? r.check}: ${r.status} ${r.actual ?? ''} ${r.error ?? ''}`);
}

const FENCE = { python: 'python', javascript: 'js', typescript: 'ts' } as const;

for (const f of exampleShapes().filter((s) => s.expect.checks.length > 0)) {
  test(`${f.id}: the reference passes every check of its own statement`, async () => {
    const question = extractChecks(f.question, f.context);
    const failing = await notPassed(question, `\`\`\`${FENCE[f.language]}\n${f.reference}\`\`\``);
    if (f.examplesHold === false) assert.ok(failing.length > 0, `${f.id}: ${f.why ?? ''}`);
    else assert.deepEqual(failing, [], f.source);
  });
}

for (const problem of PROBLEMS) {
  const statement = statementOf(problem);
  test(`${statement.id}: the passing LiveCodeBench solution passes every check of its statement`, async () => {
    const question = extractChecks(statement.question);
    assert.ok(question.checks.length > 0, `${statement.id}: its statement's examples were read as checks`);
    assert.deepEqual(await notPassed(question, replyOf(problem, problem.passing)), []);
  });
}
