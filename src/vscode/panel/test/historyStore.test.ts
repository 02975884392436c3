import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun, reduceRun, type RunState } from '../../../shared/runState';
import { capHistory, HistoryStore, type KeyValueStore } from '../historyStore';

/** An in-memory store with Memento's contract (values are JSON round-tripped like VS Code does). */
class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const v = this.data.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.stringify(value));
  }
}

function doneRun(id: string, textSize = 10): RunState {
  const run = createRun(id, `question ${id}`, 0);
  return {
    ...run,
    status: 'done',
    finishedAt: 5,
    referencers: [{ model: 'a', status: 'done', text: 'r'.repeat(textSize), reasoning: 'think'.repeat(textSize) }],
    candidates: [{ index: 0, subset: ['a'], status: 'done', text: 'c', total: 1 }],
    winner: 0,
    answer: 'c',
  };
}

test('history saves finished runs and restores them (the reload case)', async () => {
  const store = new MemoryStore();
  const history = new HistoryStore(store, { maxRuns: 10, maxChars: 100_000 });
  const running = createRun('live', 'q', 0);
  const chosen = reduceRun({ ...doneRun('b'), candidates: [...doneRun('b').candidates, { index: 1, subset: ['a'], status: 'done', text: 'd' }] }, { type: 'choose', index: 1 });
  await history.save([doneRun('a'), chosen, running]);
  const restored = new HistoryStore(store).load(100);
  assert.deepEqual(restored.map((r) => r.id), ['a', 'b']);
  assert.equal(restored[1]?.chosen, 1, 'the choice survives a reload');
});

test('a run stored while running is restored as cancelled', async () => {
  const store = new MemoryStore();
  await store.update('smcs.history.v1', [createRun('x', 'q', 0)]);
  const [run] = new HistoryStore(store).load(50);
  assert.ok(run);
  assert.equal(run.status, 'cancelled');
  assert.equal(run.finishedAt, 50);
});

test('malformed stored entries are skipped, a non-list is ignored', async () => {
  const store = new MemoryStore();
  await store.update('smcs.history.v1', [{ id: 1 }, doneRun('ok'), 'junk', null]);
  assert.deepEqual(new HistoryStore(store).load(0).map((r) => r.id), ['ok']);
  await store.update('smcs.history.v1', { not: 'a list' });
  assert.deepEqual(new HistoryStore(store).load(0), []);
});

test('capHistory keeps the newest runs within the count and size limits', () => {
  const runs = Array.from({ length: 6 }, (_, i) => doneRun(`r${i}`));
  assert.deepEqual(capHistory(runs, { maxRuns: 3, maxChars: 1e9 }).map((r) => r.id), ['r3', 'r4', 'r5']);
  const oneSize = JSON.stringify([runs[0]]).length;
  const capped = capHistory(runs, { maxRuns: 10, maxChars: oneSize * 2 + 10 });
  assert.deepEqual(capped.map((r) => r.id), ['r4', 'r5']);
  assert.ok(JSON.stringify(capped).length <= oneSize * 2 + 10);
});

test('a single run larger than the limit keeps its candidates but drops reference texts', () => {
  const big = doneRun('big', 5000);
  const capped = capHistory([big], { maxRuns: 10, maxChars: 2000 });
  assert.equal(capped.length, 1);
  assert.equal(capped[0]!.referencers[0]?.text, '');
  assert.equal(capped[0]!.candidates[0]?.text, 'c');
  assert.ok(JSON.stringify(capped).length <= 2000);
});

test('clear removes the stored history', async () => {
  const store = new MemoryStore();
  const history = new HistoryStore(store);
  await history.save([doneRun('a')]);
  await history.clear();
  assert.deepEqual(history.load(0), []);
});
