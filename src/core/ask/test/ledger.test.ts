import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger } from '../askState';
import { StreamPace, TokenScale } from '../../cost/cutTail';
import type { CallRecord, ChatResult } from '../../contracts/types';
import { estimatePromptTokens, estimateTokens } from '../../util/tokens';

const result = (prompt: number): ChatResult => ({ text: '', reasoning: '', tokenLogprobs: null, usage: { promptTokens: prompt, completionTokens: 1 }, usageEstimated: false, latencyMs: 5, finishReason: 'stop', costUsd: prompt / 1000 });

test('a watcher hears of the calls made so far, then of each call as it ends, in the order the ledger lists them', () => {
  const ledger = new Ledger();
  ledger.record({ stage: 'embedding', model: 'e', tokens: { prompt: 3, completion: 0 }, costUsd: 0.001, latencyMs: 1, estimated: false });
  const heard: CallRecord[] = [];
  ledger.watch({ onCall: (call) => heard.push(call) });
  assert.equal(heard.length, 1, 'the embedding made while preparing');
  ledger.chat('referencer', 'm1', [{ role: 'user', content: 'Why?' }], result(10));
  ledger.partial('referencer', 'm2', [{ role: 'user', content: 'Why is the sky blue?' }], 'Rayleigh scattering.', { prompt: 0.001, completion: 0.002 }, 30);
  assert.deepEqual(heard, ledger.calls);
  assert.deepEqual(heard.map((c) => [c.stage, c.model, c.estimated]), [['embedding', 'e', false], ['referencer', 'm1', false], ['referencer', 'm2', true]]);
});

test('a call cut off is estimated as this ask\'s upstreams count tokens: scaled by its reported calls against their estimates', () => {
  const sent = [{ role: 'user' as const, content: 'Explain how a binary heap keeps its order when an element is inserted. '.repeat(6) }];
  const estimatedPrompt = estimatePromptTokens(sent);
  const ledger = new Ledger();
  const unscaled = ledger.partial('referencer', 'm1', sent, 'word '.repeat(30), undefined, 10);
  assert.equal(unscaled.promptTokens, estimatePromptTokens(sent), 'nothing reported yet: the estimate as it is');
  // The upstream counts 30 % fewer prompt tokens and twice the completion tokens the estimate gives.
  const reply = 'word '.repeat(40);
  ledger.calibrate(sent, { ...result(0), text: reply, usage: { promptTokens: Math.round(0.7 * estimatedPrompt), completionTokens: 2 * estimateTokens(reply) } });
  const scaled = ledger.partial('referencer', 'm2', sent, 'word '.repeat(30), undefined, 10);
  assert.ok(Math.abs(scaled.promptTokens - 0.7 * estimatedPrompt) <= 1, `${scaled.promptTokens} against ${0.7 * estimatedPrompt}`);
  assert.equal(scaled.completionTokens, 2 * estimateTokens('word '.repeat(30)));
  // A reply whose usage was itself estimated teaches nothing.
  const again = new Ledger();
  again.calibrate(sent, { ...result(1), usageEstimated: true });
  assert.equal(again.partial('referencer', 'm3', sent, '', undefined, 1).promptTokens, estimatedPrompt);
});

test('a call we stopped reading counts what its upstream wrote after the close: its pace, calibrated as its tokens are, times how long the upstream writes on, within max_tokens', () => {
  const sent = [{ role: 'user' as const, content: 'Why is the sky blue?' }];
  const streamed = 'word '.repeat(30);
  // 150 characters, 50 estimated tokens; after the first piece, 145 characters in 1450 ms.
  const pace = new StreamPace();
  for (let i = 0; i < 30; i++) pace.add(5, 50 * i);
  const perMs = 145 / 3 / 1450;
  const alone = new Ledger();
  const stopped = alone.partial('referencer', 'm1', sent, streamed, { prompt: 0, completion: 0.001 }, 1500, { writesOnMs: 2000, pace, maxTokens: 1000 });
  assert.equal(stopped.completionTokens, Math.round(estimateTokens(streamed) + perMs * 2000));
  assert.ok(Math.abs((alone.calls[0]?.costUsd ?? 0) - 0.001 * stopped.completionTokens) < 1e-12, 'at the model\'s price');
  assert.equal(alone.partial('referencer', 'm1', sent, streamed, undefined, 1500, { writesOnMs: 2000, pace, maxTokens: 60 }).completionTokens, 60, 'never past max_tokens');
  assert.equal(alone.partial('referencer', 'm1', sent, streamed, undefined, 1500, { pace, maxTokens: 1000 }).completionTokens, estimateTokens(streamed), 'its connection lost: the upstream wrote no more');
  // This ask's upstream counts half the tokens the estimate gives: the streamed part and the pace alike.
  const calibrated = new Ledger();
  const reply = 'word '.repeat(40);
  calibrated.calibrate(sent, { ...result(0), text: reply, usage: { promptTokens: estimatePromptTokens(sent), completionTokens: estimateTokens(reply) / 2 } });
  const half = calibrated.partial('referencer', 'm2', sent, streamed, undefined, 1500, { writesOnMs: 2000, pace, maxTokens: 1000 });
  assert.equal(half.completionTokens, Math.round((estimateTokens(streamed) + perMs * 2000) / 2));
});

