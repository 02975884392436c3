/** The chat's progress line reads the run's progress stage by stage, as the issue words it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatAnswerLine, chatProgressLine, replyPreview } from '../chatText';
import { createRun } from '../runState';
import type { RunProgress } from '../runProgress';

const counts = (ok: number, total: number) => ({ ok, failed: 0, stopped: 0, late: 0, total });
const progress = (over: Partial<RunProgress>): RunProgress => ({ phase: 'referencers', referencers: counts(0, 3), aggregations: counts(0, 0), models: ['a', 'b', 'c'], ...over });

test('the progress line: asking, replies in, candidates being written (the count kept once all are), checks, and a wait with its reason', () => {
  assert.equal(chatProgressLine(progress({ phase: 'embedding' })), 'choosing the models for this question');
  assert.equal(chatProgressLine(progress({ referencers: counts(2, 3) })), 'asking 3 models · 2 of 3 in');
  assert.equal(chatProgressLine(progress({ phase: 'aggregations', referencers: counts(3, 3), aggregations: counts(1, 4) })), 'asking 3 models · 3 of 3 in · writing 4 candidates · 1 of 4 written');
  assert.equal(
    chatProgressLine(progress({ phase: 'checks', referencers: counts(3, 3), aggregations: counts(4, 4), checks: { count: 5, source: 'question' } })),
    'asking 3 models · 3 of 3 in · writing 4 candidates · 4 of 4 written · checks 5',
  );
  assert.equal(chatProgressLine(progress({ referencers: counts(1, 3), waiting: { who: 'b', ms: 2500, reason: 'rate limited' } })), 'asking 3 models · 1 of 3 in · b waits 3 s (rate limited)');
});

test('the line under the answer says where the final answers agree, in the panel\'s words, before any candidate line', () => {
  const run = {
    ...createRun('r1', 'Which option?', 0),
    agreement: {
      basis: 'answer' as const,
      answer: 'D',
      agreeing: 2,
      of: 3,
      support: 1.2,
      split: [{ answer: 'D', models: ['a', 'b'], support: 1.2 }],
      options: true,
      answers: [
        { reply: { kind: 'referencer' as const, model: 'a' }, answer: 'D' },
        { reply: { kind: 'referencer' as const, model: 'b' }, answer: 'D' },
        { reply: { kind: 'referencer' as const, model: 'c' }, answer: null },
      ],
    },
  };
  assert.equal(chatAnswerLine(run), '2 of 3 models answer (D); 1 gives no final answer');
  assert.equal(chatAnswerLine(createRun('r2', 'Why?', 0)), undefined, 'no final answers and no candidate: no line');
});

test('a reply previewed for the candidate list reads as words: no markdown marks, code blocks passed over, cut to 120', () => {
  assert.equal(replyPreview('## Why\n\n`Context.invoke` calls **the callback** with [its params](https://x.test/p) — *not* `Command.invoke`.'), 'Why');
  assert.equal(
    replyPreview('\n> - Use `multiple=True`: the default is an _empty_ tuple, ~~None~~ never.\n'),
    'Use multiple=True: the default is an empty tuple, None never.',
  );
  assert.equal(replyPreview('```python\n@click.option("--n", multiple=True)\n```\n\n1. Pass **`default=None`** to keep None.'), 'Pass default=None to keep None.');
  assert.equal(replyPreview('~~~ts\nconst a = 1;\n```\nconst b = 2;\n~~~\n'), 'code, 3 lines');
  assert.equal(replyPreview('snake_case_name and 2 * 3 * 4 stay as written'), 'snake_case_name and 2 * 3 * 4 stay as written');
  const long = replyPreview(`${'word '.repeat(40)}\nsecond line`);
  assert.equal(Array.from(long).length, 120);
  assert.ok(long.endsWith('word…'), long);
  assert.equal(replyPreview(''), '');
});
