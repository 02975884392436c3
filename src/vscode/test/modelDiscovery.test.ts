import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { startFakeOpenAI } from '../../bench/loopbackServer';
import { discoverModels } from '../../llm/discovery';
import { describeModel, normaliseBaseUrl } from '../modelDiscovery';

test('server URLs typed by users normalise to an OpenAI-compatible /v1 base', () => {
  assert.equal(normaliseBaseUrl('127.0.0.1:8000'), 'http://127.0.0.1:8000/v1');
  assert.equal(normaliseBaseUrl('http://gpu:8000/'), 'http://gpu:8000/v1');
  assert.equal(normaliseBaseUrl('http://gpu:8000/v1/models'), 'http://gpu:8000/v1');
  assert.equal(normaliseBaseUrl('https://openrouter.ai/api/v1'), 'https://openrouter.ai/api/v1');
  assert.equal(normaliseBaseUrl(' http://h/proxy/v1?x=1#y '), 'http://h/proxy/v1');
  assert.throws(() => normaliseBaseUrl('ftp://h'), /http\(s\)/);
  assert.throws(() => normaliseBaseUrl('http://alice:pw@gpu:8000'), /carries credentials .* Set API Key/);
  assert.throws(() => normaliseBaseUrl('http://'), TypeError);
});

test('discovers models with context length and price from a loopback server, sending the key', async () => {
  const fake = await startFakeOpenAI({
    models: [
      { id: 'qwen', maxModelLen: 32768 },
      { id: 'paid', contextLength: 128000, pricing: { prompt: 0.000003, completion: 0.000015 } },
      { id: 'free', contextLength: 8192, pricing: { prompt: 0, completion: 0 } },
    ],
  });
  try {
    const models = await discoverModels(fake.baseUrl, 'sk-test-key', new AbortController().signal);
    assert.deepEqual(models.map((m) => m.id), ['qwen', 'paid', 'free']);
    assert.equal(models[0]!.contextWindow, 32768);
    assert.equal(describeModel(models[0]!), '33k context');
    assert.equal(describeModel(models[1]!), '128k context · $3.00 in / $15 out per 1M tokens');
    assert.equal(describeModel(models[2]!), '8k context · free');
    const request = fake.requests.find((r) => r.path.endsWith('/models'));
    assert.ok(request && fake.sentKey(request, 'sk-test-key'));
  } finally {
    await fake.close();
  }
});
