import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { AskResult, PipelineEvent } from '../../core/contracts/events';
import type { ReplyRef, SelectedBy } from '../../core/contracts/checks';
import { createRun, reduceRun, type RunState } from '../runState';
import { chosenInsteadLine, liveAnswer } from '../liveAnswer';

const usage = { promptTokens: 10, completionTokens: 5 };
const FIRST = 'Use a **dict**: lookups are O(1) on average.';
const SECOND = 'A set is best when you only test membership.';
const REFERENCE = 'alpha says: a list is fine.';

/** The run after `events`, from a fresh one. */
const after = (events: readonly PipelineEvent[], run: RunState = createRun('r1', 'Which container?', 1000)): RunState =>
  events.reduce((r, event, i) => reduceRun(r, { type: 'event', event, at: 2000 + i }), run);

/** The run's start: two referencers answer, two subsets drawn, both aggregations begun. */
const START: PipelineEvent[] = [
  { type: 'retrieve', ms: 2, supportCount: 12, priors: [], referencers: ['alpha', 'beta'] },
  { type: 'referencer-done', reference: { model: 'alpha', ok: true, latencyMs: 10, usage, text: REFERENCE, reasoning: '' } },
  { type: 'referencer-done', reference: { model: 'beta', ok: true, latencyMs: 10, usage, text: 'beta says: a dict.', reasoning: '' } },
  { type: 'subsets', aggregator: 'alpha', subsets: [['alpha'], ['beta']], draws: [1, 1] },
  { type: 'aggregation-started', index: 0, subset: ['alpha'] },
  { type: 'aggregation-started', index: 1, subset: ['beta'] },
];

/** Candidate `index` writes `text` word by word. */
const writes = (index: number, text: string): PipelineEvent[] => text.split(/(?<= )/).map((piece) => ({ type: 'aggregation-delta', index, text: piece }));
const written = (index: number, text: string): PipelineEvent => ({ type: 'aggregation-done', index, latencyMs: 20, usage, text, reasoning: '' });

/** The run's end: candidate 0 wrote FIRST and 1 SECOND (or as `texts` says); the answer is `reply`, chosen by `selectedBy`. */
function done(reply: ReplyRef, selectedBy: SelectedBy = 'score', texts: [string, string] = [FIRST, SECOND]): PipelineEvent {
  const result = {
    question: 'Which container?',
    support: { count: 12 },
    priors: [],
    referencers: [{ model: 'alpha', ok: true, latencyMs: 10, usage, text: REFERENCE, reasoning: '' }],
    candidates: texts.map((text, index) => ({ index, subset: ['alpha'], draws: 1, ok: true, text, reasoning: '', similarity: 0.5, perplexity: 1, total: 0.5 })),
    winner: reply.kind === 'candidate' ? reply.index : 0,
    selectedBy,
    bestByChecks: null,
    answer: { reply, because: reply.kind === 'candidate' ? 'score' : 'checks' },
  } as unknown as AskResult;
  return { type: 'done', result };
}

test('nothing shows while no aggregation has written (an empty delta writes nothing)', () => {
  const run = after([...START, { type: 'aggregation-delta', index: 1, text: '' }]);
  assert.equal(run.answerStream, undefined);
  assert.equal(liveAnswer(run), undefined);
});

test('the first aggregation to write shows as it grows, said to be not yet chosen; the others do not take its place', () => {
  const early = after([...START, ...writes(1, 'A set '), ...writes(0, 'Use a ')]);
  assert.deepEqual(liveAnswer(early), { index: 1, state: 'writing', text: 'A set ', head: 'Being written by candidate 2; the choice comes when every candidate is scored' });
  const later = after([...writes(1, 'is best '), ...writes(0, '**dict**')], early);
  assert.equal(liveAnswer(later)?.text, 'A set is best ', 'its own words only, as they come');
  const whole = after([written(1, SECOND)], later);
  assert.deepEqual(liveAnswer(whole), { index: 1, state: 'written', text: SECOND, head: 'Written by candidate 2; the choice comes when every candidate is scored' });
});

test('the first writer chosen: the card becomes the answer with no line; the same text chosen under another candidate says nothing either', () => {
  const run = after([...START, ...writes(0, FIRST), written(0, FIRST), ...writes(1, SECOND), written(1, SECOND), done({ kind: 'candidate', index: 0 })]);
  assert.equal(liveAnswer(run), undefined, 'a finished run shows its answer, not the live one');
  assert.equal(chosenInsteadLine(run), undefined);
  const same = after([...START, ...writes(1, FIRST), written(1, `${FIRST}\n`), ...writes(0, FIRST), written(0, FIRST), done({ kind: 'candidate', index: 0 }, 'score', [FIRST, `${FIRST}\n`])]);
  assert.equal(same.answerStream?.index, 1);
  assert.equal(chosenInsteadLine(same), undefined, 'candidate 1 is the reply candidate 2 wrote');
});

