import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AskResult, PipelineEvent } from '../../core/contracts/events';
import { answerText } from '../../core/contracts/answer';
import { StreamedAnswer } from '../streamedAnswer';

const finish = (answer: StreamedAnswer, result: AskResult): void => answer.finish(result, answerText(result));

/** What a client reads: the role once, then the content deltas in order. */
function client(): { answer: StreamedAnswer; read: () => { roles: number; text: string; deltas: string[] } } {
  let roles = 0;
  const deltas: string[] = [];
  const answer = new StreamedAnswer({ role: () => void roles++, content: (text) => void deltas.push(text) });
  return { answer, read: () => ({ roles, text: deltas.join(''), deltas }) };
}

const FIRST = 'Use a dict: lookups are O(1) on average.';
const SECOND = 'A set is best when you only test membership.';

/** A scored run whose answer is `reply`, its candidates 0 and 1 the two texts above. */
const result = (reply: AskResult['answer']['reply'], selectedBy: AskResult['selectedBy'] = 'score'): AskResult =>
  ({
    answer: { reply },
    selectedBy,
    referencers: [{ model: 'alpha', text: 'alpha says: a list is fine.' }],
    candidates: [
      { index: 0, text: FIRST },
      { index: 1, text: SECOND },
    ],
  }) as unknown as AskResult;

const words = (index: number, text: string): PipelineEvent[] => text.split(/(?<= )/).map((piece) => ({ type: 'aggregation-delta', index, text: piece }));

test('the first aggregation streams as it is written; chosen, nothing is added and nothing repeated', () => {
  const { answer, read } = client();
  for (const e of [...words(0, FIRST.slice(0, 20)), ...words(1, 'A set'), ...words(0, FIRST.slice(20))]) answer.event(e);
  assert.equal(read().text, FIRST, 'only the first aggregation to write streams');
  assert.ok(read().deltas.length >= 5);
  finish(answer, result({ kind: 'candidate', index: 0 }));
  assert.deepEqual([read().roles, read().text], [1, FIRST]);
});

test('another reply chosen: the stream says which and why, then appends it — what was read is never taken back', () => {
  const { answer, read } = client();
  for (const e of words(0, FIRST)) answer.event(e);
  finish(answer, result({ kind: 'candidate', index: 1 }, 'checks'));
  assert.equal(read().text, `${FIRST}\n\n---\n*Chosen instead: candidate 2, which passes more of the checks; candidate 1 above was not chosen.*\n\n${SECOND}`);
  const { answer: other, read: readOther } = client();
  for (const e of words(0, FIRST)) other.event(e);
  finish(other, result({ kind: 'referencer', model: 'alpha' }, 'checks'));
  assert.match(readOther().text, /\*Chosen instead: alpha's own reply, which passes more of the checks; candidate 1 above was not chosen\.\*\n\nalpha says: a list is fine\.$/);
});

test('a streaming aggregation that failed, or whose subsets were drawn again, is followed by the chosen answer with why', () => {
  for (const breaking of [{ type: 'aggregation-failed', index: 0, error: 'connection lost', kind: 'connection' }, { type: 'subsets', aggregator: 'agg', subsets: [['alpha']], draws: [2] }] as PipelineEvent[]) {
    const { answer, read } = client();
    for (const e of words(0, FIRST.slice(0, 12))) answer.event(e);
    answer.event(breaking);
    for (const e of words(0, 'more words that must not stream')) answer.event(e);
    finish(answer, result({ kind: 'candidate', index: 0 }));
    assert.equal(read().text, `${FIRST.slice(0, 12)}\n\n---\n*Chosen instead: candidate 1: the reply above stopped before it was complete.*\n\n${FIRST}`, breaking.type);
  }
});

test('a run in which nothing streamed (no aggregation, the agreement shortcut) sends its answer whole at the end', () => {
  const { answer, read } = client();
  answer.event({ type: 'referencer-delta', model: 'alpha', kind: 'text', text: 'not the answer' });
  finish(answer, result({ kind: 'referencer', model: 'alpha' }, 'agreement'));
  assert.deepEqual([read().roles, read().text], [1, 'alpha says: a list is fine.']);
});

test('the streamed candidate chosen but finished otherwise (reasoning before a lone </think>) is not called "chosen instead"', () => {
  const { answer, read } = client();
  for (const e of words(0, `Let me think. ${FIRST}`)) answer.event(e);
  finish(answer, result({ kind: 'candidate', index: 0 }));
  assert.equal(read().text, `Let me think. ${FIRST}\n\n---\n*The answer as finished: candidate 1, its reasoning set apart.*\n\n${FIRST}`);
  assert.doesNotMatch(read().text, /Chosen instead/);
});

test('a run stopped or failed after words went out ends them with a line saying so; before any word, nothing is written', () => {
  for (const [how, line] of [['stopped', 'Stopped'], ['failed', 'The run failed']] as const) {
    const { answer, read } = client();
    for (const e of words(0, FIRST.slice(0, 12))) answer.event(e);
    answer.cutShort(how);
    assert.equal(read().text, `${FIRST.slice(0, 12)}\n\n---\n*${line}: the answer above was cut short.*\n`);
  }
  const { answer: whole, read: readWhole } = client();
  for (const e of words(0, FIRST)) whole.event(e);
  whole.event({ type: 'aggregation-done', index: 0, latencyMs: 1, usage: { promptTokens: 1, completionTokens: 1 }, text: FIRST, reasoning: '' });
  whole.cutShort('stopped');
  assert.equal(readWhole().text, `${FIRST}\n\n---\n*Stopped before an answer was chosen: candidate 1 above is complete, but was not compared with the other replies.*\n`, 'its aggregation had finished: not called cut short');
  const { answer, read } = client();
  answer.cutShort('stopped');
  assert.deepEqual([read().roles, read().text], [0, '']);
});
