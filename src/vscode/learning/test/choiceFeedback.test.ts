import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { AskResult } from '../../../core/contracts/events';
import { ChoiceEmitter, type ReplyChoice } from '../choiceFeedback';

test('choice listeners all receive the event; a throwing listener is reported and does not stop others', () => {
  const emitter = new ChoiceEmitter();
  const seen: string[] = [];
  const errors: unknown[] = [];
  const first = emitter.onDidChooseReply(() => {
    throw new Error('listener broke');
  });
  emitter.onDidChooseReply((c) => seen.push(`${c.kind}:${c.chosenIndex}`));
  const choice: ReplyChoice = { kind: 'chosen', runId: 'r1', question: 'q', earlier: [], result: {} as AskResult, chosenIndex: 2, chosenText: 't', learn: true };
  emitter.fire(choice, (e) => errors.push(e));
  assert.deepEqual(seen, ['chosen:2']);
  assert.equal(errors.length, 1);
  first.dispose();
  emitter.fire({ ...choice, kind: 'reverted', chosenIndex: 0 }, (e) => errors.push(e));
  assert.deepEqual(seen, ['chosen:2', 'reverted:0']);
  assert.equal(errors.length, 1);
});
