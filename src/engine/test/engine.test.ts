/** The engine's wiring: bank discovery and aggregator resolution, against the loopback server. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { collect, engineConfig, startEngine } from '../../../test/fixtures/askHarness';
import { tempDir } from '../../../test/fixtures/bankData';
import { startFakeOpenAI, type FakeOpenAI } from '../../bench/loopbackServer';
import { resolveAggregator } from '../engine';
import { ConfigError } from '../../core/config';
import type { PipelineEvent } from '../../core/events';

let server: FakeOpenAI;
const { dir: root, cleanup } = tempDir('smcs-engine-');
let folders = 0;
/** A fresh storage folder under this file's temp root. */
const storageFolder = async () => {
  const dir = path.join(root, `storage-${folders++}`);
  await mkdir(dir);
  return dir;
};
before(async () => {
  server = await startFakeOpenAI({ models: [{ id: 'a' }, { id: 'b' }] });
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
  const bank = { modelCoverage: () => [{ model: 'a', labelled: 10, correct: 4 }, { model: 'b', labelled: 10, correct: 7 }] };
  assert.equal(resolveAggregator(config, ['a', 'b'], bank), 'b');
  assert.equal(resolveAggregator(config, ['a', 'b'], null), 'a');
  assert.equal(resolveAggregator({ ...config, aggregator: 'a' }, ['a', 'b'], bank), 'a');
  const lucky = { modelCoverage: () => [{ model: 'a', labelled: 1, correct: 1 }, { model: 'b', labelled: 1000, correct: 900 }] };
  assert.equal(resolveAggregator(config, ['a', 'b'], lucky), 'b', '1 of 1 right never beats 900 of 1000');
  assert.throws(() => resolveAggregator({ ...config, aggregator: 'zzz' }, ['a', 'b'], null), (e: unknown) => e instanceof ConfigError && e.field === 'aggregator');
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
