/** The engine's wiring: bank discovery and aggregator resolution, against the loopback server. */
import type { RunOptions } from '../../core/ask/askLoop';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildBank, collect, engineConfig, startEngine, testHooks } from '../../../test/fixtures/askHarness';
import { tempDir } from '../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { createEngine, embedderFor, indexesUnasked, resolveAggregator } from '../engine';
import { DEFINITIONS_WAIT_MS } from '../workspaceContext';
import { LexicalEmbedder } from '../../embed/lexical';
import type { Embedder } from '../../core/contracts/types';
import { ConfigError } from '../../core/contracts/config';
import type { PipelineEvent } from '../../core/contracts/events';

let server: LoopbackUpstream;
const { dir: root, cleanup } = tempDir('smcs-engine-');
let folders = 0;
/** A fresh storage folder under this file's temp root. */
const storageFolder = async () => {
  const dir = path.join(root, `storage-${folders++}`);
  await mkdir(dir);
  return dir;
};
before(async () => {
  server = await startLoopbackUpstream({ models: [{ id: 'a' }, { id: 'b' }] });
});
after(async () => {
  await server.close();
  cleanup();
});

test('an existing but empty bank folder is no bank: the ask runs as plain MoA', async () => {
  const storage = await storageFolder();
  const bank = path.join(storage, 'empty-bank');
  await mkdir(bank);
  const engine = await startEngine({ baseUrl: server.baseUrl, models: ['a', 'b'], bank, overrides: { n: 2 } }, storage);
  const events = await collect(engine.ask('What is a closure?', { signal: new AbortController().signal }));
  await engine.dispose();
  const end = events[events.length - 1] as Extract<PipelineEvent, { type: 'done' }>;
  assert.equal(end.type, 'done');
  assert.equal(end.result.selectionFallback, 'empty-bank');
  assert.deepEqual(end.result.referencers.map((r) => r.model), ['a', 'b']);
});

test('aggregator: auto picks the best profiled model, a named one must be configured', () => {
  const config = engineConfig({ baseUrl: server.baseUrl, models: ['a', 'b'] });
  const coverage = [{ model: 'a', labelled: 10, correct: 4 }, { model: 'b', labelled: 10, correct: 7 }];
  assert.equal(resolveAggregator(config, ['a', 'b'], coverage), 'b');
  assert.equal(resolveAggregator(config, ['a', 'b'], []), 'a');
  assert.equal(resolveAggregator({ ...config, aggregator: 'a' }, ['a', 'b'], coverage), 'a');
  const lucky = [{ model: 'a', labelled: 1, correct: 1 }, { model: 'b', labelled: 1000, correct: 900 }];
  assert.equal(resolveAggregator(config, ['a', 'b'], lucky), 'b', '1 of 1 right never beats 900 of 1000');
  assert.throws(() => resolveAggregator({ ...config, aggregator: 'zzz' }, ['a', 'b'], []), (e: unknown) => e instanceof ConfigError && e.field === 'aggregator');
});

test('a bank that cannot be opened ends the ask with an error event, and is tried again on the next ask', async () => {
  const storage = await storageFolder();
  const bank = path.join(storage, 'broken-bank');
  await mkdir(bank);
  await writeFile(path.join(bank, 'manifest.json'), 'not a manifest');
  const engine = await startEngine({ baseUrl: server.baseUrl, models: ['a', 'b'], bank, overrides: { n: 1 } }, storage);
  const first = await collect(engine.ask('What is a closure?', { signal: new AbortController().signal }));
  const end = first[first.length - 1] as Extract<PipelineEvent, { type: 'error' }>;
  assert.equal(end.type, 'error');
  assert.match(end.message, /manifest/);
  await rm(bank, { recursive: true });
  const second = await collect(engine.ask('What is a closure?', { signal: new AbortController().signal }));
  await engine.dispose();
  assert.equal(second[second.length - 1]?.type, 'done');
});

