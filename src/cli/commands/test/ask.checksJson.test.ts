/**
 * `smcs ask --json` for code questions (issue 15 item 5), as a user runs it: a real process, the openai SDK, a loopback
 * server, the real sandbox. Every referencer and candidate carries `checks`; the result says how the answer was chosen,
 * which reply the checks favour (a referencer's own reply answers when it ranks above every candidate), and when they
 * could not tell the replies apart.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../../../test/fixtures/cliRun';
import { tempDir } from '../../../../test/fixtures/bankData';
import { REPO } from '../../../../test/fixtures/repo';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../../../../test/fixtures/loopbackUpstream';
import type { AskDocument } from '../../askDocument';

const temp = tempDir('smcs-cli-checks-');
let server: LoopbackUpstream;
const statements = JSON.parse(readFileSync(path.join(REPO, 'test/fixtures/statements/real-statements.json'), 'utf8')) as { id: string; question: string }[];
const statement = (id: string): string => statements.find((s) => s.id === id)?.question ?? assert.fail(id);
/** Codeforces 1873A as LiveCodeBench publishes it: one sample of six cases, answers in any case. */
const SHORT_SORT = statement('codeforces-1873a-lcb');

const RIGHT = '```python\nt = int(input())\nfor _ in range(t):\n    s = input().strip()\n    print("yes" if sum(a != b for a, b in zip(s, "abc")) in (0, 2) else "no")\n```';
const WRONG = 'Only a sorted row works:\n\n```python\nfor _ in range(int(input())):\n    print("YES" if input().strip() == "abc" else "NO")\n```';

/** Passes the sample (six cases) but answers at most six cases: a hard-coded sample size. */
const FIRST_SIX = '```python\nt = int(input())\nfor _ in range(min(t, 6)):\n    s = input().strip()\n    print("YES" if sum(a != b for a, b in zip(s, "abc")) in (0, 2) else "NO")\n```';
/** A test writer's reply: seven cases (the edge the sample misses), one case, and one with a wrong expectation. */
const EDGE_TESTS = JSON.stringify({
  tests: [
    { input: '7\nabc\nacb\nbac\nbca\ncab\ncba\nabc\n', output: 'YES\nYES\nYES\nNO\nNO\nYES\nYES\n' },
    { input: '1\nbca\n', output: 'NO\n' },
    { input: '2\ncab\nabc\n', output: 'YES\nYES\n' },
  ],
});

/** The aggregator answers with the code of the first reference it was given (so candidates differ by subset). */
const echoFirstReference = (request: RecordedRequest): string => {
  const system = (request.body.messages as { role: string; content: string }[]).find((m) => m.role === 'system')?.content ?? '';
  return /```python\n[\s\S]*?```/.exec(system.slice(system.indexOf('1. ')))?.[0] ?? 'no code';
};

before(async () => {
  server = await startLoopbackUpstream({ models: ['right', 'wrong', 'also-right', 'first-six', 'down', 'prose-agg', 'echo-agg', 'tests-agg', 'wrong-agg'].map((id) => ({ id })) });
  server.script('wrong-agg', { reply: WRONG });
  server.script('first-six', { reply: FIRST_SIX });
  server.script('tests-agg', { reply: (request) => (JSON.stringify(request.body.messages).includes('small tests') ? EDGE_TESTS : 'No code here: both replies look right.') });
  server.script('right', { reply: RIGHT });
  server.script('also-right', { reply: RIGHT.replace('"yes"', '"YES"') });
  server.script('wrong', { reply: WRONG });
  server.script('down', { fail: { status: 400, message: 'model is not loaded' } });
  server.script('prose-agg', { reply: 'Both replies agree: count the mismatches with "abc".' });
  server.script('echo-agg', { reply: echoFirstReference });
});

after(async () => {
  await server.close();
  temp.cleanup();
});

