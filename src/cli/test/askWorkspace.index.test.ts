/**
 * `smcs ask --workspace` as a user runs it when its workspace index on disk is broken or cannot be saved: a manifest
 * left garbled (by a crash or a full disk) and a save that fails no longer fail every later ask. The ask answers, sends
 * what the workspace holds, and `contextNotes` says what happened to the index; once saving works again, the next ask
 * saves it and says nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCliHere } from '../../../test/fixtures/cliRun';
import { tempDir } from '../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';

const temp = tempDir('smcs-ask-index-');
const home = path.join(temp.dir, 'home');
const ws = path.join(temp.dir, 'ws');
let server: LoopbackUpstream;
let configFile: string;

before(async () => {
  server = await startLoopbackUpstream({ models: ['m1', 'agg'].map((id) => ({ id })) });
  configFile = path.join(temp.dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: ['m1', 'agg'] }], embedding: { provider: 'lexical' }, aggregator: 'agg', bank: path.join(temp.dir, 'bank'), k: 1, n: 1 }));
  mkdirSync(ws);
  writeFileSync(path.join(ws, 'scores.py'), 'def parse_scores(text):\n    return [int(x) for x in text.split(",")]\n');
  writeFileSync(path.join(ws, 'report.py'), 'from scores import parse_scores\n\n\ndef report(text):\n    return sum(parse_scores(text))\n');
});

after(async () => {
  await server.close();
  temp.cleanup();
});

async function ask(question: string): Promise<{ notes: string[]; sent: string }> {
  const since = server.requests.length;
  const run = await runCliHere(['--config', configFile, 'ask', question, '--workspace', ws, '--json'], { SMCS_HOME: home });
  assert.equal(run.code, 0, run.stderr);
  const doc = JSON.parse(run.stdout) as { contextNotes?: string[] };
  return { notes: doc.contextNotes ?? [], sent: JSON.stringify(server.requests.slice(since).map((r) => r.body)) };
}

const indexDir = (): string => {
  const [hash] = readdirSync(path.join(home, 'workspaces'));
  return path.join(home, 'workspaces', hash ?? '');
};

test('a garbled index manifest is built again and said; a save that fails is said, the ask served from memory; the next ask saves', async () => {
  const first = await ask('What does parse_scores in scores.py return?');
  assert.ok(first.sent.includes('def parse_scores'), 'the index was built and searched');
  assert.ok(!first.notes.some((n) => n.includes('workspace index')), first.notes.join('\n'));

  const manifest = path.join(indexDir(), 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ version: 5, embedder: 'lexical:v1:512', dimension: 512, generation: 1 }));
  const rebuilt = await ask('What does parse_scores in scores.py return?');
  assert.ok(rebuilt.notes.some((n) => /^the workspace index at .+ could not be read whole \(files is not a list\); what it lacked was indexed again$/.test(n)), rebuilt.notes.join('\n'));
  assert.ok(rebuilt.sent.includes('def parse_scores'));

  // The injected failure: the manifest's temporary file cannot be written, so the save fails after its data files.
  mkdirSync(path.join(indexDir(), 'manifest.json.tmp'));
  writeFileSync(path.join(ws, 'scores.py'), 'def parse_scores(text):\n    return [float(x) for x in text.split(";")]\n\n\ndef mean_score(scores):\n    return sum(scores) / len(scores)\n');
  const saved = readFileSync(manifest, 'utf8');
  const unsaved = await ask('How is mean_score in scores.py computed?');
  assert.ok(unsaved.notes.some((n) => /^the workspace index could not be saved \(.*(EISDIR|directory).*\); this ask used it from memory, and the next one saves it again$/.test(n)), unsaved.notes.join('\n'));
  assert.ok(unsaved.sent.includes('def mean_score'), 'the changed file was sent from memory');
  assert.equal(readFileSync(manifest, 'utf8'), saved, 'the saved index is as it was');

  rmSync(path.join(indexDir(), 'manifest.json.tmp'), { recursive: true });
  const again = await ask('How is mean_score in scores.py computed?');
  assert.ok(!again.notes.some((n) => n.includes('workspace index')), again.notes.join('\n'));
  assert.ok(again.sent.includes('def mean_score'));
  assert.notEqual(readFileSync(manifest, 'utf8'), saved, 'saved now');
  assert.deepEqual(readdirSync(indexDir()).filter((f) => f.endsWith('.tmp')), []);
});
