/**
 * Embeddings from a local transformers.js (ONNX) model: feature-extraction, mean pooling, L2
 * normalisation, batched. A text longer than the model reads (its tokenizer's `model_max_length`) is embedded whole:
 * split into pieces that fit, whose vectors are averaged weighted by length (src/embed/chunks.ts); a text that fits
 * is embedded exactly as the model does.
 *
 * Loading is lazy: `@xenova/transformers` is imported and the model loaded on the first
 * `embed()`/`dimension()`, and concurrent first calls share that one load. Where the model comes from:
 * - `localModelPath` set: only `<localModelPath>/<model>/` is used; nothing is downloaded.
 * - otherwise `<cacheDir>/<model>/`; when files are missing there and `allowRemote` is true, the
 *   user is asked once (`consent`) and the missing files are downloaded into `cacheDir`, with
 *   progress reported through `onProgress`; each file is written atomically (temp + rename).
 *   Before downloading, the hub must answer within `hubTimeoutMs`: an unreachable hub (no DNS, refused, no answer)
 *   fails within seconds with a HubUnreachableError naming the model, the host and the ways forward.
 * Every failure to load is an EmbeddingError (kind `embedding`).
 * transformers.js keeps its settings in one global `env`, so loads are serialised module-wide and
 * each sets `env` for itself.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../core/contracts/errors';
import { untilAborted } from '../core/util/abort';
import type { DownloadConsent, DownloadProgress, Embedder } from '../core/contracts/types';
import { isUnit } from '../core/util/vectorMath';
import { splitToFit, weightedUnitMean } from './chunks';
import { EmbeddingError, HubUnreachableError } from './errors';

/**
 * Default model: all-MiniLM-L6-v2 — 384-d, 6 layers, ≈ 23 MB quantized, trained on 1B+ sentence
 * pairs that include Stack Exchange question/title/answer pairs and code-search data, so it places
 * programming questions well; it needs no query instruction prefix (unlike bge/e5).
 */
export const DEFAULT_TRANSFORMERS_MODEL = 'Xenova/all-MiniLM-L6-v2';
export const DEFAULT_BATCH_SIZE = 16;
/** The Hugging Face hub, where transformers.js downloads from unless `remoteHost` says otherwise. */
export const DEFAULT_REMOTE_HOST = 'https://huggingface.co/';
/** How long the hub may take to answer before a download is given up (a reachable hub answers in well under a second). */
export const DEFAULT_HUB_TIMEOUT_MS = 5000;
/** Tokenizers without a real limit report a huge `model_max_length`; such a model is read in pieces of this many tokens. */
const FALLBACK_MAX_TOKENS = 512;

export interface TransformersEmbedderOptions {
  /** Hub model id `<org>/<name>` (default {@link DEFAULT_TRANSFORMERS_MODEL}). */
  model?: string;
  /** Folder where downloaded models are kept (`<cacheDir>/<model>/…`). */
  cacheDir: string;
  /** Fully offline: load `<localModelPath>/<model>/…` and never download. */
  localModelPath?: string;
  /** May missing model files be downloaded? */
  allowRemote: boolean;
  /**
   * Asked once, before the first download, only when the model is not complete in `cacheDir`.
   * Without it, `allowRemote: true` alone permits the download.
   */
  consent?: DownloadConsent;
  /** Download progress per file (only when files are downloaded, not when read from disk). */
  onProgress?: (progress: DownloadProgress) => void;
  /** Called once the model is ready (for logs); `downloaded` tells whether files were fetched. */
  onLoaded?: (info: ModelLoadInfo) => void;
  /** Texts per model call (default 16). */
  batchSize?: number;
  /** Load `onnx/model_quantized.onnx` (default true) or `onnx/model.onnx`. */
  quantized?: boolean;
  /** Download host (a hub mirror); default {@link DEFAULT_REMOTE_HOST}. */
  remoteHost?: string;
  /** Longest wait for the hub to answer before downloading (default {@link DEFAULT_HUB_TIMEOUT_MS}). */
  hubTimeoutMs?: number;
}

export interface ModelLoadInfo {
  model: string;
  dimension: number;
  downloaded: boolean;
  /** Wall time from the first call to the ready model, consent prompt included. */
  loadMs: number;
}

/** The user declined the model download. */
export class ModelDownloadDeclinedError extends EmbeddingError {
  constructor(model: string) {
    super(model, `Download of the embedding model "${model}" was declined.`);
    this.name = 'ModelDownloadDeclinedError';
  }
}

/** The model is not downloaded and no one could be asked whether to download it (no terminal, no --allow-download). */
export class ModelDownloadNotAskedError extends EmbeddingError {
  constructor(model: string) {
    super(model, `The embedding model "${model}" is not downloaded yet, and there was no terminal to ask whether to download it (about 25–35 MB): rerun with --allow-download.`);
    this.name = 'ModelDownloadNotAskedError';
  }
}