async function ask(question: string, models: string[], aggregator: string, extra: Record<string, unknown> = {}): Promise<AskDocument> {
  const file = path.join(temp.dir, `config-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(
    file,
    JSON.stringify({ endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: [...models, aggregator] }], embedding: { provider: 'lexical' }, aggregator, bank: path.join(temp.dir, 'bank'), k: models.length, maxTokens: 512, ...extra }),
  );
  const run = await runCli(['--config', file, 'ask', question, '--json']);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as AskDocument;
}

const counts = (passed: number, failed: number) => ({ total: 1, passed, failed, errored: 0, timedOut: 0, source: 'question' });

test('every referencer and candidate gets checks; a reply without code or a failed one counts none passed and says why', async () => {
  // Eight draws over the two replies that arrive give both subsets unless all eight agree (1 in 128).
  const doc = await ask(SHORT_SORT, ['right', 'wrong', 'down'], 'prose-agg', { n: 8, kDrop: 1 });
  const byModel = new Map(doc.referencers.map((r) => [r.model, r.checks]));
  assert.deepEqual(byModel.get('right'), counts(1, 0), 'lowercase "yes" passes: the statement accepts any case');
  assert.deepEqual(byModel.get('wrong'), counts(0, 1));
  assert.deepEqual(byModel.get('down'), { ...counts(0, 0), notRun: 'the reply failed' });
  assert.equal(doc.candidates.length, 2);
  for (const c of doc.candidates) assert.deepEqual(c.checks, { ...counts(0, 0), notRun: 'no code the checks could run' });
  assert.equal(doc.selectedBy, 'checks', 'the only reply that passes answers: a reference, since no aggregation has code');
  assert.deepEqual(doc.bestByChecks, { kind: 'referencer', model: 'right', passed: 1, total: 1 });
  assert.equal(doc.checksReference, 'right');
  assert.equal(doc.checksTie, false);
});

test('a referencer passes and every aggregation fails: the answer is its reply, in --json (checksReference) and in text', async () => {
  const doc = await ask(SHORT_SORT, ['right', 'wrong'], 'wrong-agg', { n: 4, kDrop: 1 });
  assert.ok(doc.candidates.length > 0 && doc.candidates.every((c) => c.ok && c.checks?.passed === 0), 'every aggregation wrote the wrong program');
  assert.equal(doc.checksReference, 'right');
  assert.equal(doc.answer, RIGHT);
  assert.equal(doc.selectedBy, 'checks');
  assert.ok(doc.winner >= 0, 'the winner stays the best candidate');
  assert.deepEqual(doc.bestByChecks, { kind: 'referencer', model: 'right', passed: 1, total: 1 });
  const file = path.join(temp.dir, 'reference.json');
  await writeFile(file, JSON.stringify({ endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: ['right', 'wrong', 'wrong-agg'] }], embedding: { provider: 'lexical' }, aggregator: 'wrong-agg', bank: path.join(temp.dir, 'bank'), k: 2, n: 4 }));
  const text = await runCli(['--config', file, 'ask', SHORT_SORT]);
  assert.equal(text.code, 0, text.stderr);
  const [header, ...rest] = text.stdout.split('\n');
  assert.equal(header, "answer: right's reply: the checks rank it above every candidate · passes 1/1 example");
  assert.ok(rest.join('\n').startsWith(RIGHT), 'the answer printed is the reference’s reply');
  assert.match(text.stdout, /^right\s.*1\/1 example\s+ok {2}← answer$/m);
  assert.match(text.stdout, /← best candidate$/m);
  assert.doesNotMatch(text.stdout, /← winner|\(bestByChecks\)/);
  assert.match(text.stdout, /checks: 1 from the question; answer: right's reply — passes 1\/1 example; the aggregations pass at most 0/);
});

test('candidates the checks tell apart: the winner passes, selectedBy "checks", bestByChecks names it', async () => {
  const doc = await ask(SHORT_SORT, ['right', 'wrong'], 'echo-agg', { n: 6, kDrop: 1, seed: 3 });
  const passing = doc.candidates.filter((c) => c.checks?.passed === 1).map((c) => c.index);
  assert.ok(passing.length > 0 && passing.length < doc.candidates.length, `the subsets differ: ${JSON.stringify(doc.candidates.map((c) => c.subset))}`);
  for (const c of doc.candidates) assert.equal(c.checks?.passed, c.subset[0] === 'right' ? 1 : 0, `candidate ${c.index} from ${c.subset.join(', ')}`);
  assert.ok(passing.includes(doc.winner));
  assert.equal(doc.selectedBy, 'checks');
  assert.deepEqual(doc.bestByChecks, { kind: 'candidate', index: doc.winner, passed: 1, total: 1 });
  assert.equal(doc.checksTie, false);
});

test('replies the examples cannot tell apart are a tie: checksTie, no reply favoured, the score decides (also in text)', async () => {
  // The aggregator copies the first reference's code: every reference and candidate passes the sample.
  const doc = await ask(SHORT_SORT, ['right', 'also-right'], 'echo-agg', { n: 1, kDrop: 1 });
  assert.deepEqual([...doc.referencers, ...doc.candidates].map((r) => r.checks?.passed), [1, 1, 1]);
  assert.equal(doc.bestByChecks, null);
  assert.equal(doc.selectedBy, 'score');
  assert.equal(doc.checksReference, undefined);
  assert.equal(doc.checksTie, true);
  const file = path.join(temp.dir, 'tie.json');
  await writeFile(file, JSON.stringify({ endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: ['right', 'also-right', 'echo-agg'] }], embedding: { provider: 'lexical' }, aggregator: 'echo-agg', bank: path.join(temp.dir, 'bank'), k: 2, n: 1 }));
  const text = await runCli(['--config', file, 'ask', SHORT_SORT]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^answer: candidate 1 of 1: tied on the checks \(1\/1 each\) with also-right's reply; chosen by the hybrid score$/m);
  assert.match(text.stdout, /^checks: 1 from the question; tied on the checks \(1\/1 each\) with also-right's reply; chosen by the hybrid score$/m);
  assert.match(text.stdout, /← winner$/m);
});

test('replies the sample cannot tell apart get model-written tests: the trusted ones separate them, with the loopback server as the test writer', async () => {
  const doc = await ask(SHORT_SORT, ['first-six', 'right'], 'tests-agg', { n: 1, kDrop: 1 });
  assert.equal(server.requests.filter((r) => r.body.model === 'tests-agg' && JSON.stringify(r.body.messages).includes('cannot tell a right one from a subtly wrong one')).length, 1);
  assert.deepEqual(doc.referencers.map((r) => r.checks?.passed), [1, 1], 'the sample passes both');
  const tieBreak = doc.checkSet?.tieBreak;
  assert.equal(doc.checkSet?.source, 'question');
  assert.equal(tieBreak?.checks.length, 3);
  assert.deepEqual(tieBreak?.trusted, [0, 1], 'the third test expects the wrong answer for cab: both programs fail it, so no consensus set trusts it');
  const byModel = new Map(doc.referencers.map((r) => [r.model, r.checks?.tieBreak]));
  assert.deepEqual(byModel.get('right'), { passed: 2, trusted: 2 });
  assert.deepEqual(byModel.get('first-six'), { passed: 1, trusted: 2 });
  assert.equal(doc.bestByChecks, null, 'the sample ties the two: it favours neither');
  assert.equal(doc.selectedBy, 'tests');
  assert.deepEqual(doc.answeredBy.reply, { kind: 'referencer', model: 'right' });
  const file = path.join(temp.dir, 'tie-break.json');
  await writeFile(file, JSON.stringify({ endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: ['first-six', 'right', 'tests-agg'] }], embedding: { provider: 'lexical' }, aggregator: 'tests-agg', bank: path.join(temp.dir, 'bank'), k: 2, n: 1 }));
  const text = await runCli(['--config', file, 'ask', SHORT_SORT]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^answer: right's reply: tied on the checks \(1\/1 each\) with first-six's reply; chosen by the tie-breaking tests \(model-written\)$/m);
  assert.match(text.stdout, /^checks: 1 from the question; tied on the checks \(1\/1 each\) with first-six's reply; chosen by the tie-breaking tests \(model-written\) — right's reply passes 2\/2 tie-breaking tests/m);
  assert.match(text.stdout, /the examples tied: 3 model-written tests were asked for, 2 trusted by dual agreement/);
});

test('an unverifiable question: every reply says why nothing ran; a question that is not code has no checks at all', async () => {
  const any = await ask(statement('codeforces-1979c-luogu-any'), ['right'], 'prose-agg', { n: 1 });
  const reason = any.checkSet?.unverifiable;
  assert.ok(reason !== undefined);
  for (const r of [...any.referencers, ...any.candidates]) assert.deepEqual(r.checks, { total: 0, passed: 0, failed: 0, errored: 0, timedOut: 0, source: 'question', notRun: reason });
  assert.equal(any.checksTie, false);
  const prose = await ask('Why does my borrow checker complain about a mutable borrow inside a loop?', ['right'], 'prose-agg', { n: 1 });
  assert.equal(prose.checkSet, undefined);
  assert.equal('checksTie' in prose, false);
  assert.ok([...prose.referencers, ...prose.candidates].every((r) => r.checks === undefined));
  assert.equal(prose.selectedBy, 'score');
});
