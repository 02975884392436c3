/**
 * An Embedder over an OpenAI-compatible `POST {baseUrl}/embeddings` (e.g. a vLLM embedding server),
 * sharing the endpoint client's retry, timeout and concurrency limit. Vectors are L2-normalised.
 * A text longer than the model reads (its `max_model_len` in `GET /models`, as the gateway's discovery read it, else asked
 * once when a long text comes) is sent in pieces that fit by the project's token estimate with room to spare, and its
 * vector is the length-weighted mean of the pieces' (src/embed/chunks.ts): servers refuse or truncate longer inputs.
 */
import { callCost } from '../core/cost/costs';
import type { CallRecord } from '../core/contracts/types';
import { estimateTokens } from '../core/util/tokens';
import type { Embedder, TokenPrice } from '../core/contracts/types';
import { l2Norm } from '../core/util/vectorMath';
import type { EndpointClient } from '../llm/client';
import { readModelList } from '../llm/discovery';
import { splitToFit, weightedUnitMean } from './chunks';

export interface EndpointEmbedderOptions {
  client: EndpointClient;
  /** Embedding model id as the endpoint serves it. */
  model: string;
  /** Texts per request (default 64). Batches run in parallel up to the endpoint's maxConcurrency. */
  batchSize?: number;
  /** Price of the embedding model, when known: every request is then reported with its cost. */
  price?: TokenPrice;
  /** Most tokens the model reads; default: its `max_model_len` (or `context_length`) from `GET /models`, else no limit. */
  maxInputTokens?: number;
}

const where = (id: string) => `embedding model of ${id}`;

/** No embedding model reads fewer tokens than this, so shorter texts never need the model's limit. */
const MIN_MODEL_TOKENS = 128;
/** Pieces are cut at this share of the limit by the estimate (3 characters a token), i.e. at 2 characters a token. */
const ESTIMATE_MARGIN = 2 / 3;

export class EndpointEmbedder implements Embedder {
  readonly id: string;
  private readonly client: EndpointClient;
  private readonly model: string;
  private readonly batchSize: number;
  private readonly price: TokenPrice | undefined;
  private dim: number | undefined;
  private limit: Promise<number | undefined> | undefined;

  constructor(options: EndpointEmbedderOptions) {
    const batchSize = options.batchSize ?? 64;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a whole number ≥ 1, got ${batchSize}`);
    this.client = options.client;
    this.model = options.model;
    this.batchSize = batchSize;
    this.price = options.price;
    this.id = `endpoint:${options.client.id}:${options.model}`;
    if (options.maxInputTokens !== undefined) this.limit = Promise.resolve(options.maxInputTokens);
  }

  /** Vector length, learned from the first response (embeds a short probe text if nothing was embedded yet). */
  async dimension(signal?: AbortSignal): Promise<number> {
    if (this.dim === undefined) await this.embed(['dimension probe'], signal);
    return this.dim as number;
  }

  async embed(texts: readonly string[], signal: AbortSignal = new AbortController().signal, onCall?: (call: CallRecord) => void): Promise<Float32Array[]> {
    const limit = texts.some((t) => estimateTokens(t) > MIN_MODEL_TOKENS) ? await this.modelLimit(signal) : undefined;
    const budget = limit === undefined ? undefined : Math.max(1, Math.floor(limit * ESTIMATE_MARGIN));
    const pieces = texts.map((t) => (budget === undefined ? [t] : splitToFit(t, estimateTokens, budget)));
    const flat = pieces.flat();
    const batches: string[][] = [];
    for (let i = 0; i < flat.length; i += this.batchSize) batches.push(flat.slice(i, i + this.batchSize));
    const vectors = (await Promise.all(batches.map((b, n) => this.embedBatch(b, n * this.batchSize, signal, onCall)))).flat();
    let next = 0;
    return pieces.map((parts) => {
      const own = vectors.slice(next, next + parts.length);
      next += parts.length;
      const [only] = own;
      return own.length === 1 && only ? only : weightedUnitMean(own, parts.map((p) => p.length));
    });
  }

  /** The model's input limit from `GET /models` (the listing discovery read, else asked once); undefined when the endpoint does not say. */
  private modelLimit(signal: AbortSignal): Promise<number | undefined> {
    const known = this.client.discovered(this.model);
    this.limit ??= known
      ? Promise.resolve(known.contextWindow)
      : this.client.listModels(signal).then(
          (entries) => readModelList(entries).find((m) => m.id === this.model)?.contextWindow,
          () => {
            // A failed or cancelled lookup is not the endpoint's answer: ask again next time.
            this.limit = undefined;
            return undefined;
          },
        );
    return this.limit;
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