test('another reply chosen: the line says which and why, in the chat\'s words, the shown candidate named as gone from the card', () => {
  const events = [...START, ...writes(0, FIRST), written(0, FIRST), ...writes(1, SECOND), written(1, SECOND)];
  assert.equal(chosenInsteadLine(after([...events, done({ kind: 'candidate', index: 1 }, 'checks')])), 'Chosen instead: candidate 2, which passes more of the checks; candidate 1, shown while it was written, was not chosen.');
  assert.equal(chosenInsteadLine(after([...events, done({ kind: 'candidate', index: 1 })])), 'Chosen instead: candidate 2, which the hybrid score ranks first; candidate 1, shown while it was written, was not chosen.');
  assert.equal(chosenInsteadLine(after([...events, done({ kind: 'referencer', model: 'alpha' }, 'checks')])), "Chosen instead: alpha's own reply, which passes more of the checks; candidate 1, shown while it was written, was not chosen.");
  const taken = reduceRun(after([...events, done({ kind: 'candidate', index: 1 }, 'checks')]), { type: 'choose', index: 0 });
  assert.equal(chosenInsteadLine(taken), undefined, "the user's own choice: the card's head says so");
});

test('subsets drawn again while the first writer wrote: its words stop showing, the head says why, and the answer says so when done', () => {
  const redrawn = after([...START, ...writes(0, 'Use a '), { type: 'subsets', aggregator: 'alpha', subsets: [['beta'], ['alpha', 'beta']], draws: [1, 1] }, ...writes(0, SECOND)]);
  assert.deepEqual(liveAnswer(redrawn), { index: 0, state: 'broken', text: '', head: 'The reply being written stopped before it was complete; the choice comes when every candidate is scored' });
  const run = after([written(0, SECOND), ...writes(1, FIRST), written(1, FIRST), done({ kind: 'candidate', index: 0 }, 'score', [SECOND, FIRST])], redrawn);
  assert.equal(chosenInsteadLine(run), 'Chosen instead: candidate 1: the reply shown while it was written stopped before it was complete.', 'unnamed: candidate 1 of the new subsets is another aggregation');
});

test('the first writer failed: its partial words are not shown as the answer, and the chosen one says why', () => {
  const failed = after([...START, ...writes(0, 'Use a '), { type: 'aggregation-failed', index: 0, error: 'connection lost', kind: 'connection' }, ...writes(1, SECOND)]);
  assert.equal(liveAnswer(failed)?.state, 'broken');
  assert.equal(liveAnswer(failed)?.text, '');
  const otherFailed = after([...START, ...writes(0, 'Use a '), { type: 'aggregation-failed', index: 1, error: 'connection lost', kind: 'connection' }]);
  assert.equal(liveAnswer(otherFailed)?.state, 'writing', "another aggregation's failure breaks nothing");
  const run = after([written(1, SECOND), done({ kind: 'candidate', index: 1 }, 'score', ['', SECOND])], failed);
  assert.equal(chosenInsteadLine(run), 'Chosen instead: candidate 2: the reply shown while it was written stopped before it was complete.');
});

test('no aggregation (the agreement shortcut): no live card, and no line once done', () => {
  const events: PipelineEvent[] = [
    { type: 'retrieve', ms: 2, supportCount: 12, priors: [], referencers: ['alpha'] },
    { type: 'referencer-delta', model: 'alpha', kind: 'text', text: REFERENCE },
  ];
  assert.equal(liveAnswer(after(events)), undefined);
  const run = after([...events, { type: 'scored', candidates: [], winner: -1, logprobsUsed: false }, done({ kind: 'referencer', model: 'alpha' }, 'agreement', [FIRST, SECOND])]);
  assert.equal(run.answerStream, undefined);
  assert.equal(chosenInsteadLine(run), undefined);
});

test('a stopped or failed run has no live answer: the card hides, the words stay on their candidate card', () => {
  const writing = after([...START, ...writes(0, 'Use a ')]);
  const stopped = reduceRun(writing, { type: 'cancelled', at: 3000 });
  assert.equal(liveAnswer(stopped), undefined);
  assert.equal(chosenInsteadLine(stopped), undefined);
  assert.equal(stopped.candidates.find((c) => c.index === 0)?.status, 'abandoned', 'its card says it was cut short');
  const failed = after([{ type: 'error', message: 'every endpoint failed', kind: 'connection', causes: [] }], writing);
  assert.equal(failed.status, 'error');
  assert.equal(liveAnswer(failed), undefined);
});
