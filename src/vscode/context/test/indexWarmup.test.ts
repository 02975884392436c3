/** The workspace index builds by itself soon after start-up, when that asks nothing and spends nothing (issue 70 item 8). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { IndexWarmup } from '../indexWarmup';

function warmup(options: { wanted?: boolean; unasked?: boolean | Error }) {
  const calls: string[] = [];
  const logged: string[] = [];
  let wanted = options.wanted ?? true;
  const deps = {
    wanted: () => wanted,
    unasked: async () => {
      calls.push('unasked');
      if (options.unasked instanceof Error) throw options.unasked;
      return options.unasked ?? true;
    },
    start: () => {
      calls.push('start');
      wanted = false;
    },
    log: (message: string) => logged.push(message),
  };
  return { warm: new IndexWarmup(deps, 10), calls, logged };
}

test('soon after start-up the index starts building by itself, before any question; start-up does not wait for it', async () => {
  const { warm, calls } = warmup({});
  warm.soon();
  assert.deepEqual(calls, [], 'nothing is asked of the engine while activating');
  await sleep(60);
  assert.deepEqual(calls, ['unasked', 'start']);
  warm.soon();
  await sleep(60);
  assert.deepEqual(calls, ['unasked', 'start'], 'once the index no longer wants building (the indexer\'s `wanted` after its start), a later soon() asks nothing');
});

test('a model still to download or priced embeddings: nothing is built until a question needs it, and the log says so', async () => {
  const { warm, calls, logged } = warmup({ unasked: false });
  assert.equal(await warm.now(), false);
  assert.deepEqual(calls, ['unasked']);
  assert.match(logged.join('\n'), /built by the first question that needs it/);
});

test('no models, no trusted folder or no storage: the engine is not even made', async () => {
  const { warm, calls } = warmup({ wanted: false });
  warm.soon();
  await sleep(40);
  assert.equal(await warm.now(), false);
  assert.deepEqual(calls, []);
});

test('an engine that cannot be made is logged, and the first question tells the user why', async () => {
  const { warm, calls, logged } = warmup({ unasked: new Error('endpoints: no key for local') });
  assert.equal(await warm.now(), false);
  assert.deepEqual(calls, ['unasked']);
  assert.match(logged.join('\n'), /not built at start-up \(endpoints: no key for local\)/);
});

test('disposed before its time: nothing starts', async () => {
  const { warm, calls } = warmup({});
  warm.soon();
  warm.dispose();
  await sleep(40);
  assert.deepEqual(calls, []);
});
