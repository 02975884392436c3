import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRun, reduceRun, type RunState } from '../runState';
import { keptTurns, listThreads, threadCost, threadRuns, withRetryInPlace } from '../threads';

/** A finished run of `threadId` whose candidates 0 and 1 answered `a0` and `a1` (0 won), started at `at`. */
function answered(id: string, threadId: string, question: string, at: number, costUsd: number | null = null): RunState {
  const run = createRun(id, question, at, threadId);
  const done: RunState = {
    ...run,
    status: 'done',
    winner: 0,
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' },
    costUsd,
    candidates: [0, 1].map((index) => ({ index, subset: [], status: 'done' as const, text: `${id}-a${index}` })),
  };
  return done;
}

const runs: RunState[] = [
  answered('r1', 't1', 'How do I sort a list?', 100, 0.02),
  answered('r2', 't2', 'What is a closure?', 200),
  answered('r3', 't1', 'and in place?', 300, 0.01),
  { ...createRun('r4', 't1', 400, 't1'), status: 'error', error: { message: 'x', kind: 'connection', causes: [] } },
];

test('threads are listed most recent first, titled by their first question, with turn counts and cost', () => {
  assert.deepEqual(
    listThreads(runs).map((t) => [t.id, t.title, t.turns, t.costUsd]),
    [
      ['t1', 'How do I sort a list?', 3, 0.03],
      ['t2', 'What is a closure?', 1, null],
    ],
  );
  assert.deepEqual(threadRuns(runs, 't1').map((r) => r.id), ['r1', 'r3', 'r4']);
  assert.equal(threadCost([]), null);
});

test('conversations of similar exercises get what tells them apart: the function they define, else their own first line', () => {
  const exercise = (name: string, example: string): string =>
    `Complete the following Python function so that every doctest passes.\n\n\`\`\`python\ndef ${name}(numbers):\n    """\n    >>> ${example}\n    """\n\`\`\``;
  const similar = [
    answered('a', 'ta', exercise('below_zero', 'below_zero([1, -2])'), 100),
    answered('b', 'tb', exercise('mean_deviation', 'mean_deviation([1, 2])'), 200),
    answered('c', 'tc', 'Complete the following Python function so that every doctest passes.\nUse a loop.', 300),
    answered('d', 'td', 'What is a closure?', 400),
  ];
  assert.deepEqual(
    listThreads(similar).map((t) => [t.id, t.detail]),
    [
      ['td', undefined],
      ['tc', 'Use a loop.'],
      ['tb', 'mean_deviation'],
      ['ta', 'below_zero'],
    ],
  );
});

test('the turns a follow-up carries are the answered runs with the reply the user kept', () => {
  const chosen = runs.map((r) => (r.id === 'r3' ? reduceRun(r, { type: 'choose', index: 1 }) : r));
  assert.deepEqual(keptTurns(chosen, 't1', (r) => `Q: ${r.question}`), [
    { question: 'Q: How do I sort a list?', answer: 'r1-a0' },
    { question: 'Q: and in place?', answer: 'r3-a1' },
  ]);
  assert.deepEqual(keptTurns(runs, 'nope', (r) => r.question), []);
});

test('Retry on a failed turn takes its place: a two-turn thread still has two turns, and its question is sent once', () => {
  const failed: RunState = { ...createRun('f2', 'and in place?', 300, 't9'), status: 'error', error: { message: 'every referencer failed', kind: 'connection', causes: [] } };
  const before = [answered('f1', 't9', 'How do I sort a list?', 100), failed];
  const retry = createRun('f3', 'and in place?', 500, 't9');
  const after = withRetryInPlace(before, 'f2', retry);
  assert.deepEqual(threadRuns(after, 't9').map((r) => r.id), ['f1', 'f3']);
  assert.equal(listThreads(after)[0]?.turns, 2);
  const send = (run: RunState) => run.question;
  // What the retry carries as history: the answered turn before it, not the failed one.
  assert.deepEqual(keptTurns(before, 't9', send).map((t) => t.question), ['How do I sort a list?']);
  // Once the retry is answered, the next question carries each question once.
  const answeredRetry = after.map((r) => (r.id === 'f3' ? answered('f3', 't9', 'and in place?', 500) : r));
  assert.deepEqual(keptTurns(answeredRetry, 't9', send).map((t) => t.question), ['How do I sort a list?', 'and in place?']);
});

test('a retry keeps a stopped run (the replies it received) and a failed run of another thread', () => {
  const stopped: RunState = { ...createRun('s1', 'q', 100, 'ta'), status: 'cancelled' };
  const failedElsewhere: RunState = { ...createRun('s2', 'q', 200, 'tb'), status: 'error', error: { message: 'x', kind: 'connection', causes: [] } };
  assert.deepEqual(withRetryInPlace([stopped], 's1', createRun('s3', 'q', 300, 'ta')).map((r) => r.id), ['s1', 's3']);
  assert.deepEqual(withRetryInPlace([failedElsewhere], 's2', createRun('s4', 'q', 300, 'tc')).map((r) => r.id), ['s2', 's4']);
  assert.deepEqual(withRetryInPlace([failedElsewhere], undefined, createRun('s5', 'q', 300, 'tb')).map((r) => r.id), ['s2', 's5']);
});

test('a turn asked again with more models ("Use them anyway") gives its place in the history to that answer once it is in', () => {
  const first = answered('u1', 't8', 'How do I sort a list?', 100);
  const next = answered('u2', 't8', 'and in place?', 200);
  const again: RunState = { ...createRun('u3', 'How do I sort a list?', 300, 't8'), askedAgain: { runId: 'u1', models: ['qwen'] } };
  const send = (run: RunState) => `${run.id}: ${run.question}`;
  assert.deepEqual(keptTurns([first, next, again], 't8', send).map((t) => t.question), ['u1: How do I sort a list?', 'u2: and in place?'], 'while it runs, the first answer stands');
  const done = answered('u3', 't8', 'How do I sort a list?', 300);
  assert.deepEqual(keptTurns([first, next, { ...done, askedAgain: again.askedAgain }], 't8', send).map((t) => t.question), ['u2: and in place?', 'u3: How do I sort a list?']);
});