test('an aggregator that names no configured model ends the ask with an error event naming the setting', async () => {
  const storage = await storageFolder();
  const engine = await startEngine({ baseUrl: server.baseUrl, models: ['a', 'b'], overrides: { aggregator: 'zzz' } }, storage);
  const events = await collect(engine.ask('What is a closure?', { signal: new AbortController().signal }));
  await engine.dispose();
  const end = events[events.length - 1] as Extract<PipelineEvent, { type: 'error' }>;
  assert.equal(end.type, 'error');
  assert.match(end.message, /^aggregator: names no configured model/);
});

test('maxCostPerQuestion cuts the chosen models, unless the user waived it for this ask (Send Anyway, the fast preset)', async () => {
  const priced = await startLoopbackUpstream({
    models: [
      { id: 'cheap', pricing: { prompt: 0.000001, completion: 0.000001 } },
      { id: 'dear', pricing: { prompt: 0.00001, completion: 0.00003 } },
    ],
  });
  try {
    const storage = await storageFolder();
    // No bank: each reply is assumed as long as maxTokens, so only the cheap model fits $0.002 ($0.0001 a reply; the dear one $0.003).
    const engine = await startEngine({ baseUrl: priced.baseUrl, models: ['cheap', 'dear'], overrides: { k: 2, n: 1, maxTokens: 100, maxCostPerQuestion: 0.002 } }, storage);
    const referencers = async (options: RunOptions) => {
      const signal = new AbortController().signal;
      const events = await collect((await engine.prepare('How do I reverse a list?', { signal })).run(signal, options));
      const end = events[events.length - 1] as Extract<PipelineEvent, { type: 'done' }>;
      assert.equal(end.type, 'done');
      return end.result.referencers.map((r) => r.model).sort();
    };
    assert.deepEqual(await referencers({ route: 'limited' }), ['cheap']);
    assert.deepEqual(await referencers({ route: 'uncut' }), ['cheap', 'dear']);
    await engine.dispose();
  } finally {
    await priced.close();
  }
});

test('definitions of a selection are not waited for while the workspace index is slow to build; the next ask has them', async () => {
  const storage = await storageFolder();
  const workspace = path.join(storage, 'ws');
  await mkdir(workspace);
  await writeFile(path.join(workspace, 'widths.py'), 'def char_width(ch):\n    return 2 if ord(ch) > 0x1100 else 1\n');
  await writeFile(path.join(workspace, 'cells.py'), 'def cell_len(text):\n    return sum(char_width(c) for c in text)\n');
  // An embedder as slow as a large workspace on a CPU: every batch of the index takes longer than the ask may wait.
  const lexical = new LexicalEmbedder();
  let slow = true;
  let indexedAt = Infinity;
  let embedded = (): void => undefined;
  const slowBatchDone = new Promise<void>((resolve) => (embedded = resolve));
  const embedder: Embedder = {
    id: lexical.id,
    dimension: () => lexical.dimension(),
    embed: async (texts, signal) => {
      if (slow && texts.length > 1) {
        await new Promise((resolve) => setTimeout(resolve, DEFINITIONS_WAIT_MS + 2_000));
        indexedAt = performance.now();
        embedded();
      }
      return lexical.embed(texts, signal);
    },
  };
  const engine = await createEngine(engineConfig({ baseUrl: server.baseUrl, models: ['a', 'b'], overrides: { n: 1 } }), testHooks(storage), { embedder });
  const options = { signal: new AbortController().signal, workspace: { root: workspace, retrieval: 'none' as const, definitions: ['char_width'] } };
  const first = await collect(engine.ask('Why is the width of an emoji wrong?', options));
  const answeredAt = performance.now();
  const context = (events: PipelineEvent[]) => (events.at(-1) as Extract<PipelineEvent, { type: 'done' }>).result.context ?? [];
  assert.ok(answeredAt < indexedAt, 'the first ask was answered before the index was built');
  assert.deepEqual(context(first).filter((c) => c.source === 'retrieved'), [], 'the first ask went without the definition');
  slow = false;
  // The next ask comes once the slow batch is embedded (on a loaded machine the first ask's answer can come well before).
  await slowBatchDone;
  const second = await collect(engine.ask('Why is the width of an emoji wrong?', options));
  await engine.dispose();
  assert.deepEqual(context(second).map((c) => [c.path, c.reason]), [['widths.py', 'defines char_width']]);
});