/** Model files are missing and may not be downloaded. */
export class ModelFilesMissingError extends EmbeddingError {
  constructor(
    model: string,
    readonly folder: string,
    readonly missing: readonly string[],
    advice: string,
  ) {
    super(model, `Embedding model "${model}" is incomplete in ${folder}: missing ${missing.join(', ')}. ${advice}`);
    this.name = 'ModelFilesMissingError';
  }
}

/** The slice of a transformers.js feature-extraction pipeline this module uses. */
type FeatureExtractor = (
  texts: string[],
  options: { pooling: 'mean'; normalize: true },
) => Promise<{ data: ArrayLike<number>; dims: number[] }>;

/** The slice of a transformers.js tokenizer this module uses. */
interface Tokenizer {
  encode(text: string): number[];
  model_max_length: number;
}

/** transformers.js tokenizers are callable objects (functions with methods). */
const isTokenizer = (v: unknown): v is Tokenizer =>
  (typeof v === 'object' || typeof v === 'function') && v !== null && typeof Reflect.get(v, 'encode') === 'function' && typeof Reflect.get(v, 'model_max_length') === 'number';

interface LoadedModel {
  extract: FeatureExtractor;
  dimension: number;
  downloaded: boolean;
  /** Tokens of a text as the model reads it, special tokens included. */
  countTokens: (text: string) => number;
  /** Most tokens the model reads at once (longer inputs are truncated by the pipeline). */
  maxTokens: number;
}

/**
 * The download cache handed to transformers.js (`env.customCache`): files live at
 * `<cacheDir>/<model>/<file>` like its own file cache, but each is written to a temporary name and
 * renamed into place, so an interrupted download never leaves a truncated file that looks complete.
 */
class AtomicModelCache {
  private readonly marker: string;

  constructor(
    private readonly cacheDir: string,
    private readonly model: string,
  ) {
    this.marker = `${model}/resolve/main/`;
  }

  /** Maps a request (the file's hub URL) to its path in the cache. */
  private pathFor(request: string): string | undefined {
    const at = request.indexOf(this.marker);
    if (at < 0) {
      return undefined;
    }
    return path.join(this.cacheDir, ...this.model.split('/'), ...request.slice(at + this.marker.length).split('/'));
  }

  async match(request: string): Promise<Response | undefined> {
    const file = this.pathFor(request);
    if (!file || !existsSync(file)) {
      return undefined;
    }
    const data = await readFile(file);
    return new Response(data, { headers: { 'content-length': String(data.length) } });
  }

  async put(request: string, response: Response): Promise<void> {
    const file = this.pathFor(request);
    if (!file) {
      return;
    }
    const data = new Uint8Array(await response.arrayBuffer());
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
    await writeFile(partial, data);
    await rename(partial, file);
  }
}

/** Serialises loads, because every load configures transformers.js's global `env`. */
let loadQueue: Promise<unknown> = Promise.resolve();

function serialised<T>(task: () => Promise<T>): Promise<T> {
  const run = loadQueue.then(task, task);
  loadQueue = run.catch(() => undefined);
  return run;
}

/** transformers.js feature-extraction embedder. `id` = `transformers:<model>`. */
export class TransformersEmbedder implements Embedder {
  readonly id: string;
  readonly model: string;
  private readonly options: TransformersEmbedderOptions;
  private readonly batchSize: number;
  private loading: Promise<LoadedModel> | undefined;
  private consentAnswer: boolean | undefined;