test('an ask whose every call was cut is scaled as the engine\'s earlier asks\' reported calls counted, its own reported calls first', () => {
  const sent = [{ role: 'user' as const, content: 'Explain how a binary heap keeps its order. '.repeat(4) }];
  const reply = 'word '.repeat(40);
  const scale = new TokenScale();
  assert.deepEqual(scale.ratios, { prompt: 1, completion: 1 }, 'nothing seen: the estimate as it is');
  // An earlier ask: its upstream counted 60 % of the estimate's completion tokens and 80 % of its prompt.
  const earlier = new Ledger(scale);
  earlier.calibrate(sent, { ...result(0), text: reply, usage: { promptTokens: 0.8 * estimatePromptTokens(sent), completionTokens: 0.6 * estimateTokens(reply) } });
  const cut = new Ledger(scale).partial('referencer', 'm1', sent, 'word '.repeat(30), undefined, 10);
  assert.equal(cut.completionTokens, Math.round(0.6 * estimateTokens('word '.repeat(30))));
  assert.equal(cut.promptTokens, Math.round(0.8 * estimatePromptTokens(sent)));
  // An ask with a reported call of its own is scaled by it.
  const own = new Ledger(scale);
  own.calibrate(sent, { ...result(0), text: reply, usage: { promptTokens: estimatePromptTokens(sent), completionTokens: estimateTokens(reply) } });
  assert.equal(own.partial('referencer', 'm1', sent, 'word '.repeat(30), undefined, 10).completionTokens, estimateTokens('word '.repeat(30)));
});

test('a call that ended before its first byte, stopped or failed, is told to the watchers, never counted', () => {
  const ledger = new Ledger();
  const unpaid: unknown[] = [];
  ledger.watch({ onUnpaid: (call) => unpaid.push(call) });
  ledger.unpaid({ stage: 'aggregation', model: 'agg', latencyMs: 12, outcome: 'cancelled' });
  ledger.unpaid({ stage: 'referencer', model: 'm1', latencyMs: 3, outcome: 'failed' });
  assert.deepEqual(unpaid, [
    { stage: 'aggregation', model: 'agg', latencyMs: 12, outcome: 'cancelled' },
    { stage: 'referencer', model: 'm1', latencyMs: 3, outcome: 'failed' },
  ]);
  assert.equal(ledger.calls.length, 0);
});

test("a call's context is its share of the prompt's characters in the prompt's own count, never more than the prompt", () => {
  const question = 'Why does this loop never end?';
  const context = `\n\n${'while (i < n) { total += a[i]; }\n'.repeat(40)}`;
  const sent = [{ role: 'system' as const, content: 'You are a careful reviewer.' }, { role: 'user' as const, content: `${question}${context}` }];
  const chars = sent.reduce((n, m) => n + m.content.length, 0);
  const ledger = new Ledger();
  const none = ledger.chat('referencer', 'm0', sent, result(500));
  assert.equal(none.context, undefined, 'an ask without context says nothing of it');
  ledger.carriesContext(context);
  // The server counts fewer tokens than the characters / 3 estimate gives: the context is counted in its unit.
  const counted = ledger.chat('referencer', 'm1', sent, result(300));
  assert.equal(counted.context, Math.round((300 * context.length) / chars));
  assert.ok((counted.context ?? Infinity) <= counted.tokens.prompt);
  assert.ok((counted.context ?? Infinity) < estimateTokens(context), 'below the estimate from characters: the server counts this text denser');
  const cut = ledger.partial('aggregation', 'm2', sent, 'partial', undefined, 1);
  const last = ledger.calls.at(-1);
  assert.ok(last?.context !== undefined && last.context <= cut.promptTokens);
  // A call not sent the context carried none of it.
  assert.equal(ledger.chat('tests', 'm3', [{ role: 'user', content: question }], result(20)).context, undefined);
});