test('prior shrinkage: auto is chosen from the bank once it opens and logged; a number is used as it is, 0 = the paper\'s priors', async () => {
  const storage = await storageFolder();
  const bank = path.join(storage, 'bank');
  // `a` is right on the few sorting questions, `b` on the many baking ones: the paper's priors pick `a` for a sorting
  // question, while over the whole bank `b` is right three times as often.
  const sorting = Array.from({ length: 10 }, (_, i) => ({ id: `sort-${i}`, question: `How do I sort a python list of tuples by field ${i}?`, correct: { a: 1 as const, b: 0 as const } }));
  const baking = Array.from({ length: 30 }, (_, i) => ({ id: `bake-${i}`, question: `How long should bread dough number ${i} rise before baking in the oven?`, correct: { a: 0 as const, b: 1 as const } }));
  await buildBank(bank, [...sorting, ...baking]);
  const firstReferencer = async (priorShrinkage: unknown, log: string[]) => {
    const engine = await createEngine(engineConfig({ baseUrl: server.baseUrl, models: ['a', 'b'], bank, overrides: { k: 1, n: 1, priorShrinkage } }), testHooks(storage, log));
    const events = await collect(engine.ask('How do I sort a python list by its second field?', { signal: new AbortController().signal }));
    await engine.dispose();
    const retrieve = events.find((e): e is Extract<PipelineEvent, { type: 'retrieve' }> => e.type === 'retrieve');
    return retrieve?.referencers;
  };
  const paperLog: string[] = [];
  assert.deepEqual(await firstReferencer(0, paperLog), ['a']);
  assert.equal(paperLog.filter((l) => l.includes('prior shrinkage')).length, 0);
  assert.deepEqual(await firstReferencer(1_000_000, []), ['b']);
  const autoLog: string[] = [];
  await firstReferencer('auto', autoLog);
  assert.match(autoLog.find((l) => l.includes('prior shrinkage')) ?? '', /^info: prior shrinkage: α = [\d.]+, chosen on 80 labels of 40 bank questions in \d+ ms$/);
});

test('indexesUnasked: the index builds at start-up only when that asks nothing and spends nothing (issue 70 item 8)', async () => {
  const storage = await storageFolder();
  const consents: string[] = [];
  const hooks = { ...testHooks(storage), consent: async (model: string) => (consents.push(model), false) };
  // The embedder the config names, as the extension's engine holder builds it; an endpoint's is never built to decide
  // (the rule says no from the config alone), so any embedder stands in for it.
  const unasked = (embedding: Record<string, unknown>): boolean => {
    const config = engineConfig({ baseUrl: server.baseUrl, models: ['a', 'b'], overrides: { embedding } });
    const embedder = embedding.provider === 'endpoint' ? new LexicalEmbedder() : embedderFor(config, hooks, () => { throw new Error('no endpoint is contacted'); });
    return indexesUnasked(config, embedder);
  };
  assert.equal(unasked({ provider: 'lexical' }), true, 'the lexical embedder loads nothing');
  assert.equal(unasked({ provider: 'endpoint', endpoint: 'local', model: 'a' }), false, 'an embeddings endpoint may be priced: the index waits for a question');
  assert.equal(unasked({ provider: 'transformers' }), false, 'a model still to download waits for the first question that needs the index');
  const modelDir = path.join(storage, 'models', 'Xenova', 'all-MiniLM-L6-v2');
  await mkdir(path.join(modelDir, 'onnx'), { recursive: true });
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']) await writeFile(path.join(modelDir, file), '{}');
  assert.equal(unasked({ provider: 'transformers' }), true, 'a model whose files are on disk loads without asking');
  assert.deepEqual(consents, [], 'asking whether it may build never asks to download');
});
