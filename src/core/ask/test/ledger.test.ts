import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger } from '../askState';
import type { CallRecord, ChatResult } from '../../contracts/types';

const result = (prompt: number): ChatResult => ({ text: '', reasoning: '', tokenLogprobs: null, usage: { promptTokens: prompt, completionTokens: 1 }, usageEstimated: false, latencyMs: 5, finishReason: 'stop', costUsd: prompt / 1000 });

test('a watcher hears of the calls made so far, then of each call as it ends, in the order the ledger lists them', () => {
  const ledger = new Ledger();
  ledger.record({ stage: 'embedding', model: 'e', tokens: { prompt: 3, completion: 0 }, costUsd: 0.001, latencyMs: 1, estimated: false });
  const heard: CallRecord[] = [];
  ledger.watch((call) => heard.push(call));
  assert.equal(heard.length, 1, 'the embedding made while preparing');
  ledger.chat('referencer', 'm1', result(10));
  ledger.partial('referencer', 'm2', { prompt: 20, completion: 4 }, { prompt: 0.001, completion: 0.002 }, 30);
  assert.deepEqual(heard, ledger.calls);
  assert.deepEqual(heard.map((c) => [c.stage, c.model, c.estimated]), [['embedding', 'e', false], ['referencer', 'm1', false], ['referencer', 'm2', true]]);
});
