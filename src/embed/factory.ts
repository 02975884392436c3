/** Builds the embedder that the config's `embedding` section names. */
import path from 'node:path';
import type { EmbeddingConfig } from '../core/config';
import type { Embedder } from '../core/types';
import type { DownloadConsent, DownloadProgress } from '../engineTypes';
import type { EndpointClient } from '../llm/client';
import { EndpointEmbedder } from './endpoint';
import { LexicalEmbedder } from './lexical';
import { TransformersEmbedder } from './transformers';

export interface EmbedderEnvironment {
  /** Folder for downloaded models (`<storageDir>/models`). */
  storageDir: string;
  consent: DownloadConsent;
  onDownloadProgress(progress: DownloadProgress): void;
  /** The client of an endpoint, for provider `endpoint`. */
  endpointClient(id: string): EndpointClient;
}

export function createEmbedder(config: EmbeddingConfig, env: EmbedderEnvironment): Embedder {
  switch (config.provider) {
    case 'lexical':
      return new LexicalEmbedder();
    case 'endpoint':
      return new EndpointEmbedder({ client: env.endpointClient(config.endpoint as string), model: config.model as string });
    case 'transformers':
      return new TransformersEmbedder({
        ...(config.model ? { model: config.model } : {}),
        cacheDir: path.join(env.storageDir, 'models'),
        ...(config.localModelPath ? { localModelPath: config.localModelPath } : {}),
        allowRemote: config.localModelPath === undefined,
        consent: env.consent,
        onProgress: (p) => env.onDownloadProgress(p),
      });
  }
}
