/** How a run reads in `@smcs`: the progress line stage by stage, the lines under the answer, a stopped run, the replies to choose from. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatAnswerLines, chatContextLines, chatProgressLine, chatStopped, literalMarkdown, replyChoiceItems, replyPreview } from '../chatText';
import { createRun, type RunState } from '../runState';
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

test('the progress line counts failures apart from arrivals, and names who is still awaited', () => {
  const failing = { ok: 0, failed: 2, stopped: 0, late: 0, total: 3 };
  assert.equal(chatProgressLine(progress({ referencers: failing })), 'asking 3 models · 0 of 3 in · 2 failed');
  const run = { referencers: [{ model: 'a', status: 'done' }, { model: 'b', status: 'failed' }, { model: 'c', status: 'streaming' }] } as unknown as Pick<RunState, 'referencers'>;
  assert.equal(chatProgressLine(progress({ referencers: { ...counts(1, 3), failed: 1 } }), run), 'asking 3 models · 1 of 3 in · 1 failed · waiting for c');
  assert.equal(chatProgressLine(progress({ phase: 'aggregations', referencers: counts(3, 3), aggregations: { ok: 1, failed: 1, stopped: 0, late: 0, total: 2 } })), 'asking 3 models · 3 of 3 in · writing 2 candidates · 1 of 2 written · 1 failed');
});

/** A finished run: candidates 1 and 2 (1 passes the example, 2 fails it), referencer b's reply the answer by the checks. */
function checkedRun(): RunState {
  const checks = (passed: number) => ({ passed, failed: 1 - passed, errored: 0, timedOut: 0, total: 1 });
  return {
    ...createRun('r3', 'Write add(a, b).', 0),
    status: 'done',
    referencers: [
      { model: 'a', status: 'done', text: 'def add(a, b): return a - b', checks: checks(0) },
      { model: 'b', status: 'done', text: 'def add(a, b): return a + b', checks: checks(1) },
    ],
    candidates: [
      { index: 0, status: 'done', text: 'def add(a, b): return a * b', checks: checks(0), subset: ['a', 'b'] },
      { index: 1, status: 'done', text: 'def add(a, b): return b - a', checks: checks(0), subset: ['a', 'b'] },
    ],
    winner: 0,
    answer: { reply: { kind: 'referencer', model: 'b' }, because: 'checks' },
    selectedBy: 'checks',
  } as unknown as RunState;
}

