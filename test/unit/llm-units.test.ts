import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../../src/core/config';
import type { ChatDelta } from '../../src/core/types';
import { readModelEntry } from '../../src/llm/discovery';
import { endpointHeaders, OPENROUTER_ATTRIBUTION } from '../../src/llm/headers';
import { NO_KEY, resolveApiKey } from '../../src/llm/keys';
import { endpointModels, ModelTable } from '../../src/llm/registry';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter } from '../../src/llm/retry';
import { Semaphore } from '../../src/llm/semaphore';
import { ThinkSplitter } from '../../src/llm/thinkSplitter';

const endpoint = (raw: Record<string, unknown>) => parseConfig({ endpoints: [{ id: 'e', baseUrl: 'http://127.0.0.1:1/v1', ...raw }] }).endpoints[0]!;

describe('Retry-After and backoff', () => {
  it('reads delta seconds and HTTP dates, and ignores garbage', () => {
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(parseRetryAfter('0.5'), 500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });

  it('honours Retry-After up to the cap and otherwise uses full jitter under an exponential ceiling', () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
    assert.equal(backoffDelay(p, 0, 3000), 3000);
    assert.equal(backoffDelay(p, 0, 999999), 5000);
    assert.equal(backoffDelay(p, 0, undefined, () => 0.999), 99);
    assert.equal(backoffDelay(p, 3, undefined, () => 0.5), 400);
    assert.equal(backoffDelay(p, 10, undefined, () => 0.5), 500);
    assert.equal(backoffDelay(p, 2, undefined, () => 0), 0);
  });
});

describe('Semaphore', () => {
  it('limits holders, hands permits over in order, and drops waiters whose signal aborts', async () => {
    const s = new Semaphore(2);
    const never = new AbortController().signal;
    const err = () => new Error('aborted');
    const r1 = await s.acquire(never, err);
    await s.acquire(never, err);
    assert.equal(s.inUse, 2);
    const gone = new AbortController();
    const queuedAborted = s.acquire(gone.signal, err);
    let third = false;
    const queued = s.acquire(never, err).then((r) => {
      third = true;
      return r;
    });
    gone.abort();
    await assert.rejects(queuedAborted, /aborted/);
    r1();
    r1();
    const r3 = await queued;
    assert.ok(third);
    assert.equal(s.inUse, 2);
    r3();
    assert.equal(s.inUse, 1);
    await assert.rejects(s.acquire(AbortSignal.abort(), err), /aborted/);
  });
});

describe('ThinkSplitter', () => {
  const run = (chunks: string[]) => {
    const t = new ThinkSplitter();
    const out: ChatDelta[] = chunks.flatMap((c) => t.push(c)).concat(t.flush());
    const join = (k: ChatDelta['kind']) => out.filter((d) => d.kind === k).map((d) => d.text).join('');
    return { text: join('text'), reasoning: join('reasoning'), out };
  };

  it('separates think blocks, also when tags are split across chunks', () => {
    const r = run(['Hi <th', 'ink>plan ', 'a</thi', 'nk>', 'Answer <', 'b>']);
    assert.equal(r.reasoning, 'plan a');
    assert.equal(r.text, 'Hi Answer <b>');
  });

  it('handles several blocks in one chunk and a tag split into single characters', () => {
    assert.deepEqual(run(['<think>x</think>A<think>y</think>B']), {
      text: 'AB',
      reasoning: 'xy',
      out: [
        { kind: 'reasoning', text: 'x' },
        { kind: 'text', text: 'A' },
        { kind: 'reasoning', text: 'y' },
        { kind: 'text', text: 'B' },
      ],
    });
    const r = run([...'<think>deep</think>ok']);
    assert.equal(r.reasoning, 'deep');
    assert.equal(r.text, 'ok');
  });

  it('releases a held-back partial tag at the end as text', () => {
    const r = run(['a <thi']);
    assert.equal(r.text, 'a <thi');
    assert.equal(r.reasoning, '');
  });
});

