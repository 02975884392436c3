/**
 * `smcs ask --workspace` as a user runs it, against the loopback server that records every request: an attached file
 * reaches every referencer whole, a planted `.env` key reaches no request, and — on a copy of rich with bug reports
 * whose fixes are known — the fixed file reaches every referencer at least as often as a BM25 ranking of whole
 * files has it in its top five.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCliHere } from '../../../test/fixtures/cliRun';
import { tempDir } from '../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../../../test/fixtures/loopbackUpstream';
import { REPO } from '../../../test/fixtures/repo';

const RICH = path.join(REPO, 'test', 'fixtures', 'workspaces', 'rich');
/** Bug reports about rich (in our words, from its real issues) and the files their real fixes changed. */
const REPORTS = path.join(REPO, 'test', 'fixtures', 'workspaces', 'rich-reports.json');
const PLANTED = 'sk-proj-PLANTEDplantedPLANTED0123456789';
const temp = tempDir('smcs-ask-workspace-');
let server: LoopbackUpstream;
let configFile: string;
/** Models with an 8k window: the context may take about 4k tokens, a handful of chunks of the 37 files. */
let smallWindows: LoopbackUpstream;
let smallConfigFile: string;

before(async () => {
  server = await startLoopbackUpstream({ models: ['m1', 'm2', 'm3', 'agg'].map((id) => ({ id })) });
  for (const m of ['m1', 'm2', 'm3']) server.script(m, { reply: `Reply of ${m}.` });
  server.script('agg', { reply: 'Combined answer.' });
  configFile = path.join(temp.dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({
    endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: ['m1', 'm2', 'm3', 'agg'] }],
    embedding: { provider: 'lexical' },
    aggregator: 'agg',
    bank: path.join(temp.dir, 'bank'),
    k: 3,
    n: 1,
  }));
  smallWindows = await startLoopbackUpstream({ models: ['s1', 's2', 's3', 'sagg'].map((id) => ({ id, maxModelLen: 8192 })) });
  smallConfigFile = path.join(temp.dir, 'small.json');
  writeFileSync(smallConfigFile, JSON.stringify({
    endpoints: [{ id: 'small', provider: 'vllm', baseUrl: smallWindows.baseUrl }],
    embedding: { provider: 'lexical' },
    aggregator: 'sagg',
    bank: path.join(temp.dir, 'bank'),
    k: 3,
    n: 1,
    maxTokens: 1024,
  }));
});

after(async () => {
  await server.close();
  await smallWindows.close();
  temp.cleanup();
});

/** The chat requests a server received since the `since`-th request. */
function chatRequests(on: LoopbackUpstream, since: number): RecordedRequest[] {
  return on.requests.slice(since).filter((r) => r.path.endsWith('/chat/completions'));
}

const userText = (r: RecordedRequest): string => JSON.stringify(r.body.messages);

async function ask(args: string[], on = server, config = () => configFile): Promise<{ doc: { context: { source: string; path: string; startLine: number; endLine: number; tokens: number; reason: string }[]; contextNotes?: string[] }; requests: RecordedRequest[]; stderr: string }> {
  const since = on.requests.length;
  const run = await runCliHere(['--config', config(), 'ask', ...args, '--json'], { SMCS_HOME: path.join(temp.dir, 'home') });
  assert.equal(run.code, 0, run.stderr);
  return { doc: JSON.parse(run.stdout), requests: chatRequests(on, since), stderr: run.stderr };
}

function workspaceWithSecrets(): string {
  const dir = path.join(temp.dir, 'app');
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  cpSync(path.join(RICH, 'rich', 'cells.py'), path.join(dir, 'src', 'cells.py'));
  writeFileSync(path.join(dir, '.env'), `OPENAI_API_KEY=${PLANTED}\nDEBUG=1\n`);
  writeFileSync(path.join(dir, 'src', 'settings.py'), `"""Settings."""\nAPI_KEY = "${PLANTED}"\nTIMEOUT = 30\n`);
  writeFileSync(path.join(dir, '.gitignore'), 'build/\n');
  return dir;
}

