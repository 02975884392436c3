/**
 * Builds the embedder that the config's `embedding` section names. The transformers embedder downloads from
 * `HF_ENDPOINT` when that variable is set (the Hugging Face hub's own variable for a mirror), else from the hub.
 */
import path from 'node:path';
import type { EmbeddingConfig } from '../core/contracts/config';
import type { DownloadConsent, DownloadProgress, Embedder } from '../core/contracts/types';
import type { EndpointClient } from '../llm/client';
import { EndpointEmbedder } from './endpoint';
import { DEFAULT_LEXICAL_DIMENSION, LEXICAL_SCHEME_VERSION, LexicalEmbedder } from './lexical';
import { DEFAULT_TRANSFORMERS_MODEL, TransformersEmbedder } from './transformers';
import os from 'node:os';
import { expandHome } from '../core/util/homePath';

export interface EmbedderEnvironment {
  /** Folder for downloaded models (`<storageDir>/models`). */
  storageDir: string;
  consent: DownloadConsent;
  onDownloadProgress(progress: DownloadProgress): void;
  /** The client of an endpoint, for provider `endpoint`. */
  endpointClient(id: string): EndpointClient;
}

/** The hub mirror named by `HF_ENDPOINT`, as a base URL ending in `/`. */
function hubMirror(): string | undefined {
  const value = process.env.HF_ENDPOINT?.trim();
  if (!value) return undefined;
  return value.endsWith('/') ? value : `${value}/`;
}

export function createEmbedder(config: EmbeddingConfig, env: EmbedderEnvironment): Embedder {
  const remoteHost = hubMirror();
  switch (config.provider) {
    case 'lexical':
      return new LexicalEmbedder();
    case 'endpoint': {
      const client = env.endpointClient(config.endpoint as string);
      const model = config.model as string;
      // A price in the config (USD per million tokens) wins over the one the endpoint publishes (USD per token).
      const price = config.price !== undefined ? { prompt: config.price / 1e6, completion: 0 } : client.discovered(model)?.pricing;
      return new EndpointEmbedder({ client, model, ...(price ? { price } : {}) });
    }
    case 'transformers':
      return new TransformersEmbedder({
        ...(config.model ? { model: config.model } : {}),
        cacheDir: path.join(env.storageDir, 'models'),
        ...(config.localModelPath ? { localModelPath: expandHome(config.localModelPath, os.homedir()) } : {}),
        allowRemote: config.localModelPath === undefined,
        consent: env.consent,
        onProgress: (p) => env.onDownloadProgress(p),
        ...(remoteHost ? { remoteHost } : {}),
      });
  }
}

/** The id the embedder `config` names will have, without building it (no model, no endpoint needed). */
export function embedderId(config: EmbeddingConfig): string {
  switch (config.provider) {
    case 'lexical':
      return `lexical:${LEXICAL_SCHEME_VERSION}:${DEFAULT_LEXICAL_DIMENSION}`;
    case 'endpoint':
      return `endpoint:${config.endpoint as string}:${config.model as string}`;
    case 'transformers':
      return `transformers:${config.model ?? DEFAULT_TRANSFORMERS_MODEL}`;
  }
}