  constructor(options: TransformersEmbedderOptions) {
    const model = options.model ?? DEFAULT_TRANSFORMERS_MODEL;
    if (!/^[\w.-]+(\/[\w.-]+)?$/.test(model) || model.split('/').some((part) => part === '..' || part === '.')) {
      throw new RangeError(`TransformersEmbedder: model must be a hub id like "org/name", got ${JSON.stringify(model)}`);
    }
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`TransformersEmbedder: batchSize must be a positive integer, got ${String(batchSize)}`);
    }
    if (!options.cacheDir) {
      throw new RangeError('TransformersEmbedder: cacheDir is required');
    }
    this.model = model;
    this.id = `transformers:${model}`;
    this.options = options;
    this.batchSize = batchSize;
  }

  /** Whether the model loads without asking or downloading: it is loading or loaded, or every file it needs is on disk. */
  loadsUnasked(): boolean {
    return this.loading !== undefined || this.modelFiles().every((file) => existsSync(path.join(this.modelFolder(), file)));
  }

  /** A declined download is asked about again at the next load; a granted one stays granted. */
  askAgain(): void {
    if (this.consentAnswer === false) this.consentAnswer = undefined;
  }

  /** Vector length; loads the model on first use. */
  async dimension(signal?: AbortSignal): Promise<number> {
    return (await untilAborted(this.load(), signal)).dimension;
  }

  /** Embeds in batches of `batchSize`; `signal` is checked while loading and between batches. */
  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    texts.forEach((text, index) => {
      if (typeof text !== 'string') {
        throw new TypeError(`TransformersEmbedder: texts[${index}] must be a string, got ${typeof text}`);
      }
    });
    signal?.throwIfAborted();
    if (texts.length === 0) {
      return [];
    }
    const model = await untilAborted(this.load(), signal);
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      signal?.throwIfAborted();
      vectors.push(...(await this.embedBatch(model, texts.slice(start, start + this.batchSize), start, signal)));
    }
    return vectors;
  }

  /**
   * One batch: the texts that fit go to the model together, exactly as without long texts; each long text is
   * embedded piece by piece (in batches of their own) and its vector is the length-weighted mean of the pieces'.
   */
  private async embedBatch(model: LoadedModel, batch: readonly string[], offset: number, signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const pieces = batch.map((text) => splitToFit(text, model.countTokens, model.maxTokens));
    const fitting = pieces.flatMap((p, i) => (p.length === 1 ? [i] : []));
    const whole = await this.extractRows(model, fitting.map((i) => batch[i] ?? ''), fitting.map((i) => offset + i));
    const vectors = new Map(fitting.map((i, row) => [i, whole[row]]));
    for (const [i, parts] of pieces.entries()) {
      if (parts.length === 1) continue;
      const partVectors: Float32Array[] = [];
      for (let start = 0; start < parts.length; start += this.batchSize) {
        signal?.throwIfAborted();
        const slice = parts.slice(start, start + this.batchSize);
        partVectors.push(...(await this.extractRows(model, slice, slice.map(() => offset + i))));
      }
      vectors.set(i, weightedUnitMean(partVectors, parts.map((p) => p.length)));
    }
    return batch.map((_, i) => {
      const vector = vectors.get(i);
      if (!vector) throw new Error(`Embedding model "${this.model}" produced no vector for texts[${offset + i}]`);
      return vector;
    });
  }

  /** One model call for `texts` (each fits); `indices` name the caller's texts in errors. */
  private async extractRows({ extract, dimension }: LoadedModel, texts: string[], indices: readonly number[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const output = await extract(texts, { pooling: 'mean', normalize: true });
    return texts.map((_, row) => {
      // Loop-bounded by the tensor's [batch, dimension] shape; a short tensor would give NaN, which isUnit rejects.
      const vector = Float32Array.from({ length: dimension }, (_, i) => output.data[row * dimension + i]!);
      if (!isUnit(vector, 1e-3)) {
        throw new Error(`Embedding model "${this.model}" returned a zero or non-finite vector for texts[${indices[row] ?? row}]`);
      }
      return vector;
    });
  }

  private load(): Promise<LoadedModel> {
    if (!this.loading) {
      const started = performance.now();
      this.loading = this.prepare()
        .then((download) => serialised(() => this.loadNow(download)))
        .then((loaded) => {
          this.options.onLoaded?.({
            model: this.model,
            dimension: loaded.dimension,
            downloaded: loaded.downloaded,
            loadMs: performance.now() - started,
          });
          return loaded;
        });
      this.loading.catch(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  private modelFiles(): string[] {
    const onnxFile = this.options.quantized === false ? 'onnx/model.onnx' : 'onnx/model_quantized.onnx';
    return ['config.json', 'tokenizer.json', 'tokenizer_config.json', onnxFile];
  }

  /** Where the model's files are read from: `<localModelPath or cacheDir>/<model>`. */
  private modelFolder(): string {
    return path.join(this.options.localModelPath ?? this.options.cacheDir, ...this.model.split('/'));
  }

  /**
   * Checks the model files; when some are missing, decides whether they may be downloaded
   * (asking for consent) or throws naming them. Resolves true when a download is needed.
   */
  private async prepare(): Promise<boolean> {
    const folder = this.modelFolder();
    const missing = this.modelFiles().filter((file) => !existsSync(path.join(folder, file)));
    if (missing.length === 0) {
      return false;
    }
    if (this.options.localModelPath !== undefined) {
      throw new ModelFilesMissingError(this.model, folder, missing, 'Copy the complete model folder there, or clear embedding.localModelPath to download it.');
    }
    if (!this.options.allowRemote) {
      throw new ModelFilesMissingError(this.model, folder, missing, 'Downloads are disabled.');
    }
    await this.askConsent();
    await this.checkHub();
    return true;
  }

  /** Asks the hub for the model's first file (headers only, no redirect followed), so an unreachable hub fails fast. */
  private async checkHub(): Promise<void> {
    const remoteHost = this.options.remoteHost ?? DEFAULT_REMOTE_HOST;
    const timeoutMs = this.options.hubTimeoutMs ?? DEFAULT_HUB_TIMEOUT_MS;
    const url = new URL(`${this.model}/resolve/main/config.json`, remoteHost.endsWith('/') ? remoteHost : `${remoteHost}/`);
    try {
      const response = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
    } catch (err) {
      throw new HubUnreachableError(this.model, url.host, unreachableReason(err, timeoutMs), { cause: err });
    }
  }

  /** Loads the pipeline (run serialised); any failure becomes an EmbeddingError naming the model and where it came from. */
  private async loadNow(download: boolean): Promise<LoadedModel> {
    try {
      return await this.loadPipeline(download);
    } catch (err) {
      if (err instanceof EmbeddingError) throw err;
      const from = download ? new URL(this.options.remoteHost ?? DEFAULT_REMOTE_HOST).host : this.modelFolder();
      throw new EmbeddingError(this.model, `The embedding model ${this.model} could not be loaded from ${from}: ${errorMessage(err)}.`, undefined, { cause: err });
    }
  }

  /** Configures transformers.js's global `env` for this model, then loads the pipeline. */
  private async loadPipeline(download: boolean): Promise<LoadedModel> {
    const transformers = await import('@xenova/transformers');
    const { env } = transformers;
    env.allowLocalModels = !download;
    env.allowRemoteModels = download;
    env.localModelPath = this.options.localModelPath ?? this.options.cacheDir;
    env.useFSCache = false;
    env.useCustomCache = download;
    env.customCache = download ? new AtomicModelCache(this.options.cacheDir, this.model) : null;
    env.cacheDir = this.options.cacheDir;
    env.remoteHost = this.options.remoteHost ?? DEFAULT_REMOTE_HOST;

    const onProgress = download ? this.options.onProgress : undefined;
    const extractor = await transformers.pipeline('feature-extraction', this.model, {
      quantized: this.options.quantized !== false,
      progress_callback: onProgress ? (event: unknown) => forwardProgress(event, onProgress) : undefined,
    });
    const extract = extractor as unknown as FeatureExtractor;
    const probe = await extract(['dimension probe'], { pooling: 'mean', normalize: true });
    const dimension = probe.dims[probe.dims.length - 1];
    if (probe.dims.length !== 2 || dimension === undefined || !Number.isInteger(dimension) || dimension < 1) {
      throw new Error(`Embedding model "${this.model}" produced output of shape [${probe.dims.join(', ')}]; expected [batch, dimension]`);
    }
    const tokenizer: unknown = Reflect.get(extractor, 'tokenizer');
    if (!isTokenizer(tokenizer)) throw new Error(`Embedding model "${this.model}" has no tokenizer with encode() and model_max_length`);
    const limit = tokenizer.model_max_length;
    const maxTokens = Number.isInteger(limit) && limit > 2 && limit <= 100_000 ? limit : FALLBACK_MAX_TOKENS;
    return { extract, dimension, downloaded: download, countTokens: (text) => tokenizer.encode(text).length, maxTokens };
  }

  private async askConsent(): Promise<void> {
    const consent = this.options.consent;
    if (this.consentAnswer === undefined && consent) {
      this.consentAnswer = await consent(this.model);
    }
    if (this.consentAnswer === false) {
      throw new ModelDownloadDeclinedError(this.model);
    }
  }
}

/** Why the hub could not be reached, from a fetch error: no answer in time, or the network's own code and message. */
function unreachableReason(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs / 1000} s`;
  const cause: unknown = err instanceof Error ? err.cause : undefined;
  if (cause instanceof Error) {
    const code: unknown = Reflect.get(cause, 'code');
    return typeof code === 'string' && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return errorMessage(err);
}

/** Maps a transformers.js progress_callback event to {@link DownloadProgress}. */
function forwardProgress(event: unknown, onProgress: (progress: DownloadProgress) => void): void {
  if (typeof event !== 'object' || event === null) {
    return;
  }
  const { status, file, progress, loaded, total } = event as Record<string, unknown>;
  if (typeof file !== 'string') {
    return;
  }
  if (status === 'initiate') {
    onProgress({ file });
  } else if (status === 'progress') {
    onProgress({
      file,
      percent: typeof progress === 'number' ? progress : undefined,
      loadedBytes: typeof loaded === 'number' ? loaded : undefined,
      totalBytes: typeof total === 'number' ? total : undefined,
    });
  }
}
