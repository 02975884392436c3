/** The first-words benchmark streams from a real `smcs serve` and reports what a person waits for (its timing goals are the bench's own, not asserted here). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serveOnLoopback, withBenchStorage } from '../../cli/serverBench';
import { benchmarkFirstWords, formatFirstWords } from '../firstWordsBench';

const TOKENS = 20;
const RATE = 200;

test('the first-words benchmark times one model and the smcs model in each scenario, with the upstream calls each made', { timeout: 60_000 }, async () => {
  const r = await withBenchStorage((dir) => benchmarkFirstWords({ serve: serveOnLoopback(dir), replyTokens: TOKENS, tokensPerSecond: RATE, k: 3, n: 4, runs: 1 }));
  assert.deepEqual(Object.keys(r).sort(), ['goals', 'k', 'n', 'oneModel', 'replyTokens', 'runs', 'smcs', 'tokensPerSecond']);
  assert.deepEqual(Object.keys(r.oneModel).sort(), ['contentDeltas', 'firstWordsMs', 'model', 'upstreamCalls', 'wholeMs']);
  assert.deepEqual(r.goals, { firstAfterOneModelMs: 1500, wholeRatio: 2.2, contentDeltas: 5 });
  assert.equal(r.oneModel.model, 'smcs/r1');
  assert.equal(r.oneModel.upstreamCalls, 1);
  // The pass-through relays the model's stream: every word a delta.
  assert.equal(r.oneModel.contentDeltas, TOKENS);
  assert.deepEqual(
    r.smcs.map((w) => [w.scenario, w.agreementShortcut, w.repliesAgree]),
    [
      ['shortcut off', false, false],
      ['shortcut on, replies differ', true, false],
      ['shortcut on, replies agree', true, true],
    ],
  );
  // The referencers write their whole replies, one word every 1000 / RATE ms, before any answer can begin.
  const referencersDoneMs = TOKENS * (1000 / RATE);
  for (const w of r.smcs) {
    assert.deepEqual(Object.keys(w).sort(), ['aggregations', 'agreementShortcut', 'contentDeltas', 'firstAfterOneModelMs', 'firstWordsMs', 'met', 'repliesAgree', 'scenario', 'upstreamCalls', 'wholeMs', 'wholeRatio']);
    assert.ok(w.firstWordsMs >= referencersDoneMs, `${w.scenario}: first words at ${w.firstWordsMs} ms, before the referencers' replies could have ended (${referencersDoneMs} ms)`);
    assert.ok(w.firstWordsMs <= w.wholeMs, `${w.scenario}: first words at ${w.firstWordsMs} ms, after the whole answer (${w.wholeMs} ms)`);
    assert.ok(w.contentDeltas > 1, `${w.scenario}: the answer came in ${w.contentDeltas} delta(s)`);
    assert.equal(w.firstAfterOneModelMs, w.firstWordsMs - r.oneModel.wholeMs);
    // To two decimals (a bound of 0.005 failed once on a ratio at the half: 0.005 and a float's last bit).
    assert.equal(w.wholeRatio, Math.round((w.wholeMs / r.oneModel.wholeMs) * 100) / 100, `${w.scenario}: whole ratio ${w.wholeRatio} for ${w.wholeMs} / ${r.oneModel.wholeMs} ms`);
    assert.deepEqual(Object.keys(w.met).sort(), ['contentDeltas', 'firstWords', 'whole']);
    if (w.repliesAgree) {
      // The shortcut applies: the referencers' calls only, the agreed reply sent whole.
      assert.equal(w.aggregations, 0);
      assert.equal(w.upstreamCalls, 3);
    } else {
      // One aggregation per distinct subset of the n draws, streamed as the aggregator writes it.
      assert.ok(w.aggregations >= 1 && w.aggregations <= 4, `${w.scenario}: ${w.aggregations} aggregations`);
      assert.equal(w.upstreamCalls, 3 + w.aggregations);
      assert.ok(w.firstWordsMs < w.wholeMs, `${w.scenario}: the answer did not stream`);
      assert.ok(w.contentDeltas >= TOKENS, `${w.scenario}: ${w.contentDeltas} deltas for an aggregation of ${TOKENS} words`);
    }
  }
  const lines = formatFirstWords(r);
  assert.equal(lines.length, 7);
  assert.match(lines[0] ?? '', /^first words: replies of 20 tokens at 200 tokens\/s \(0\.1 s each\), K=3, n=4; median of 1 run$/);
  assert.match(lines[2] ?? '', /one model \(smcs\/r1\)/);
  for (const [i, w] of r.smcs.entries()) assert.match(lines[3 + i] ?? '', new RegExp(`smcs, ${w.scenario}.* (met|NOT met: .+)$`));
});
