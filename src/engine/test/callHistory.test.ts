import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { CallHistory, PAST_CALLS_FILE } from '../callHistory';
import { tempDir } from '../../../test/fixtures/bankData';
import type { CallRecord } from '../../core/contracts/types';

const temp = tempDir('smcs-past-calls-');
after(() => temp.cleanup());

const call = (model: string, completion: number): CallRecord => ({ stage: 'referencer', model, tokens: { prompt: 50, completion }, costUsd: null, latencyMs: 1, estimated: false });

test('past calls survive the process: a second installation run reads what the first saved, atomically', async () => {
  const dir = path.join(temp.dir, 'kept');
  const log: string[] = [];
  const first = await CallHistory.open(dir, (_, m) => log.push(m));
  assert.equal(first.mean('a', 'referencer'), null);
  await first.record([call('a', 100), call('a', 300), call('constructor', 7)]);
  const second = await CallHistory.open(dir, (_, m) => log.push(m));
  assert.deepEqual(second.mean('a', 'referencer'), { prompt: 50, completion: 200, calls: 2 });
  assert.deepEqual(second.mean('constructor', 'referencer'), { prompt: 50, completion: 7, calls: 1 });
  assert.equal(second.mean('toString', 'referencer'), null, 'a prototype name with no calls has none');
  assert.deepEqual(readdirSync(dir), [PAST_CALLS_FILE], 'no temporary file is left');
  assert.deepEqual(log, []);
});

test('a damaged file is started afresh, said once, and replaced by the next save', async () => {
  const dir = path.join(temp.dir, 'damaged');
  await (await CallHistory.open(dir, () => undefined)).record([call('a', 10)]);
  writeFileSync(path.join(dir, PAST_CALLS_FILE), '{"version": 1, "models": {"a": {"referencer": [{"prompt": 5, "comp');
  const log: string[] = [];
  const history = await CallHistory.open(dir, (level, m) => log.push(`${level}: ${m}`));
  assert.equal(history.mean('a', 'referencer'), null);
  assert.equal(log.length, 1);
  assert.match(log[0] ?? '', /^warn: past calls not read from .*past-calls\.json .*expected costs start from the bank and typical lengths/);
  await history.record([call('b', 20)]);
  assert.deepEqual(JSON.parse(readFileSync(path.join(dir, PAST_CALLS_FILE), 'utf8')), { version: 1, models: { b: { referencer: [{ prompt: 50, completion: 20 }] } } });
});
