import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AskResult, PipelineEvent } from '../../core/contracts/events';
import { TerminalAnswer } from '../terminalAnswer';

const delta = (text: string, index = 0): PipelineEvent => ({ type: 'aggregation-delta', index, text });

/** A terminal answer writing to a string, and how often it said it was beginning. */
function terminal(): { answer: TerminalAnswer; out: () => string; beginnings: () => number } {
  let out = '';
  let beginnings = 0;
  const answer = new TerminalAnswer((text) => void (out += text), () => void beginnings++);
  return { answer, out: () => out, beginnings: () => beginnings };
}

const chosen = (text: string): AskResult => ({ answer: { reply: { kind: 'candidate', index: 0 } }, selectedBy: 'score', referencers: [], candidates: [{ index: 0, text }] }) as unknown as AskResult;

test('the words are stripped as they stream, an escape sequence split between pieces included; the summary follows after a blank line', () => {
  const { answer, out, beginnings } = terminal();
  const pieces = ['Use \u001b]52;c;cm0g', 'LXJmIH4=\u0007reversed', '(xs).\u001b[3', '1m Done.'];
  for (const piece of pieces) answer.event(delta(piece));
  assert.equal(out(), 'Use reversed(xs). Done.');
  assert.equal(beginnings(), 1, 'the progress line is told once, before the first words');
  answer.finish(chosen(pieces.join('')), 'answer: candidate 1 of 1\u001b[2J, the highest score');
  assert.equal(out(), 'Use reversed(xs). Done.\n\nanswer: candidate 1 of 1, the highest score\n');
});

test('a run that failed after words went out ends them on a line of their own; one that streamed nothing writes nothing', () => {
  const { answer, out } = terminal();
  answer.event(delta('Use reversed'));
  answer.cutShort('failed');
  assert.equal(out(), 'Use reversed\n\n---\n*The run failed: the answer above was cut short.*\n');
  const quiet = terminal();
  quiet.answer.cutShort('stopped');
  assert.deepEqual([quiet.out(), quiet.beginnings()], ['', 0]);
});
