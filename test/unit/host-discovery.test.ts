import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { startFakeOpenAI } from '../../src/cli/loopbackServer';
import { describeModel, discoverModels, normaliseBaseUrl, parseModelList } from '../../src/vscode/modelDiscovery';

test('server URLs typed by users normalise to an OpenAI-compatible /v1 base', () => {
  assert.equal(normaliseBaseUrl('127.0.0.1:8000'), 'http://127.0.0.1:8000/v1');
  assert.equal(normaliseBaseUrl('http://gpu:8000/'), 'http://gpu:8000/v1');
  assert.equal(normaliseBaseUrl('http://gpu:8000/v1/models'), 'http://gpu:8000/v1');
  assert.equal(normaliseBaseUrl('https://openrouter.ai/api/v1'), 'https://openrouter.ai/api/v1');
  assert.equal(normaliseBaseUrl(' http://h/proxy/v1?x=1#y '), 'http://h/proxy/v1');
  assert.throws(() => normaliseBaseUrl('ftp://h'), /http\(s\)/);
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
    assert.equal(models[0].contextWindow, 32768);
    assert.equal(describeModel(models[0]), '33k context');
    assert.equal(describeModel(models[1]), '128k context · $3.00 in / $15 out per 1M tokens');
    assert.equal(describeModel(models[2]), '8k context · free');
    const request = fake.requests.find((r) => r.path.endsWith('/models'));
    assert.ok(request && fake.sentKey(request, 'sk-test-key'));
  } finally {
    await fake.close();
  }
});

test('discovery errors name the URL and status, never the key', async () => {
  const fake = await startFakeOpenAI({ models: [] });
  const url = `http://127.0.0.1:${fake.port}/nothing-here`;
  try {
    await assert.rejects(discoverModels(url, 'sk-secret-123456', new AbortController().signal), (err: Error) => {
      assert.match(err.message, new RegExp(`GET ${url}/models failed: HTTP 404`));
      assert.doesNotMatch(err.message, /sk-secret/);
      return true;
    });
  } finally {
    await fake.close();
  }
  await assert.rejects(discoverModels(url, undefined, new AbortController().signal), /GET .* failed/);
});

test('a body that is not a model list is rejected', () => {
  assert.throws(() => parseModelList({ models: [] }), /no "data" list/);
  assert.deepEqual(parseModelList({ data: [{ id: 'a' }, { nope: 1 }] }).map((m) => m.id), ['a']);
});
