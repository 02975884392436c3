import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun, reduceRun, type RunState } from '../../../presentation/runState';
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
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' },
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
  assert.deepEqual(restored[1]?.choice, { kind: 'candidate', index: 1 }, 'the choice survives a reload');
});

test('a run stored while running is restored as cancelled', async () => {
  const store = new MemoryStore();
  await store.update('smcs.history.v1', [createRun('x', 'q', 0)]);
  const [run] = new HistoryStore(store).load(50);
  assert.ok(run);
  assert.equal(run.status, 'cancelled');
  assert.equal(run.finishedAt, 50);
});

test('a selection stored as a string beside the items (before it was one) comes back as the item it is now, reported with what the run sent', async () => {
  const store = new MemoryStore();
  const current = { source: 'currentFile', path: 'src/cells.py', startLine: 1, endLine: 8, tokens: 40, reason: 'current file' };
  const stored = (id: string, fields: Record<string, unknown>) => ({ ...doneRun(id), contextReport: [current], ...fields });
  await store.update('smcs.history.v1', [
    stored('lines', { context: 'Selected code from src/cells.py lines 4–6 (language: python):\n```python\n    total = 0\n    for ch in text:\n        total += 1\n```', contextScreen: ['src/cells.py: 1 API key redacted'] }),
    stored('quoted', { context: 'Selected code from "a\\nb.md" line 2 (language: markdown):\n````markdown\nx ``` y\n````' }),
    stored('editor', { context: 'Selected code from the editor (language: plaintext):\n```plaintext\none\ntwo\n```\n(The selection was cut to its first 24000 characters.)' }),
    stored('other', { context: 'notes the user selected' }),
    stored('screened', { contextScreen: ['.env left out: environment file'] }),
  ]);
  const runs = new HistoryStore(store).load(0);
  const selections = runs.map((r) => r.selection?.items.map((i) => [i.path, i.startLine, i.endLine, i.language, i.text, i.source, i.reason]));
  assert.deepEqual(selections, [
    [['src/cells.py', 4, 6, 'python', '    total = 0\n    for ch in text:\n        total += 1', 'selection', 'selected']],
    [['a\nb.md', 2, 2, 'markdown', 'x ``` y', 'selection', 'selected']],
    [['the editor', 1, 2, 'plaintext', 'one\ntwo', 'selection', 'selected']],
    [['the editor', 1, 1, undefined, 'notes the user selected', 'selection', 'selected']],
    [],
  ]);
  assert.deepEqual(runs[0]?.selection?.notes, ['src/cells.py: 1 API key redacted']);
  assert.deepEqual(runs[4]?.selection, { items: [], notes: ['.env left out: environment file'] }, 'a selection the screen left out keeps its note for a retry');
  assert.deepEqual(runs[0]?.contextReport?.map((c) => [c.source, c.startLine, c.endLine]), [['selection', 4, 6], ['currentFile', 1, 8]], 'the panel shows it once, with what else was sent');
  assert.deepEqual(runs[4]?.contextReport, [current]);
  for (const run of runs) assert.ok(!('context' in run) && !('contextScreen' in run), run.id);
});

test('a run stored before the answer was one value comes back with the reply it named and the user\'s choice', async () => {
  const store = new MemoryStore();
  const { answer: _now, ...done } = doneRun('old');
  const referencers = [...done.referencers, { model: 'b', status: 'done' as const, text: 'b says', reasoning: '' }];
  await store.update('smcs.history.v1', [
    { ...done, answer: 'c', chosen: 0 },
    { ...done, id: 'checks', threadId: 'checks', referencers, answer: 'b says', checksReference: 'b', selectedBy: 'checks', chosenReference: 'a' },
    { ...done, id: 'agreed', threadId: 'agreed', referencers, candidates: [], winner: -1, answer: 'b says', directReference: 'b', agreement: { basis: 'answer', agreeing: 2, of: 2 } },
  ]);
  const [plain, checks, agreed] = new HistoryStore(store).load(100);
  assert.deepEqual([plain?.answer, plain?.choice], [{ reply: { kind: 'candidate', index: 0 }, because: 'score' }, { kind: 'candidate', index: 0 }]);
  assert.deepEqual([checks?.answer, checks?.choice], [{ reply: { kind: 'referencer', model: 'b' }, because: 'checks' }, { kind: 'referencer', model: 'a' }]);
  assert.deepEqual(agreed?.answer, { reply: { kind: 'referencer', model: 'b' }, because: 'agreement' });
  assert.equal(checks !== undefined && 'checksReference' in checks, false, 'the old names are gone');
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
