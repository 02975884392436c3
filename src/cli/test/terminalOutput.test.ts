/**
 * Text a command prints for a person quotes what others wrote — model replies, model names and questions from imported
 * files — and none of it may drive the terminal: no escape sequence (CSI, OSC, DCS), BEL or other C0/C1 control
 * character reaches stdout or stderr, only tab and line breaks. `--json` keeps every string exactly as it came (JSON
 * escapes the control characters itself).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCliHere } from '../../../test/fixtures/cliRun';
import { tempDir } from '../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';

/** OSC 52 (writes the clipboard), OSC 0 (the window title), CSI colours and a cursor move, BEL, a bare CR, a C1 CSI, NUL. */
const HOSTILE = '\u001b]52;c;cm0gLXJmIH4=\u0007\u001b]0;owned\u0007\u001b[31mred\u001b[0m\u001b[2A\rback\u009b2J\u0000\u0085';
// eslint-disable-next-line no-control-regex -- the test looks for control characters
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/;

const temp = tempDir('smcs-terminal-');
const env = { SMCS_HOME: path.join(temp.dir, 'home') };
let upstream: LoopbackUpstream;
let config: string;

before(async () => {
  upstream = await startLoopbackUpstream({ models: ['m1', 'agg'].map((id) => ({ id })) });
  upstream.script('m1', { reply: `Use reversed(xs). ${HOSTILE}` });
  upstream.script('agg', { reply: `The answer: reversed(xs).${HOSTILE} Done.` });
  config = path.join(temp.dir, 'config.json');
  writeFileSync(config, JSON.stringify({ endpoints: [{ id: 'local', provider: 'vllm', baseUrl: upstream.baseUrl, models: ['m1', 'agg'] }], embedding: { provider: 'lexical' }, aggregator: 'agg', bank: path.join(temp.dir, 'bank'), k: 1, n: 1 }));
});

after(async () => {
  await upstream.close();
  temp.cleanup();
});

test('smcs ask: the text answer is stripped of control sequences, --json keeps the reply exactly', async () => {
  const text = await runCliHere(['--config', config, 'ask', 'How do I reverse a list?'], env);
  assert.equal(text.code, 0, text.stderr);
  assert.doesNotMatch(text.stdout, CONTROL);
  assert.doesNotMatch(text.stderr, CONTROL);
  assert.match(text.stdout, /The answer: reversed\(xs\)\.redback Done\./);
  const json = await runCliHere(['--config', config, 'ask', 'How do I reverse a list?', '--json'], env);
  assert.equal(json.code, 0, json.stderr);
  const doc = JSON.parse(json.stdout) as { answer: string; referencers: { text: string }[] };
  assert.equal(doc.answer, `The answer: reversed(xs).${HOSTILE} Done.`);
  assert.equal(doc.referencers[0]?.text, `Use reversed(xs). ${HOSTILE}`);
});

test('bank import, bank stats and eval routing: names and questions from a file are stripped in text, exact in --json', async () => {
  const model = `evil${HOSTILE}model`;
  const file = path.join(temp.dir, 'hostile.jsonl');
  const lines = [
    { id: 'a', question: `What is 1+1?${HOSTILE}`, domain: `dom${HOSTILE}`, correct: { [model]: 1, m1: 0 }, embedding: [1, 0] },
    { id: 'b', question: 'What is 2+2?', answer: 'B', domain: `dom${HOSTILE}`, correct: { [model]: 0, m1: 1 }, embedding: [0, 1] },
    { id: 'c', question: 'What is 3+3?', domain: 'math', correct: { [model]: 1, m1: 1 }, embedding: [0.6, 0.8] },
    { id: 'd', question: 'What is 4+4?', domain: 'math', correct: { [model]: 0, m1: 1 }, embedding: [0.8, 0.6] },
  ];
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
  // The import embeds with the config's embedder: the same lines without their 2-number embeddings, and a line repeating
  // question b's id, which the import skips and names in its summary.
  const importFile = path.join(temp.dir, 'hostile-import.jsonl');
  writeFileSync(importFile, [...lines.map(({ embedding: _, ...l }) => l), { id: 'b', question: 'What is 2+2?', answer: `changed${HOSTILE}`, correct: { [model]: 1 } }].map((l) => JSON.stringify(l)).join('\n'));
  const bank = path.join(temp.dir, 'hostile-bank');
  const imported = await runCliHere(['--config', config, 'bank', 'import', '--bank', bank, importFile], env);
  assert.equal(imported.code, 0, imported.stderr);
  for (const out of [imported.stdout, imported.stderr]) assert.doesNotMatch(out, CONTROL);
  assert.match(imported.stdout, /models: evil.*model, m1/);
  assert.match(imported.stdout, /skipped/);
  const stats = await runCliHere(['--config', config, 'bank', 'stats', '--bank', bank], env);
  assert.equal(stats.code, 0, stats.stderr);
  assert.doesNotMatch(stats.stdout, CONTROL);
  assert.match(stats.stdout, /evil.*model/);
  const json = JSON.parse((await runCliHere(['--config', config, 'bank', 'stats', '--bank', bank, '--json'], env)).stdout) as { models: { model: string }[]; domains: Record<string, number> };
  assert.ok(json.models.some((m) => m.model === model), 'the name is stored and given exactly in JSON');
  assert.equal(json.domains[`dom${HOSTILE}`], 2);

  const routing = await runCliHere(['eval', 'routing', '--bank-file', file, '--folds', '2', '--k', '1'], env);
  assert.equal(routing.code, 0, routing.stderr);
  assert.doesNotMatch(routing.stdout, CONTROL);
  const routed = JSON.parse((await runCliHere(['eval', 'routing', '--bank-file', file, '--folds', '2', '--k', '1', '--json'], env)).stdout) as { bestModel: string };
  assert.ok([model, 'm1'].includes(routed.bestModel));
});
