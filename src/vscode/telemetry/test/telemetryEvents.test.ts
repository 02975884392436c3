import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { AskResult } from '../../../core/contracts/events';
import { askDoneEvent, askErrorEvent, replyChosenEvent, telemetryEvent } from '../telemetryEvents';

const SECRET_QUESTION = 'How do I parse /home/alice/secret-project/config.yaml?';
const SECRET_ANSWER = 'Use yaml.load(open("/home/alice/secret-project/config.yaml"))';
const SECRET_KEY = 'sk-or-v1-abcdef0123456789';
const SECRET_HOST = 'gpu-box.internal.example:8000';
const SECRET_MODEL = 'alice/private-finetune-7b';

function leakyResult(): AskResult {
  return {
    question: SECRET_QUESTION,
    support: { count: 17 },
    priors: [{ model: SECRET_MODEL, prior: 1, unprofiled: false }],
    referencers: [
      { model: SECRET_MODEL, ok: true, latencyMs: 120, usage: { promptTokens: 5, completionTokens: 7 }, text: SECRET_ANSWER, reasoning: SECRET_ANSWER },
      { model: 'm2', ok: false, error: `HTTP 401 from http://${SECRET_HOST}/v1 with key ${SECRET_KEY}`, latencyMs: 3, usage: { promptTokens: 0, completionTokens: 0 }, text: '', reasoning: '' },
    ],
    aggregator: SECRET_MODEL,
    candidates: [
      { index: 0, subset: [SECRET_MODEL], draws: 1, ok: true, text: SECRET_ANSWER, reasoning: SECRET_ANSWER, similarity: 1, perplexity: 1.1, total: 0.9 },
      { index: 1, subset: [SECRET_MODEL], draws: 1, ok: false, error: SECRET_KEY, text: '', reasoning: '', similarity: 0, perplexity: null, total: 0 },
    ],
    winner: 0,
    selectedBy: 'score',
    bestByChecks: null,
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' },
    logprobsUsed: true,
    trimmedReferences: [SECRET_MODEL],
    timings: { embedMs: 1, retrieveMs: 2, referencersMs: 3, aggregateMs: 4, scoreMs: 5, totalMs: 15 },
    usage: { promptTokens: 50, completionTokens: 60 },
    calls: [{ stage: 'referencer', model: SECRET_MODEL, tokens: { prompt: 5, completion: 7 }, costUsd: 0.01, latencyMs: 120, estimated: false }],
    costUsd: 0.01,
    tokens: { prompt: 5, completion: 7 },
    conversation: { turns: 2, dropped: [{ stage: 'referencer', model: SECRET_MODEL, turns: 1 }] },
    cappedOutput: [{ stage: 'aggregation', model: SECRET_MODEL, maxTokens: 100 }],
  };
}

function assertClean(payload: unknown): void {
  const json = JSON.stringify(payload);
  for (const secret of [SECRET_QUESTION, SECRET_ANSWER, SECRET_KEY, SECRET_HOST, SECRET_MODEL, 'alice', 'secret-project', 'yaml']) {
    assert.ok(!json.includes(secret), `telemetry payload contains ${JSON.stringify(secret)}: ${json}`);
  }
}

test('ask.done carries counts, timings and the winner, and no question, answer, model, host or key', () => {
  const event = askDoneEvent(leakyResult(), 'balanced');
  assertClean(event);
  assert.equal(event.name, 'ask.done');
  assert.deepEqual(event.measurements, {
    referencers: 2, referencersOk: 1, candidates: 2, candidatesOk: 1, winner: 0, supportCount: 17,
    embedMs: 1, retrieveMs: 2, referencersMs: 3, aggregateMs: 4, scoreMs: 5, totalMs: 15,
    promptTokens: 50, completionTokens: 60, questionChars: SECRET_QUESTION.length, calls: 1, turns: 2, droppedTurns: 1, cappedOutputs: 1,
  });
  assert.deepEqual(event.properties, { logprobsUsed: 'true', selectionFallback: 'none', fellBack: 'false', referenceByChecks: 'false', preset: 'balanced' });
});

test('ask.done says whether the checks answered with a reference, never which model', () => {
  const event = askDoneEvent({ ...leakyResult(), selectedBy: 'checks', answer: { reply: { kind: 'referencer', model: SECRET_MODEL }, because: 'checks' }, bestByChecks: { kind: 'referencer', model: SECRET_MODEL, passed: 3, total: 3 } }, 'quality');
  assertClean(event);
  assert.equal(event.properties.referenceByChecks, 'true');
  assert.equal(event.properties.fellBack, 'false', 'a reference the checks chose is no fallback');
});

test('unknown fields and non-enumerated values are dropped, not reported', () => {
  const event = telemetryEvent(
    'reply.chosen',
    { reverted: SECRET_QUESTION, question: SECRET_QUESTION, key: SECRET_KEY },
    { chosen: 2, winner: Number.NaN, answer: SECRET_ANSWER, extra: 5 },
  );
  assertClean(event);
  assert.deepEqual(event.properties, {});
  assert.deepEqual(event.measurements, { chosen: 2 });
});

test('ask.error reports only the error kind, the count of causes and the stage', () => {
  const event = askErrorEvent('auth', 1, 'referencers', 1234);
  assertClean(event);
  assert.deepEqual(event.properties, { errorKind: 'auth', stage: 'referencers' });
  assert.deepEqual(event.measurements, { elapsedMs: 1234, causes: 1 });
  assert.deepEqual(askErrorEvent('internal', 0, SECRET_QUESTION, 1).properties, { errorKind: 'internal' });
});

test('config.invalid names only known setting ids', () => {
  assert.deepEqual(telemetryEvent('config.invalid', { setting: 'smcs.endpoints' }, {}).properties, { setting: 'smcs.endpoints' });
  assert.deepEqual(telemetryEvent('config.invalid', { setting: `smcs.endpoints[${SECRET_HOST}]` }, {}).properties, {});
});

test('reply.chosen records chosen vs winner, and whether the choice went back to the run’s answer', () => {
  const event = replyChosenEvent(3, 0, 8, false);
  assert.deepEqual(event, { name: 'reply.chosen', properties: { reverted: 'false' }, measurements: { chosen: 3, winner: 0, candidates: 8 } });
  assert.equal(replyChosenEvent(0, 0, 8, true).properties.reverted, 'true');
  // The checks answered with a reference (−1): going back to it is a revert, choosing the best candidate is not.
  assert.equal(replyChosenEvent(-1, 0, 8, true).properties.reverted, 'true');
  assert.equal(replyChosenEvent(0, 0, 8, false).properties.reverted, 'false');
});
