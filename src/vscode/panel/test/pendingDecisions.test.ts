import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PendingDecisions } from '../pendingDecisions';

/** Whether `promise` has settled by the time the microtasks queued now have run. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

test('a proposal is decided once: the decision closes its notice, and a second Accept finds nothing to apply', async () => {
  const pending = new PendingDecisions<string>();
  const notice = pending.open('a', 'change to parse.ts');
  assert.equal(pending.get('a'), 'change to parse.ts');
  assert.equal(await settled(notice), false, 'the notice stays while the choice is open');
  assert.equal(pending.take('a'), 'change to parse.ts', 'Accept in the title bar takes it');
  assert.equal(await settled(notice), true, 'and the notice offering the choice closes');
  assert.equal(pending.take('a'), undefined, 'a late click (the notice, the palette) applies nothing twice');
  assert.equal(pending.size, 0);
});

test('closing a diff drops its proposal (the file stays as it was) unless the diff is still shown elsewhere', async () => {
  const pending = new PendingDecisions<string>();
  const first = pending.open('1', 'first');
  const second = pending.open('2', 'second');
  assert.equal(pending.latest(), 'second', 'the palette means the latest');
  assert.deepEqual(pending.dropClosed(['2'], new Set(['2'])), [], 'moved to another group: still shown, still pending');
  assert.deepEqual(pending.dropClosed(['2', '2', 'unknown'], new Set(['1'])), ['second'], 'closed and shown nowhere: dropped, once');
  assert.equal(await settled(second), true, 'its notice closes');
  assert.equal(await settled(first), false, "another diff's notice stays");
  assert.equal(pending.latest(), 'first');
});

test('a proposal opened again under the same key closes the notice of the one it replaces', async () => {
  const pending = new PendingDecisions<string>();
  const old = pending.open('k', 'old');
  const fresh = pending.open('k', 'new');
  assert.equal(await settled(old), true);
  assert.equal(await settled(fresh), false);
  assert.equal(pending.get('k'), 'new');
});