test('an attached file reaches every referencer, every aggregation and no further: whole, with its path', async () => {
  const dir = workspaceWithSecrets();
  const cells = readFileSync(path.join(dir, 'src', 'cells.py'), 'utf8');
  const { doc, requests } = await ask(['Why does split_graphemes loop forever on a trailing joiner?', '--workspace', dir, '--file', path.join(dir, 'src', 'cells.py')]);
  const attached = doc.context.find((c) => c.source === 'file');
  assert.deepEqual(attached && { path: attached.path, startLine: attached.startLine, endLine: attached.endLine, reason: attached.reason }, { path: 'src/cells.py', startLine: 1, endLine: cells.trimEnd().split('\n').length, reason: 'attached' });
  assert.ok((attached?.tokens ?? 0) > 1000);
  const byModel = new Map(requests.map((r) => [r.model, r]));
  for (const model of ['m1', 'm2', 'm3', 'agg']) {
    const sent = byModel.get(model);
    assert.ok(sent, `${model} was asked`);
    const text = (sent.body.messages as { content: string }[]).map((m) => m.content).join('\n');
    assert.ok(text.includes(cells.trimEnd()), `${model} received cells.py whole`);
    assert.match(text, /src\/cells\.py lines 1–\d+ \(attached\)/);
  }
});

test("the context's tokens are counted in the unit of the prompts the server counted: never above a call's whole prompt", async () => {
  // A model whose tokenizer counts code denser than SMCS's estimate (about three characters a token): 4.5 a token.
  const dense = await startLoopbackUpstream({ models: ['d1', 'd2', 'dagg'].map((id) => ({ id })) });
  try {
    for (const m of ['d1', 'd2', 'dagg']) dense.script(m, { reply: `Reply of ${m}.`, promptTokens: (r) => Math.ceil(JSON.stringify(r.body.messages).length / 4.5) });
    const file = path.join(temp.dir, 'dense.json');
    writeFileSync(file, JSON.stringify({ endpoints: [{ id: 'dense', provider: 'vllm', baseUrl: dense.baseUrl }], embedding: { provider: 'lexical' }, aggregator: 'dagg', bank: path.join(temp.dir, 'bank'), k: 2, n: 1 }));
    const dir = workspaceWithSecrets();
    const args = ['Why does split_graphemes loop forever on a trailing joiner?', '--workspace', dir, '--context', 'none', '--file', 'src/cells.py'];
    const run = await runCliHere(['--config', file, 'ask', ...args, '--json'], { SMCS_HOME: path.join(temp.dir, 'home') });
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as { context: { tokens: number }[]; calls: { stage: string; tokens: { prompt: number }; context?: number }[] };
    const chat = doc.calls.filter((c) => c.stage !== 'embedding');
    const estimate = doc.context.reduce((n, c) => n + c.tokens, 0);
    const smallest = Math.min(...chat.map((c) => c.tokens.prompt));
    assert.ok(estimate > smallest, `the estimate from characters (${estimate}) is above a whole prompt as the server counted it (${smallest}): the case to get right`);
    for (const call of chat) {
      assert.ok(call.context !== undefined && call.context > 0, `${call.stage} carried the context`);
      assert.ok(call.context <= call.tokens.prompt, `${call.stage}: context ${call.context} within its prompt ${call.tokens.prompt}`);
    }
    const text = await runCliHere(['--config', file, 'ask', ...args], { SMCS_HOME: path.join(temp.dir, 'home') });
    assert.equal(text.code, 0, text.stderr);
    const shown = /^context: .* — (?:up to )?([\d,]+) tokens to each model$/m.exec(text.stdout)?.[1];
    assert.ok(shown !== undefined, text.stdout);
    const perModel = Number(shown.replace(/,/g, ''));
    assert.ok(perModel <= Math.max(...chat.map((c) => c.tokens.prompt)), `the line's ${perModel} tokens are within the prompts the server counted`);
    assert.ok(perModel < estimate, 'the line counts in the server\'s unit, not the estimate');
  } finally {
    await dense.close();
  }
});

test('--file and --open paths relative to the workspace are found there when the current folder has no such file; a typo names both places', async () => {
  const dir = workspaceWithSecrets();
  const question = 'Why does split_graphemes loop forever on a trailing joiner?';
  const attached = await ask([question, '--workspace', dir, '--context', 'none', '--file', 'src/cells.py']);
  assert.deepEqual(attached.doc.context.map((c) => `${c.source} ${c.path}`), ['file src/cells.py']);
  const open = await ask([question, '--workspace', dir, '--context', 'none', '--open', 'src/cells.py:170']);
  assert.deepEqual([...new Set(open.doc.context.map((c) => `${c.source} ${c.path}`))], ['currentFile src/cells.py']);
  const typo = await runCliHere(['--config', configFile, 'ask', 'Why?', '--workspace', dir, '--open', 'src/cell.py'], { SMCS_HOME: path.join(temp.dir, 'home') });
  assert.equal(typo.code, 2, typo.stderr);
  assert.match(typo.stderr, /--open src\/cell\.py: no such file in the current folder \(.*src\/cell\.py\) or in the workspace \(.*app\/src\/cell\.py\)/);
});

