/**
 * `smcs eval context SET.jsonl --workspace DIR` as a user runs it, on the copy of rich in test/fixtures/workspaces with
 * its bug reports: what it counts as sent is what `smcs ask --workspace --json` reports sending, and a bad line is a
 * usage error naming it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCliHere } from '../../../../test/fixtures/cliRun';
import { tempDir } from '../../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';
import { REPO } from '../../../../test/fixtures/repo';
import type { ContextEvalReport } from '../../../core/eval/contextEval';

const RICH = path.join(REPO, 'test', 'fixtures', 'workspaces', 'rich');
const REPORTS = JSON.parse(readFileSync(path.join(REPO, 'test', 'fixtures', 'workspaces', 'rich-reports.json'), 'utf8')) as { report: string; fixed: string[] }[];
const PLAIN = ['What is the capital of Australia?', 'Explain big-O notation, e.g. for binary search.'];
const temp = tempDir('smcs-eval-context-');
const env = { SMCS_HOME: path.join(temp.dir, 'home') };
let server: LoopbackUpstream;
let configFile: string;
let setFile: string;

before(async () => {
  server = await startLoopbackUpstream({ models: ['m1', 'agg'].map((id) => ({ id })) });
  server.script('m1', { reply: 'Reply.' });
  server.script('agg', { reply: 'Combined.' });
  configFile = path.join(temp.dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: ['m1', 'agg'] }], embedding: { provider: 'lexical' }, aggregator: 'agg', bank: path.join(temp.dir, 'bank'), k: 1, n: 1 }));
  setFile = path.join(temp.dir, 'rich.jsonl');
  const rows = [...REPORTS.map((r) => ({ question: r.report, gold: r.fixed })), ...PLAIN.map((question) => ({ question, gold: [] }))];
  writeFileSync(setFile, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
});

after(async () => {
  await server.close();
  temp.cleanup();
});

test('the files it counts as sent are the files smcs ask --workspace sends, in the same order; recall and BM25 beside it', async () => {
  const run = await runCliHere(['--config', configFile, 'eval', 'context', setFile, '--workspace', RICH, '--json'], env);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout) as ContextEvalReport;
  assert.equal(report.questions, REPORTS.length);
  assert.equal(report.plain?.questions, PLAIN.length);
  assert.equal(report.rows.length, REPORTS.length + PLAIN.length);
  for (const r of report.rows.slice(0, REPORTS.length)) {
    const rank = r.files.findIndex((f) => r.gold.includes(f));
    assert.equal(r.rank, rank < 0 ? null : rank + 1);
  }
  const reached = report.rows.filter((r) => r.gold.length > 0 && r.rank !== null).length;
  assert.equal(report.reached, reached / REPORTS.length);
  // the plain BM25 over rich's code files has the fixed file in its top five for most of these reports
  assert.ok(report.baseline.at5 >= 0.5, JSON.stringify(report.baseline));
  assert.ok(report.tokens.median > 0 && report.tokens.p90 >= report.tokens.median);

  for (const i of [0, 3, REPORTS.length]) {
    const row = report.rows[i];
    assert.ok(row);
    const ask = await runCliHere(['--config', configFile, 'ask', row.question, '--workspace', RICH, '--json'], env);
    assert.equal(ask.code, 0, ask.stderr);
    const doc = JSON.parse(ask.stdout) as { context: { path: string; tokens: number; startLine: number; endLine: number }[]; contextNotes?: string[] };
    assert.deepEqual(row.files, [...new Set(doc.context.map((c) => c.path))], row.question);
    assert.deepEqual(row.items, doc.context.map((c) => `${c.path}:${c.startLine}-${c.endLine}`));
    assert.equal(row.decision, doc.contextNotes?.find((n) => /^(not )?searched: /.test(n)), 'the decision line the ask gives');
    assert.equal(row.tokens, doc.context.reduce((n, c) => n + c.tokens, 0));
  }

  const text = await runCliHere(['--config', configFile, 'eval', 'context', setFile, '--workspace', RICH], env);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^10 questions with gold files/m);
  assert.match(text.stdout, /^sent to the models\s+\d\.\d\d\s+\d\.\d\d\s+\d\.\d\d\s+\d\.\d\d\s+\d\.\d\d$/m);
  assert.match(text.stdout, /^BM25 over code files\s+\d\.\d\d/m);
  assert.match(text.stdout, /^2 plain questions \(0 carrying anything of the workspace\): the workspace made the request \d+\.\d\d× its size/m);
});

test('a line that is not a question with gold paths is refused with its line number (exit 2)', async () => {
  const bad = path.join(temp.dir, 'bad.jsonl');
  writeFileSync(bad, `${JSON.stringify({ question: 'Why?', gold: ['a.py'] })}\n${JSON.stringify({ question: 'Why not?', gold: 'a.py' })}\n`);
  const run = await runCliHere(['--config', configFile, 'eval', 'context', bad, '--workspace', RICH], env);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /bad\.jsonl line 2: "gold" must be a list of paths/);
  writeFileSync(bad, `${JSON.stringify({ question: 'Why?', gold: [], workspace: '../elsewhere' })}\n`);
  const outside = await runCliHere(['--config', configFile, 'eval', 'context', bad, '--workspace', RICH], env);
  assert.equal(outside.code, 2);
  assert.match(outside.stderr, /bad\.jsonl line 1: "workspace" must be a folder inside --workspace/);
  writeFileSync(bad, `${JSON.stringify({ question: 'Why?', gold: [], kind: 7 })}\n`);
  const kind = await runCliHere(['--config', configFile, 'eval', 'context', bad, '--workspace', RICH], env);
  assert.equal(kind.code, 2);
  assert.match(kind.stderr, /bad\.jsonl line 1: "kind" must be a word naming the kind of question/);
  writeFileSync(bad, `${JSON.stringify({ question: 'Why?', gold: ['a.py'], definitions: [{ path: 'b.py', startLine: 1, endLine: 2 }] })}\n`);
  const definition = await runCliHere(['--config', configFile, 'eval', 'context', bad, '--workspace', RICH], env);
  assert.equal(definition.code, 2);
  assert.match(definition.stderr, /bad\.jsonl line 1: each of "definitions" must name a file of "gold" and its lines/);
  const stage = await runCliHere(['--config', configFile, 'eval', 'context', bad, '--workspace', RICH, '--stages', 'lexical,vector'], env);
  assert.equal(stage.code, 2);
  assert.match(stage.stderr, /--stages: "vector" is not a retrieval stage \(lexical, vectors, symbols, graph, evidence\)/);
});

test('--stages: without the evidence stage every question searches; with it, one about other things sends nothing', async () => {
  const set = path.join(temp.dir, 'stages.jsonl');
  writeFileSync(set, `${JSON.stringify({ question: 'Which table style should I pick for my kitchen table, and what colour?', gold: [], kind: 'unrelated' })}\n`);
  const carried = async (stages: string): Promise<number> => {
    const run = await runCliHere(['--config', configFile, 'eval', 'context', set, '--workspace', RICH, '--stages', stages, '--json'], env);
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as { byKind: { unrelated: { carried: number } } }).byKind.unrelated.carried;
  };
  assert.equal(await carried('lexical,vectors,symbols,evidence'), 0);
  assert.equal(await carried('lexical,vectors,symbols'), 1, 'its words (table, style, colour) are in rich: searched, they find code');
});
