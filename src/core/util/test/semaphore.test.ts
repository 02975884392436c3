import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Semaphore } from '../semaphore';


describe('Semaphore', () => {
  it('limits holders, hands permits over in order, and drops waiters whose signal aborts', async () => {
    const s = new Semaphore(2);
    const never = new AbortController().signal;
    const err = () => new Error('aborted');
    const r1 = await s.acquire(never, err);
    await s.acquire(never, err);
    assert.equal(s.inUse, 2);
    const gone = new AbortController();
    const queuedAborted = s.acquire(gone.signal, err);
    let third = false;
    const queued = s.acquire(never, err).then((r) => {
      third = true;
      return r;
    });
    gone.abort();
    await assert.rejects(queuedAborted, /aborted/);
    r1();
    r1();
    const r3 = await queued;
    assert.ok(third);
    assert.equal(s.inUse, 2);
    r3();
    assert.equal(s.inUse, 1);
    await assert.rejects(s.acquire(AbortSignal.abort(), err), /aborted/);
  });

  it('many waiters under one signal: each is granted in turn, and an abort drops only the ones of that signal still queued', async () => {
    const s = new Semaphore(1);
    const err = () => new Error('aborted');
    const hold = await s.acquire(new AbortController().signal, err);
    const ask = new AbortController();
    const other = new AbortController();
    const mine = Array.from({ length: 20 }, () => s.acquire(ask.signal, err));
    const theirs = s.acquire(other.signal, err);
    hold();
    const first = await mine[0]!;
    ask.abort();
    const settled = await Promise.allSettled(mine.slice(1));
    assert.deepEqual(new Set(settled.map((r) => r.status)), new Set(['rejected']));
    first();
    const last = await theirs;
    assert.equal(s.inUse, 1);
    last();
    assert.equal(s.inUse, 0);
  });
});
