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
});
