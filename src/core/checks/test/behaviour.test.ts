import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckRun } from '../../contracts/checks';
import { agreementWeights, behaviours, type ProbedReply } from '../behaviour';

/** Runs from outputs: a literal it returned, or "!" for a crash, "T" for a time-out. */
function probed(key: string, outputs: string[], model?: string): ProbedReply {
  const runs: CheckRun[] = outputs.map((out, check) =>
    out === '!' ? { check, status: 'errored', durationMs: 1 } : out === 'T' ? { check, status: 'timedOut', durationMs: 1 } : { check, status: 'failed', actual: out, durationMs: 1 },
  );
  return { key, ...(model ? { model } : {}), runs };
}

const equal = agreementWeights(new Map([['a', 0], ['b', 0], ['c', 0]]));

test('replies returning the same everywhere share a behaviour; its support is the distinct referencer models behind it', () => {
  const b = behaviours(
    [probed('referencer:a', ['0', '[1, 2]']), probed('referencer:b', ['0', '[1,2]']), probed('referencer:c', ['1', '[1,2]']), probed('candidate:0', ['0', '[1,2]']), probed('candidate:1', ['5', '[]'])].map((p, i) => (i < 3 ? { ...p, model: 'abc'[i] } : p)),
    {},
    equal,
  );
  assert.equal(b.get('referencer:a')?.group, b.get('referencer:b')?.group, 'the same value however it is spaced');
  assert.equal(b.get('candidate:0')?.group, b.get('referencer:a')?.group);
  assert.notEqual(b.get('referencer:c')?.group, b.get('referencer:a')?.group);
  assert.ok(Math.abs((b.get('referencer:a')?.support ?? 0) - 2 / 3) < 1e-9, 'two of three equally weighted models');
  assert.equal(b.get('candidate:0')?.support, b.get('referencer:a')?.support, 'an aggregation adds nothing to what it copied');
  assert.equal(b.get('candidate:1')?.support, 0, 'a behaviour no referencer shows has no independent support');
});

test('a crash where another reply returns is counted; an input every reply crashes on tells nothing', () => {
  const b = behaviours([probed('referencer:a', ['!', '!', '3'], 'a'), probed('referencer:b', ['2', '!', 'T'], 'b')], {}, equal);
  assert.equal(b.get('referencer:a')?.crashes, 1);
  assert.equal(b.get('referencer:b')?.crashes, 1, 'the time-out counts as a crash');
  assert.notEqual(b.get('referencer:a')?.group, b.get('referencer:b')?.group);
});

test('numbers compare under the question\'s tolerance', () => {
  const b = behaviours([probed('referencer:a', ['0.3333333'], 'a'), probed('referencer:b', ['0.33333334'], 'b')], { tolerance: 1e-6 }, equal);
  assert.equal(b.get('referencer:a')?.group, b.get('referencer:b')?.group);
});

test('a model\'s say is half an equal share and half its share of the priors', () => {
  const w = agreementWeights(new Map([['strong', 3], ['weak', 1]]));
  assert.ok(Math.abs((w.get('strong') ?? 0) - (0.25 + 0.375)) < 1e-9);
  assert.ok(Math.abs((w.get('weak') ?? 0) - (0.25 + 0.125)) < 1e-9);
  assert.ok((w.get('strong') ?? 0) < (w.get('weak') ?? 0) * 2, 'a strong model does not outvote two weak ones alone');
});
