import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanOf, PAST_CALLS_KEPT, withCalls, type PastCallRecords } from '../pastCalls';
import type { CallRecord } from '../../contracts/types';

const call = (model: string, stage: CallRecord['stage'], completion: number, prompt = 100) => ({ model, stage, tokens: { prompt, completion } });
const empty = () => Object.create(null) as PastCallRecords;

test('keeps the most recent calls per model and stage, and their mean is what the next reply is expected to be', () => {
  const calls = Array.from({ length: PAST_CALLS_KEPT + 5 }, (_, i) => call('m', 'referencer', i + 1));
  const records = withCalls(empty(), [...calls, call('m', 'aggregation', 900, 2000)]);
  const kept = records['m']?.referencer ?? [];
  assert.equal(kept.length, PAST_CALLS_KEPT);
  assert.equal(kept[0]?.completion, 6, 'the oldest five are dropped');
  assert.deepEqual(meanOf(kept), { prompt: 100, completion: (6 + 25) / 2, calls: PAST_CALLS_KEPT });
  assert.deepEqual(meanOf(records['m']?.aggregation), { prompt: 2000, completion: 900, calls: 1 });
  assert.equal(meanOf(undefined), null);
});

test('calls that say nothing of a reply length are left out, and then the records are the same object', () => {
  const before = withCalls(empty(), [call('m', 'referencer', 10)]);
  const after = withCalls(before, [call('m', 'referencer', 0), call('m', 'tests', 50), call('e', 'embedding', 0, 12)]);
  assert.equal(after, before);
});

test('a model named like an object property is data, not the prototype', () => {
  const records = withCalls(empty(), [call('constructor', 'referencer', 40), call('__proto__', 'referencer', 60), call('toString', 'aggregation', 80)]);
  assert.deepEqual(meanOf(records['constructor']?.referencer), { prompt: 100, completion: 40, calls: 1 });
  assert.deepEqual(meanOf(records['__proto__']?.referencer), { prompt: 100, completion: 60, calls: 1 });
  assert.deepEqual(Object.keys(records).sort(), ['__proto__', 'constructor', 'toString']);
  assert.equal(Object.getPrototypeOf(records), null);
});
