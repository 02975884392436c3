import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { createEmbedder, embedderId } from '../factory';
import type { EmbeddingConfig } from '../../core/config';

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