test('Use Another Candidate lists the reply shown first, then every candidate and every reference, each with its checks', () => {
  const items = replyChoiceItems(checkedRun());
  assert.deepEqual(
    items.map((i) => [i.label, i.description]),
    [
      ["b's reply", 'the answer shown · passes 1/1 example'],
      ['Candidate 1 (best candidate)', 'passes 0/1 example'],
      ['Candidate 2', 'passes 0/1 example'],
      ["a's reply", 'passes 0/1 example'],
    ],
  );
  assert.equal(items[1]?.detail, 'def add(a, b): return a * b');
  assert.match(chatAnswerLines(checkedRun()).join(' | '), /^b's reply: the checks rank it above every candidate · passes 1\/1 example$/);
});

test('Use Another Candidate says why a higher total was passed over, as the cards do', () => {
  // The checks answered with candidate 2 (passes 1/1) over candidate 1's higher total (0/1).
  const run = { ...checkedRun(), winner: 1, answer: { reply: { kind: 'candidate', index: 1 }, because: 'checks' }, bestByChecks: { kind: 'candidate', index: 1, passed: 1, total: 1 } } as unknown as RunState;
  run.candidates = [
    { ...run.candidates[0]!, total: 0.9 },
    { ...run.candidates[1]!, total: 0.4, checks: { passed: 1, failed: 0, errored: 0, timedOut: 0, total: 1, source: 'question' } },
  ];
  const described = new Map(replyChoiceItems(run).map((i) => [i.label, i.description]));
  assert.equal(described.get('Candidate 1'), 'passes 0/1 example · higher total, passed over: passes 0/1 example; candidate 2: 1/1');
  assert.equal(described.get('Candidate 2 (winner)'), 'the answer shown · passes 1/1 example · chosen by the checks: the higher totals pass fewer of them');
});

test('a stopped run in the chat: what arrived, in the panel\'s words, or that nothing had', () => {
  const run = checkedRun();
  const stopped = chatStopped({ ...run, status: 'cancelled', referencers: [run.referencers[0], { ...run.referencers[1], status: 'abandoned', text: '' }], candidates: [] } as RunState);
  assert.equal(stopped.text, 'Stopped. Replies received so far are kept below (1 of 2 models had answered).');
  assert.deepEqual(stopped.replies, [{ title: "a's reply", text: 'def add(a, b): return a - b' }]);
  assert.equal(chatStopped({ ...run, status: 'cancelled', referencers: [], candidates: [] }).text, 'Stopped. No reply had arrived.');
  const asked = run.referencers.map((r) => ({ ...r, status: 'abandoned' as const, text: '' }));
  assert.equal(chatStopped({ ...run, status: 'cancelled', referencers: asked, candidates: [] }).text, 'Stopped. No reply had arrived from the 2 models asked.');
});

test('a run stopped while the models were writing keeps and names what they had written, not "no reply had arrived"', () => {
  const run = checkedRun();
  const writing = [{ ...run.referencers[0]!, status: 'abandoned' as const, text: 'The fix belongs in the func' }, { ...run.referencers[1]!, status: 'abandoned' as const, text: '' }];
  const stopped = chatStopped({ ...run, status: 'cancelled', referencers: writing, candidates: [] });
  assert.equal(stopped.text, 'Stopped while the models were writing: what one reply had so far is kept below (0 of 2 models had finished).');
  assert.deepEqual(stopped.replies, [{ title: "a's reply, cut short", text: 'The fix belongs in the func' }]);
  // beside a finished reply, a cut one is kept too, after it
  const mixed = chatStopped({ ...run, status: 'cancelled', referencers: [run.referencers[0]!, { ...run.referencers[1]!, status: 'abandoned' as const, text: 'def add(a, b):' }], candidates: [] });
  assert.equal(mixed.text, 'Stopped. Replies received so far are kept below (1 of 2 models had answered).');
  assert.deepEqual(mixed.replies.map((r) => r.title), ["a's reply", "b's reply, cut short"]);
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
  assert.deepEqual(chatAnswerLines(run), ['2 of 3 models answer (D); 1 gives no final answer']);
  assert.deepEqual(chatAnswerLines(createRun('r2', 'Why?', 0)), [], 'no final answers and no answer yet: no line');
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

test("@smcs says what decided the context as the panel's notes line does, the files withheld summed up in one line", () => {
  const run = {
    contextNotes: [
      '.env left out: environment file',
      'deploy/app-secrets.yaml left out: secrets file',
      "not searched: its words are every JavaScript or TypeScript code base's: the closest match, lib/response.js, holds date, objects and sort, words all JavaScript or TypeScript code uses as much",
    ],
  };
  assert.deepEqual(chatContextLines(run), [
    "not searched: its words are every JavaScript or TypeScript code base's: the closest match, lib/response.js, holds date, objects and sort, words all JavaScript or TypeScript code uses as much",
    '2 files withheld: secrets',
  ]);
  assert.deepEqual(chatContextLines({}), []);
});

test('literalMarkdown: our text shows as written — a cost line that starts with a number gets no stray backslash, a list or heading mark does', () => {
  assert.equal(literalMarkdown('12.4k tokens · 6 calls'), '12.4k tokens · 6 calls');
  assert.equal(literalMarkdown('1. first\n2) second'), '1\\. first\n2\\) second');
  assert.equal(literalMarkdown('- item\n# title\n+ more'), '\\- item\n\\# title\n\\+ more');
  assert.equal(literalMarkdown('-5 °C, #3, +1'), '-5 °C, #3, +1');
  assert.equal(literalMarkdown('> quoted *bold* `code` [link](x) <b>'), '\\> quoted \\*bold\\* \\`code\\` \\[link\\](x) \\<b\\>');
});
