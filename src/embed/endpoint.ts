/**
 * An Embedder over an OpenAI-compatible `POST {baseUrl}/embeddings` (e.g. a vLLM embedding server),
 * sharing the endpoint client's retry, timeout and concurrency limit. Vectors are L2-normalised.
 */
import type { Embedder } from '../core/types';
import { l2Norm } from '../core/vectorMath';
import type { EndpointClient } from '../llm/client';

export interface EndpointEmbedderOptions {
  client: EndpointClient;
  /** Embedding model id as the endpoint serves it. */
  model: string;
  /** Texts per request (default 64). Batches run in parallel up to the endpoint's maxConcurrency. */
  batchSize?: number;
}

const where = (id: string) => `embedding model of ${id}`;

export class EndpointEmbedder implements Embedder {
  readonly id: string;
  private readonly client: EndpointClient;
  private readonly model: string;
  private readonly batchSize: number;
  private dim: number | undefined;

  constructor(options: EndpointEmbedderOptions) {
    const batchSize = options.batchSize ?? 64;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a whole number ≥ 1, got ${batchSize}`);
    this.client = options.client;
    this.model = options.model;
    this.batchSize = batchSize;
    this.id = `endpoint:${options.client.id}:${options.model}`;
  }

  /** Vector length, learned from the first response (embeds a short probe text if nothing was embedded yet). */
  async dimension(): Promise<number> {
    if (this.dim === undefined) await this.embed(['dimension probe']);
    return this.dim as number;
  }

  async embed(texts: readonly string[], signal: AbortSignal = new AbortController().signal): Promise<Float32Array[]> {
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) batches.push(texts.slice(i, i + this.batchSize));
    const results = await Promise.all(batches.map((b, n) => this.embedBatch(b, n * this.batchSize, signal)));
    return results.flat();
  }

  private async embedBatch(texts: string[], offset: number, signal: AbortSignal): Promise<Float32Array[]> {
    const raw = await this.client.embed(this.model, texts, signal);
    if (raw.length !== texts.length) {
      throw new Error(`${where(this.id)}: sent ${raw.length} vectors for ${texts.length} texts`);
    }
    return raw.map((v, i) => {
      const at = `${where(this.id)}: vector of text ${offset + i}`;
      if (!Array.isArray(v) || v.length === 0) throw new Error(`${at} is empty`);
      if (this.dim === undefined) this.dim = v.length;
      if (v.length !== this.dim) throw new Error(`${at} has ${v.length} dimensions, earlier vectors had ${this.dim}`);
      const norm = l2Norm(v);
      if (!Number.isFinite(norm) || norm === 0) throw new Error(`${at} has zero or non-finite length and cannot be normalised`);
      return Float32Array.from(v, (x) => x / norm);
    });
  }
}
