import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';
import { discoverModels } from '../../../llm/discovery';
import { describeModel, looksLikeEmbeddingModel, normaliseBaseUrl, portSelection, urlProblem } from '../modelDiscovery';

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
  const fake = await startLoopbackUpstream({
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
    assert.equal(describeModel(models[1]!), '128k context · $3.00 in / $15.00 out per 1M tokens');
    assert.equal(describeModel(models[2]!), '8k context · free');
    const request = fake.requests.find((r) => r.path.endsWith('/models'));
    assert.ok(request && fake.sentKey(request, 'sk-test-key'));
  } finally {
    await fake.close();
  }
});

test('the port of a typed URL is found, so a retry can select it', () => {
  const typed = 'http://127.0.0.1:8001/v1';
  const at = portSelection(typed);
  assert.deepEqual(at && typed.slice(...at), '8001');
  const bare = portSelection('gpu-box:9000');
  assert.equal(bare && 'gpu-box:9000'.slice(...bare), '9000');
  const ipv6 = portSelection('http://[::1]:8000');
  assert.equal(ipv6 && 'http://[::1]:8000'.slice(...ipv6), '8000');
  assert.equal(portSelection('http://gpu-box/v1'), undefined);
  assert.equal(portSelection('https://openrouter.ai/api/v1'), undefined);
});

test('embedding models are recognised by their name or the path vLLM loaded them from', () => {
  const embedding = ['BAAI/bge-small-en-v1.5', 'intfloat/multilingual-e5-large', 'thenlper/gte-base', 'nomic-embed-text', 'text-embedding-3-small', 'sentence-transformers/all-MiniLM-L6-v2', 'all-mpnet-base-v2', 'Qwen/Qwen3-Embedding-8B', 'e5-mistral-7b-instruct'];
  const chat = ['meta-llama/Meta-Llama-3-8B-Instruct', 'Qwen/Qwen2.5-7B-Instruct', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B', 'mistralai/Mistral-7B-v0.3', 'gemma-3-27b-it', 'google/gemma-3n-E4B-it'];
  assert.deepEqual(embedding.filter((id) => !looksLikeEmbeddingModel({ id })), []);
  assert.deepEqual(chat.filter((id) => looksLikeEmbeddingModel({ id })), []);
  assert.equal(looksLikeEmbeddingModel({ id: 'embedder-a' }), true);
  assert.equal(looksLikeEmbeddingModel({ id: 'served', root: 'BAAI/bge-m3' }), true);
  assert.equal(looksLikeEmbeddingModel({ id: 'served', root: '/models/Meta-Llama-3-8B' }), false);
});

test('urlProblem: a typed URL that cannot be a server says why; one that can says nothing', () => {
  assert.equal(urlProblem('http://127.0.0.1:8000/v1'), undefined);
  assert.equal(urlProblem('gpu-box:8000'), undefined);
  assert.match(urlProblem('ftp://gpu-box') ?? '', /^Not a valid URL: must be an http\(s\) URL/);
});
