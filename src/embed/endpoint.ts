/**
 * An Embedder over an OpenAI-compatible `POST {baseUrl}/embeddings` (e.g. a vLLM embedding server),
 * sharing the endpoint client's retry, timeout and concurrency limit. Vectors are L2-normalised.
 */
import { callCost, type CallRecord } from '../core/costs';
import { estimateTokens } from '../core/tokens';
import type { Embedder, TokenPrice } from '../core/types';
import { l2Norm } from '../core/vectorMath';
import type { EndpointClient } from '../llm/client';

export interface EndpointEmbedderOptions {
  client: EndpointClient;
  /** Embedding model id as the endpoint serves it. */
  model: string;
  /** Texts per request (default 64). Batches run in parallel up to the endpoint's maxConcurrency. */
  batchSize?: number;
  /** Price of the embedding model, when known: every request is then reported with its cost. */
  price?: TokenPrice;
}

const where = (id: string) => `embedding model of ${id}`;

export class EndpointEmbedder implements Embedder {
  readonly id: string;
  private readonly client: EndpointClient;
  private readonly model: string;
  private readonly batchSize: number;
  private readonly price: TokenPrice | undefined;
  private dim: number | undefined;

  constructor(options: EndpointEmbedderOptions) {
    const batchSize = options.batchSize ?? 64;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a whole number ≥ 1, got ${batchSize}`);
    this.client = options.client;
    this.model = options.model;
    this.batchSize = batchSize;
    this.price = options.price;
    this.id = `endpoint:${options.client.id}:${options.model}`;
  }

  /** Vector length, learned from the first response (embeds a short probe text if nothing was embedded yet). */
  async dimension(): Promise<number> {
    if (this.dim === undefined) await this.embed(['dimension probe']);
    return this.dim as number;
  }

  async embed(texts: readonly string[], signal: AbortSignal = new AbortController().signal, onCall?: (call: CallRecord) => void): Promise<Float32Array[]> {
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) batches.push(texts.slice(i, i + this.batchSize));
    const results = await Promise.all(batches.map((b, n) => this.embedBatch(b, n * this.batchSize, signal, onCall)));
    return results.flat();
  }

  private async embedBatch(texts: string[], offset: number, signal: AbortSignal, onCall: ((call: CallRecord) => void) | undefined): Promise<Float32Array[]> {
    const started = Date.now();
    const { vectors: raw, promptTokens } = await this.client.embed(this.model, texts, signal);
    const tokens = { prompt: promptTokens ?? texts.reduce((sum, t) => sum + estimateTokens(t), 0), completion: 0 };
    onCall?.({ stage: 'embedding', model: this.model, tokens, costUsd: callCost(tokens, this.price), latencyMs: Date.now() - started, estimated: promptTokens === undefined });
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
