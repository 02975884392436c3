/**
 * Issue 15's acceptance scenario: two models' solutions to real-format LiveCodeBench problems, replayed by a loopback
 * OpenAI-compatible server as two referencers (test/fixtures/lcbReplay.ts), asked with `smcs ask --json` from a real
 * process. An independent judge (plain python3) first settles which solution passes the hidden tests and whether the
 * published examples tell the two apart; then, from the examples alone, the checks must favour the passing one
 * whenever they do, never the failing one, and report a tie otherwise (the score decides).
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../../../test/fixtures/cliRun';
import { tempDir } from '../../../../test/fixtures/bankData';
import { examplesOf, judge, MODELS, PROBLEMS, replay, statementOf, type ReplayProblem } from '../../../../test/fixtures/lcbReplay';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';
import type { AskDocument } from '../../askDocument';

const temp = tempDir('smcs-cli-acceptance-');
let server: LoopbackUpstream;
let current: ReplayProblem | undefined;
let config: string;

before(async () => {
  server = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
  replay(server, () => current);
  config = path.join(temp.dir, 'smcs.config.json');
  // The defaults a user starts with (K = 7 → both models, n = 8, aggregator auto), an empty bank.
  await writeFile(config, JSON.stringify({ endpoints: [{ id: 'replay', provider: 'vllm', baseUrl: server.baseUrl }], embedding: { provider: 'lexical' }, bank: path.join(temp.dir, 'bank') }));
});

after(async () => {
  await server.close();
  temp.cleanup();
});

const passedBy = (doc: AskDocument, model: string): number => doc.referencers.find((r) => r.model === model)?.checks?.passed ?? assert.fail(`no checks for ${model}`);

let told = 0;
let tied = 0;

for (const problem of PROBLEMS) {
  const failing = MODELS.find((m) => m !== problem.passing) ?? assert.fail();
  test(`${problem.statement}: ${problem.passing} passes the hidden tests, ${failing} does not`, async () => {
    // The fixture's truth, from the independent judge.
    assert.ok(judge(problem, problem.code[problem.passing], problem.hidden).every(Boolean), 'the passing solution passes every hidden test');
    assert.ok(!judge(problem, problem.code[failing], problem.hidden).every(Boolean), 'the failing solution fails a hidden test');
    const examples = examplesOf(problem);
    const examplesTell = judge(problem, problem.code[failing], examples).some((ok, i) => ok !== judge(problem, problem.code[problem.passing], examples)[i]);

    current = problem;
    const run = await runCli(['ask', statementOf(problem).question, '--json', '--config', config]);
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as AskDocument;
    assert.equal(doc.checkSet?.source, 'question');
    assert.equal(doc.checkSet.checks.length, examples.length, 'every published example is a check');
    const favoured = doc.bestByChecks;
    assert.ok(!(favoured?.kind === 'referencer' && favoured.model === failing), `never the failing one: ${JSON.stringify(favoured)}`);
    if (examplesTell) {
      told++;
      assert.ok(passedBy(doc, problem.passing) > passedBy(doc, failing), 'the passing solution passes more examples');
      assert.equal(passedBy(doc, problem.passing), examples.length);
      assert.equal(doc.checksTie, false);
      // The favoured reply is the passing referencer's, or a candidate passing every example as it does.
      if (favoured?.kind === 'referencer') assert.equal(favoured.model, problem.passing);
      else assert.deepEqual(favoured && { passed: favoured.passed, total: favoured.total }, { passed: examples.length, total: examples.length });
    } else {
      tied++;
      assert.equal(passedBy(doc, problem.passing), passedBy(doc, failing));
      assert.equal(favoured, null, 'a tie favours no reply');
      assert.equal(doc.checksTie, true);
      assert.equal(doc.selectedBy, 'score', 'the score decides');
    }
  });
}

test('the scenario covers both outcomes and every site', () => {
  assert.ok(told >= 3 && tied >= 2, `told apart ${told}, tied ${tied}`);
  const sites = new Set(PROBLEMS.map((p) => p.statement.split('-')[0]));
  assert.deepEqual([...sites].sort(), ['atcoder', 'codeforces', 'leetcode']);
});
