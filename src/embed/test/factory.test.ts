import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { createEmbedder, embedderId } from '../factory';
import { EndpointEmbedder } from '../endpoint';
import type { EmbeddingConfig } from '../../core/contracts/config';
import type { CallRecord } from '../../core/contracts/types';
import { createGateway } from '../../llm/gateway';
import { startLoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { loopbackEndpoint } from '../../../test/fixtures/gatewayData';

const env = {
  storageDir: os.tmpdir(),
  consent: async () => false,
  onDownloadProgress: () => undefined,
  endpointClient: () => {
    throw new Error('no endpoint in this test');
  },
};

test('embedderId names the id the built embedder has, without building it', () => {
  const configs: EmbeddingConfig[] = [{ provider: 'lexical' }, { provider: 'transformers' }, { provider: 'transformers', model: 'Xenova/bge-small-en-v1.5' }];
  for (const config of configs) assert.equal(embedderId(config), createEmbedder(config, env).id);
  assert.equal(embedderId({ provider: 'endpoint', endpoint: 'local', model: 'e5' }), 'endpoint:local:e5');
});

test('an endpoint embedder prices its calls: the config price (per million tokens) over the one the endpoint publishes, none without either', async () => {
  const server = await startLoopbackUpstream({ embeddingDim: 8, models: [{ id: 'priced', pricing: { prompt: 1e-7, completion: 0 } }, { id: 'free-form' }] });
  try {
    const gateway = await createGateway([loopbackEndpoint(server.baseUrl, undefined, { id: 'emb' })], { env: {}, retry: { maxAttempts: 1 } });
    const withGateway = { ...env, endpointClient: (id: string) => gateway.endpoint(id) };
    const costOf = async (config: EmbeddingConfig): Promise<{ cost: number | null; tokens: number }> => {
      const calls: CallRecord[] = [];
      const embedder = createEmbedder(config, withGateway);
      assert.ok(embedder instanceof EndpointEmbedder);
      await embedder.embed(['how do I sort a list'], undefined, (call) => calls.push(call));
      const [call] = calls;
      assert.ok(call && calls.length === 1 && !call.estimated, JSON.stringify(calls));
      assert.equal(call.tokens.prompt, server.requests.at(-1)?.usage?.prompt_tokens);
      return { cost: call.costUsd, tokens: call.tokens.prompt };
    };
    const published = await costOf({ provider: 'endpoint', endpoint: 'emb', model: 'priced' });
    assert.ok(Math.abs((published.cost ?? NaN) - published.tokens * 1e-7) < 1e-15, String(published.cost));
    const configured = await costOf({ provider: 'endpoint', endpoint: 'emb', model: 'priced', price: 0.02 });
    assert.ok(Math.abs((configured.cost ?? NaN) - (configured.tokens * 0.02) / 1e6) < 1e-15, String(configured.cost));
    assert.equal((await costOf({ provider: 'endpoint', endpoint: 'emb', model: 'free-form' })).cost, null);
  } finally {
    await server.close();
  }
});