test('a planted key reaches no request: the .env file is left out, the source file that holds it is sent redacted', async () => {
  const dir = workspaceWithSecrets();
  const { doc, requests } = await ask(['Where is OPENAI_API_KEY read, and what is API_KEY in settings.py?', '--workspace', dir]);
  assert.ok(requests.length >= 4);
  for (const r of requests) assert.ok(!userText(r).includes(PLANTED), `${r.model} received the planted key`);
  assert.ok(!doc.context.some((c) => c.path === '.env'));
  assert.ok(doc.contextNotes?.includes('.env left out: environment file'), JSON.stringify(doc.contextNotes));
  if (doc.context.some((c) => c.path === 'src/settings.py')) assert.ok(doc.contextNotes?.includes('src/settings.py line 2 (API key) left out: redacted in place'), JSON.stringify(doc.contextNotes));
  const embeddings = server.requests.filter((r) => r.path.endsWith('/embeddings'));
  for (const r of embeddings) assert.ok(!JSON.stringify(r.body).includes(PLANTED));
});

test('a secret file attached by name with --allow-secrets is sent as it is, with a warning', async () => {
  const dir = workspaceWithSecrets();
  const { doc, requests, stderr } = await ask(['Is this .env complete?', '--workspace', dir, '--context', 'none', '--file', path.join(dir, '.env'), '--allow-secrets']);
  assert.match(stderr, /\.env: sent with its secrets \(environment file holding .*\) because of --allow-secrets/);
  assert.deepEqual(doc.context.map((c) => [c.source, c.path]), [['file', '.env']]);
  assert.ok(requests.some((r) => userText(r).includes(PLANTED)));
});

/** Lower-case words and numbers, the tokens of a plain BM25 over whole files. */
const words = (text: string): string[] => text.toLowerCase().match(/[a-z0-9_]+/g) ?? [];

/** The top `k` files for a query by BM25 (k1 1.2, b 0.75) over whole files. */
function bm25Top(files: ReadonlyMap<string, string[]>, query: string, k: number): string[] {
  const n = files.size;
  const avg = [...files.values()].reduce((s, w) => s + w.length, 0) / n;
  const df = new Map<string, number>();
  for (const w of files.values()) for (const t of new Set(w)) df.set(t, (df.get(t) ?? 0) + 1);
  const terms = [...new Set(words(query))];
  const scores = [...files.entries()].map(([file, w]) => {
    const tf = new Map<string, number>();
    for (const t of w) tf.set(t, (tf.get(t) ?? 0) + 1);
    const score = terms.reduce((s, t) => {
      const f = tf.get(t) ?? 0;
      const d = df.get(t) ?? 0;
      if (f === 0) return s;
      const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
      return s + (idf * f * 2.2) / (f + 1.2 * (1 - 0.75 + (0.75 * w.length) / avg));
    }, 0);
    return { file, score };
  });
  return scores.sort((a, b) => b.score - a.score).slice(0, k).map((s) => s.file);
}

test('bug reports about rich: the file the fix changed reaches every referencer as often as BM25 has it in its top five', async () => {
  const reports = JSON.parse(readFileSync(REPORTS, 'utf8')) as { report: string; fixed: string[] }[];
  const files = new Map(readdirSync(path.join(RICH, 'rich')).map((f) => [`rich/${f}`, words(readFileSync(path.join(RICH, 'rich', f), 'utf8'))]));
  let ours = 0;
  let sent = 0;
  let bm25 = 0;
  for (const { report, fixed } of reports) {
    if (bm25Top(files, report, 5).some((f) => fixed.includes(f))) bm25++;
    const { doc, requests } = await ask([report, '--workspace', RICH], smallWindows, () => smallConfigFile);
    const sentFiles = new Set(doc.context.map((c) => c.path));
    assert.ok(sentFiles.size < 15, `a small window holds a handful of files, not the workspace: ${sentFiles.size}`);
    const referencers = requests.filter((r) => r.model !== 'sagg');
    const reached = fixed.some((f) => doc.context.some((c) => c.path === f) && referencers.length === 3 && referencers.every((r) => userText(r).includes(`${f} lines`)));
    if (reached) ours++;
    sent += sentFiles.size;
  }
  assert.ok(bm25 >= 5, `the baseline finds some: ${bm25}/${reports.length}`);
  assert.ok(ours >= bm25, `the fixed file reached every referencer for ${ours} of ${reports.length} reports (${(sent / reports.length).toFixed(1)} files each); BM25 top five has it for ${bm25}`);
});
