/**
 * Issue 15's acceptance scenario: two models' solutions to real-format LiveCodeBench problems, replayed by a loopback
 * OpenAI-compatible server as two referencers (test/fixtures/lcbReplay.ts), asked with `smcs ask --json` from a real
 * process. An independent judge (plain python3) first settles which solution passes the hidden tests and whether the
 * published examples tell the two apart; then, from the examples alone, the checks must favour the passing one
 * whenever they do, never the failing one, and report a tie otherwise (the score decides). A tie is asked again with
 * a bank on which the failing model has the higher prior (issue 62): whatever breaks the tie then, the checks favour
 * neither reply and are not named as what chose.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
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
/** A config per model whose bank favours it: every statement of the scenario labelled right for it, wrong for the other. */
const favouring = new Map<string, string>();

before(async () => {
  server = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
  replay(server, () => current);
  config = path.join(temp.dir, 'smcs.config.json');
  // The defaults a user starts with (K = 7 → both models, n = 8, aggregator auto), an empty bank.
  await writeFile(config, JSON.stringify({ endpoints: [{ id: 'replay', provider: 'vllm', baseUrl: server.baseUrl }], embedding: { provider: 'lexical' }, bank: path.join(temp.dir, 'bank') }));
  const statements = [...new Set(PROBLEMS.map((p) => p.statement))];
  for (const model of MODELS) {
    const dir = path.join(temp.dir, `favours-${model}`);
    const file = path.join(dir, 'smcs.config.json');
    const lines = statements.map((id) => JSON.stringify({ id, question: statementOf(PROBLEMS.find((p) => p.statement === id) ?? assert.fail()).question, answer: 'see the hidden tests', grader: 'exact', correct: Object.fromEntries(MODELS.map((m) => [m, m === model ? 1 : 0])) }));
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'questions.jsonl'), lines.join('\n'));
    await writeFile(file, JSON.stringify({ endpoints: [{ id: 'replay', provider: 'vllm', baseUrl: server.baseUrl }], embedding: { provider: 'lexical' }, bank: path.join(dir, 'bank') }));
    const imported = await runCli(['bank', 'import', path.join(dir, 'questions.jsonl'), '--config', file]);
    assert.equal(imported.code, 0, imported.stderr);
    favouring.set(model, file);
  }
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
      // The failing model now has the higher prior (and writes the aggregations): the checks still favour neither.
      const biased = await runCli(['ask', statementOf(problem).question, '--json', '--config', favouring.get(failing) ?? assert.fail()]);
      assert.equal(biased.code, 0, biased.stderr);
      const again = JSON.parse(biased.stdout) as AskDocument;
      const prior = (model: string): number => again.priors.find((p) => p.model === model)?.prior ?? assert.fail(`no prior for ${model}`);
      assert.ok(prior(failing) > prior(problem.passing), 'the bank favours the failing model');
      assert.equal(again.bestByChecks, null, `a tie favours no reply, whatever breaks it: ${JSON.stringify(again.bestByChecks)}`);
      assert.equal(again.checksTie, true);
      assert.notEqual(again.selectedBy, 'checks', 'what broke the tie is named, not the checks');
    }
  });
}

test('the scenario covers both outcomes and every site', () => {
  assert.ok(told >= 3 && tied >= 2, `told apart ${told}, tied ${tied}`);
  const sites = new Set(PROBLEMS.map((p) => p.statement.split('-')[0]));
  assert.deepEqual([...sites].sort(), ['atcoder', 'codeforces', 'leetcode']);
});
