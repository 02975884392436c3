/** The dialogs' clock: each listener hears when a dialog was open, once it closes, however it closes. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DialogClock } from '../dialogClock';

test('a dialog is timed from its opening to its answer (or its failure), and a disposed listener hears no more', async () => {
  let now = 1_000;
  const clock = new DialogClock(() => now);
  const heard: [number, number][] = [];
  const listening = clock.onDidClose((openedAt, closedAt) => heard.push([openedAt, closedAt]));
  let answer: (value: boolean) => void = () => undefined;
  const asked = clock.time(() => new Promise<boolean>((resolve) => (answer = resolve)));
  now = 31_000;
  assert.deepEqual(heard, [], 'nothing is told while the dialog is open');
  answer(true);
  assert.equal(await asked, true, 'the dialog\'s answer is passed on');
  assert.deepEqual(heard, [[1_000, 31_000]]);
  await assert.rejects(clock.time(() => Promise.reject(new Error('closed with the window'))));
  assert.deepEqual(heard.at(-1), [31_000, 31_000], 'a dialog that failed was open too');
  listening.dispose();
  await clock.time(() => Promise.resolve(false));
  assert.equal(heard.length, 2);
});
