/** Model discovery and gateway construction against the loopback fake server. */
import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { ConfigError, parseConfig } from '../../core/contracts/config';
import { discoverModels, parseModelList, readModelEntry } from '../discovery';
import { LlmError } from '../errors';
import { createGateway } from '../gateway';
import { startLoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';

const endpoints = (list: Array<Record<string, unknown>>) => parseConfig({ endpoints: list }).endpoints;

describe('model discovery', () => {
  it('discovers vLLM and OpenRouter models with context windows and pricing, in configured order', async () => {
    const vllm = await startLoopbackUpstream({ models: [{ id: 'Qwen/Qwen2.5-7B', maxModelLen: 32768 }, { id: 'meta/llama', maxModelLen: 8192 }] });
    const or = await startLoopbackUpstream({ models: [{ id: 'deepseek/r1', contextLength: 163840, pricing: { prompt: 0.0000005, completion: 0.000002 } }] });
    try {
      const gateway = await createGateway(
        endpoints([
          { id: 'local', provider: 'vllm', baseUrl: vllm.baseUrl },
          { id: 'or', provider: 'openrouter', baseUrl: or.baseUrl, apiKeyEnv: 'OR_KEY' },
        ]),
        { env: { OR_KEY: 'sk-or' } },
      );
      assert.deepEqual(gateway.models, [
        { key: 'Qwen/Qwen2.5-7B', endpointId: 'local', modelId: 'Qwen/Qwen2.5-7B', contextWindow: 32768 },
        { key: 'meta/llama', endpointId: 'local', modelId: 'meta/llama', contextWindow: 8192 },
        { key: 'deepseek/r1', endpointId: 'or', modelId: 'deepseek/r1', contextWindow: 163840, pricing: { prompt: 0.0000005, completion: 0.000002 } },
      ]);
      assert.equal(gateway.contextWindow('meta/llama'), 8192);
      assert.equal(gateway.contextWindow('unknown'), undefined);
      const orList = or.requests.find((r) => r.path === '/v1/models')!;
      assert.ok(or.sentKey(orList, 'sk-or'));
      assert.equal(orList.headers['x-title'], 'SMCS for VS Code');
      assert.ok(vllm.sentKey(vllm.requests[0]!, 'EMPTY'));
    } finally {
      await Promise.all([vllm.close(), or.close()]);
    }
  });

  it('enriches configured models with what /models knows, and keeps aliases as keys', async () => {
    const server = await startLoopbackUpstream({ models: [{ id: 'big', maxModelLen: 4096 }] });
    try {
      const gateway = await createGateway(endpoints([{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: [{ id: 'big', alias: 'B' }, 'other'] }]));
      assert.deepEqual(gateway.models.map((m) => [m.key, m.modelId, m.contextWindow]), [
        ['B', 'big', 4096],
        ['other', 'other', undefined],
      ]);
    } finally {
      await server.close();
    }
  });

  it('tolerates an unreachable endpoint whose models are listed, with a warning', async () => {
    const gone = await startLoopbackUpstream();
    await gone.close();
    const warnings: string[] = [];
    const gateway = await createGateway(endpoints([{ id: 'down', provider: 'vllm', baseUrl: gone.baseUrl, models: ['m'] }]), {
      retry: { maxAttempts: 1 },
      log: (level, message) => level === 'warn' && warnings.push(message),
    });
    assert.deepEqual(gateway.models.map((m) => m.key), ['m']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /endpoint down: connection failed.*context windows and prices of endpoint down are unknown/);
  });

  it('fails naming the endpoint when discovery is needed and the endpoint is unreachable', async () => {
    const gone = await startLoopbackUpstream();
    await gone.close();
    await assert.rejects(
      createGateway(endpoints([{ id: 'down', provider: 'vllm', baseUrl: gone.baseUrl }]), { retry: { maxAttempts: 1 } }),
      (e: unknown) => e instanceof LlmError && e.endpointId === 'down' && /^endpoint down: connection failed.*could not discover models from http:\/\/127\.0\.0\.1:\d+\/v1\/models/.test(e.message),
    );
  });

  it('fails when discovery finds no models, naming endpoint and field', async () => {
    const server = await startLoopbackUpstream({ models: [] });
    try {
      await assert.rejects(
        createGateway(endpoints([{ id: 'empty', provider: 'vllm', baseUrl: server.baseUrl }])),
        (e: unknown) => e instanceof ConfigError && e.field === 'endpoints[empty].models' && /listed no models/.test(e.message),
      );
    } finally {
      await server.close();
    }
  });

  it('fails on the same model key on two endpoints, naming both', async () => {
    const a = await startLoopbackUpstream({ models: [{ id: 'shared' }] });
    const b = await startLoopbackUpstream({ models: [{ id: 'shared' }] });
    try {
      await assert.rejects(
        createGateway(endpoints([
          { id: 'a', provider: 'vllm', baseUrl: a.baseUrl },
          { id: 'b', provider: 'vllm', baseUrl: b.baseUrl },
        ])),
        (e: unknown) => e instanceof ConfigError && /"shared" is used by both endpoint a \(model shared\) and endpoint b \(model shared\)/.test(e.message),
      );
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('fails before any request when an OpenRouter endpoint has no key, saying how to set it', async () => {
    const server = await startLoopbackUpstream();
    try {
      await assert.rejects(
        createGateway(endpoints([{ id: 'or', provider: 'openrouter', baseUrl: server.baseUrl }]), { env: {} }),
        (e: unknown) => e instanceof ConfigError && e.field === 'endpoints[or].apiKeyEnv' && /endpoint or \(provider openrouter\) needs an API key/.test(e.message),
      );
      assert.equal(server.requests.length, 0);
    } finally {
      await server.close();
    }
  });

  it('takes the key from the secret provider', async () => {
    const server = await startLoopbackUpstream();
    try {
      await createGateway(endpoints([{ id: 'or', provider: 'openrouter', baseUrl: server.baseUrl }]), {
        env: {},
        secrets: { apiKey: async (id) => (id === 'or' ? 'sk-secret' : undefined) },
      });
      assert.ok(server.sentKey(server.requests[0]!, 'sk-secret'));
    } finally {
      await server.close();
    }
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

test('discovery errors name the URL and status, never the key', async () => {
  const fake = await startLoopbackUpstream({ models: [] });
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

test('discovery errors carry a kind and never the credentials of the base URL; an HTML page says so', async () => {
  const withCredentials = 'http://alice:s3cret-pass@127.0.0.1:9/v1';
  await assert.rejects(discoverModels(withCredentials, undefined, new AbortController().signal), (err: Error & { kind?: string }) => {
    assert.doesNotMatch(err.message, /s3cret-pass/);
    assert.match(err.message, /GET http:\/\/\[redacted\]@127\.0\.0\.1:9\/v1\/models failed/);
    assert.equal(err.kind, 'connection');
    return true;
  });
  const fake = await startLoopbackUpstream({ models: [] });
  try {
    await assert.rejects(discoverModels(`http://127.0.0.1:${fake.port}/nothing`, 'sk-secret-123456', new AbortController().signal), { kind: 'http' });
  } finally {
    await fake.close();
  }
  const web = await startLoopbackUpstream({ htmlPage: {} });
  try {
    await assert.rejects(discoverModels(web.baseUrl, undefined, new AbortController().signal), (err: Error & { kind?: string }) => {
      assert.match(err.message, /the endpoint returned an HTML page, not an API response: is the base URL right, ending in \/v1\?/);
      assert.equal(err.kind, 'protocol');
      return true;
    });
  } finally {
    await web.close();
  }
});

test('a body that is not a model list is rejected', () => {
  assert.throws(() => parseModelList({ models: [] }), /no "data" list/);
  assert.deepEqual(parseModelList({ data: [{ id: 'a' }, { nope: 1 }] }).map((m) => m.id), ['a']);
});

test('a server that wants a key: vLLM --api-key (401) and a FastAPI HTTPBearer gateway (403) fail with kind auth; the key lists the models', async () => {
  for (const status of [401, 403] as const) {
    const keyed = await startLoopbackUpstream({ models: [{ id: 'served-name', root: '/models/Qwen2.5-7B', maxModelLen: 4096 }], requireKey: { key: 'vllm-key-1', status } });
    try {
      await assert.rejects(discoverModels(keyed.baseUrl, undefined, new AbortController().signal), (err: Error & { kind?: string }) => {
        assert.equal(err.kind, 'auth');
        assert.equal((err as Error & { status?: number }).status, status);
        assert.match(err.message, new RegExp(`failed: HTTP ${status}`));
        return true;
      });
      await assert.rejects(discoverModels(keyed.baseUrl, 'wrong-key', new AbortController().signal), { kind: 'auth' });
      assert.deepEqual(await discoverModels(keyed.baseUrl, 'vllm-key-1', new AbortController().signal), [
        { id: 'served-name', contextWindow: 4096, root: '/models/Qwen2.5-7B' },
      ]);
    } finally {
      await keyed.close();
    }
  }
});

test("vLLM's root is kept only when it says more than the id", () => {
  assert.deepEqual(readModelEntry({ id: 'BAAI/bge-m3', root: 'BAAI/bge-m3' }), { id: 'BAAI/bge-m3' });
  assert.deepEqual(readModelEntry({ id: 'embedder', root: 'BAAI/bge-m3' }), { id: 'embedder', root: 'BAAI/bge-m3' });
  assert.deepEqual(readModelEntry({ id: 'm', root: null, parent: null }), { id: 'm' });
});