describe('discovery entries', () => {
  it('keeps vLLM max_model_len, OpenRouter context_length and per-token pricing', () => {
    assert.deepEqual(readModelEntry({ id: 'q', max_model_len: 32768 }), { id: 'q', contextWindow: 32768 });
    assert.deepEqual(readModelEntry({ id: 'o', context_length: 8000, pricing: { prompt: '0.000001', completion: '0.000002' } }), {
      id: 'o',
      contextWindow: 8000,
      pricing: { prompt: 0.000001, completion: 0.000002 },
    });
    assert.deepEqual(readModelEntry({ id: 'p', top_provider: { context_length: 4096 }, pricing: { prompt: '-1', completion: '-1' } }), {
      id: 'p',
      contextWindow: 4096,
    });
    assert.equal(readModelEntry({ object: 'model' }), undefined);
  });
});

describe('model table', () => {
  it('uses aliases as keys and names both endpoints of a duplicate key', () => {
    const a = endpoint({ id: 'a', models: ['m1', { id: 'm2', alias: 'two' }] });
    const b = endpoint({ id: 'b', models: ['two'] });
    const ma = endpointModels(a, [{ id: 'm1', contextWindow: 100 }]);
    assert.deepEqual(ma.map((m) => [m.key, m.modelId, m.contextWindow]), [
      ['m1', 'm1', 100],
      ['two', 'm2', undefined],
    ]);
    assert.throws(
      () => new ModelTable([...ma, ...endpointModels(b, undefined)]),
      (e: unknown) => e instanceof ConfigError && e.field === 'endpoints[b].models' && /endpoint a \(model m2\)/.test(e.message) && /endpoint b \(model two\)/.test(e.message),
    );
  });

  it('rejects an endpoint without models when discovery found none', () => {
    assert.throws(
      () => endpointModels(endpoint({ id: 'empty' }), []),
      (e: unknown) => e instanceof ConfigError && e.field === 'endpoints[empty].models' && /listed no models/.test(e.message),
    );
  });
});

describe('keys and headers', () => {
  it('prefers the secret provider, then apiKeyEnv; vLLM falls back to EMPTY', async () => {
    const secrets = { apiKey: async (id: string) => (id === 'e' ? 'from-secrets' : undefined) };
    assert.equal(await resolveApiKey(endpoint({ provider: 'openrouter', apiKeyEnv: 'K' }), secrets, { K: 'from-env' }), 'from-secrets');
    assert.equal(await resolveApiKey(endpoint({ provider: 'openrouter', apiKeyEnv: 'K' }), undefined, { K: 'from-env' }), 'from-env');
    assert.equal(await resolveApiKey(endpoint({ provider: 'vllm' }), undefined, {}), NO_KEY);
    assert.equal(await resolveApiKey(endpoint({ provider: 'vllm', apiKeyEnv: 'UNSET' }), undefined, {}), NO_KEY);
  });

  it('names the endpoint, the field and how to set a missing key', async () => {
    await assert.rejects(
      resolveApiKey(endpoint({ id: 'or', provider: 'openrouter' }), undefined, {}),
      (e: unknown) => e instanceof ConfigError && e.field === 'endpoints[or].apiKeyEnv' && /OPENROUTER_API_KEY/.test(e.message) && /SMCS: Set API Key/.test(e.message),
    );
    await assert.rejects(
      resolveApiKey(endpoint({ id: 'oa', provider: 'openai', apiKeyEnv: 'MY_KEY' }), undefined, { MY_KEY: ' ' }),
      (e: unknown) => e instanceof ConfigError && e.field === 'endpoints[oa].apiKeyEnv' && /MY_KEY is not set/.test(e.message),
    );
  });

  it('adds OpenRouter attribution under configured headers', () => {
    assert.deepEqual(endpointHeaders(endpoint({ provider: 'vllm', headers: { 'X-A': '1' } })), { 'X-A': '1' });
    const h = endpointHeaders(endpoint({ provider: 'openrouter', headers: { 'x-title': 'Mine' } }));
    assert.equal(h['HTTP-Referer'], OPENROUTER_ATTRIBUTION['HTTP-Referer']);
    assert.equal(h['x-title'], 'Mine');
    assert.equal(h['X-Title'], undefined);
  });
});
