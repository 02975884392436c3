/**
 * The bank stores side by side (`smcs bench --store postgres`): for each size, a bank of clustered synthetic questions
 * (unit vectors around topic centres, as real question embeddings cluster, with labels of several models) is imported
 * into the local folder store and into a team bank; then RPS's retrieval + priors is timed through the bank interface,
 * and each store's support set and top-K referencers are compared with the exact ones (a float64 scan of the same
 * vectors). The team bank is measured both ways, by exact scans and by its vector index, and a row's headline numbers
 * are the path the store takes at that size. Import throughput, index build time and disk per question are reported too.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrateBankSchema } from '../bank/openBank';
import type { Bank, NewQuestion } from '../bank/bank';
import { openPool } from '../bank/team/connection';
import { TeamBank } from '../bank/team/teamBank';
import { INDEX_FROM } from '../bank/team/vectorIndex';
import { LocalBank } from '../bank/local/localBank';
import { at, percentile } from '../core/util/arrays';
import { parseTeamBankUrl } from '../core/contracts/bankLocation';
import { scanSupport, routeFromSupport } from '../core/routing/rps';
import type { SupportSet } from '../core/contracts/priorSource';
import { l2Norm } from '../core/util/vectorMath';
import { randomUnitVectors } from './retrievalBench';

/** Retrieval + priors by one search path: latency, and how its support sets and referencers compare with exact ones. */
export interface SearchMeasurement {
  /** Median and 95th percentile of support set + priors + top-K through the bank interface. */
  p50Ms: number;
  p95Ms: number;
  /** Share of the exact support set returned (mean over queries). */
  supportRecall: number;
  /** Share of the exact top-K referencers the priors selected (mean over queries). */
  topKAgreement: number;
}

export interface StoreBenchmark extends SearchMeasurement {
  store: 'local' | 'postgres';
  size: number;
  dim: number;
  /** What the store searches at this size (the headline numbers are this path's): the team bank scans exactly below `INDEX_FROM` questions and asks its vector index (IVFFlat) from there; the local store always scans. */
  search: 'exact' | 'ivfflat';
  /** Questions imported per second (one commit; for postgres without the index build). */
  importPerS: number;
  /** Vector index build (postgres; 0 for the local store). */
  indexMs: number;
  /** Each path on its own (postgres): where the two cross is the index's cut-over. The local store has only the exact path. */
  exact: SearchMeasurement;
  index?: SearchMeasurement;
  /** Mean size of the exact support set. */
  supportSize: number;
  diskBytesPerQuestion: number;
}

export interface StoreBenchOptions {
  sizes: readonly number[];
  /** Local store sizes (vectra holds up to a few hundred thousand questions). */
  localSizes: readonly number[];
  dim: number;
  /** A team bank URL whose role owns the `smcs` schema there: the bench drops and rebuilds it. */
  pgUrl?: string;
  /** Where local benchmark banks are built. */
  dir: string;
  queries?: number;
  /** Questions from which the team bank searches its vector index (default the store's INDEX_FROM). */
  indexFrom?: number;
  onProgress?: (message: string) => void;
}

const MODELS = ['m-1', 'm-2', 'm-3', 'm-4', 'm-5', 'm-6', 'm-7', 'm-8'];
const RPS = { nBase: 400, gamma: 0.95, k: 4 };

/** xorshift32 in [0, 1). */
function rng(seed: number): () => number {
  let x = seed | 0 || 0x2545f491;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/**
 * `count` unit vectors, each a random one of `clusters` centres plus random noise of about `spread` times the centre's
 * length (row-major): questions of one topic then have cosine similarity around 0.5–0.7, as sentence embeddings do.
 */
export function clusteredUnitVectors(count: number, dim: number, seed: number, clusters = 1000, spread = 0.9): Float32Array {
  const centres = randomUnitVectors(clusters, dim, seed + 1);
  const random = rng(seed);
  const noise = randomUnitVectors(Math.min(count, 4096), dim, seed + 2);
  const out = new Float32Array(count * dim);
  const row = new Float64Array(dim);
  for (let i = 0; i < count; i++) {
    const c = Math.floor(random() * clusters);
    const n = Math.floor(random() * (noise.length / dim));
    const scale = spread * Math.sqrt(dim) * (0.5 + random());
    for (let k = 0; k < dim; k++) row[k] = (centres[c * dim + k] as number) + scale * (noise[n * dim + ((k + i) % dim)] as number) / Math.sqrt(dim);
    const inv = 1 / l2Norm(row);
    for (let k = 0; k < dim; k++) out[i * dim + k] = (row[k] as number) * inv;
  }
  return out;
}

/** The synthetic bank: questions with vectors and labels of MODELS (each model right on a share that varies by topic). */
function* questions(vectors: Float32Array, size: number, dim: number): Generator<NewQuestion> {
  const random = rng(size);
  for (let i = 0; i < size; i++) {
    const correct: Record<string, 0 | 1> = {};
    MODELS.forEach((m, j) => {
      correct[m] = random() < 0.3 + 0.05 * j + 0.2 * Math.sin(i % 97 + j) ? 1 : 0;
    });
    yield { id: `b-${i}`, question: `benchmark question ${i}`, domain: `d${i % 14}`, correct, embedding: vectors.subarray(i * dim, (i + 1) * dim) };
  }
}

/** Exact support sets and referencers from a float64 scan of the vectors. */
function exactSelection(vectors: Float32Array, labels: Map<string, Int8Array>, size: number, dim: number, query: Float32Array) {
  const sims = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += (vectors[i * dim + k] as number) * (query[k] as number);
    sims[i] = s;
  }
  const { support } = scanSupport(sims, labels, { ...RPS, models: MODELS }, (i) => `b-${i}`);
  return { support, referencers: routeFromSupport(support, MODELS, RPS.k).referencers };
}

function labelColumns(size: number, dim: number, vectors: Float32Array): Map<string, Int8Array> {
  const columns = new Map(MODELS.map((m) => [m, new Int8Array(size)]));
  let i = 0;
  for (const q of questions(vectors, size, dim)) {
    for (const m of MODELS) (columns.get(m) as Int8Array)[i] = q.correct?.[m] ?? -1;
    i++;
  }
  return columns;
}


async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

interface ExactSelection {
  support: SupportSet;
  referencers: string[];
}

/** The exact support set and referencers of each query (a float64 scan of the vectors). */
function exactSelections(vectors: Float32Array, size: number, dim: number, queries: Float32Array, count: number): ExactSelection[] {
  const labels = labelColumns(size, dim, vectors);
  return Array.from({ length: count }, (_, i) => exactSelection(vectors, labels, size, dim, queries.subarray(i * dim, (i + 1) * dim)));
}

/** Times retrieval + priors on `bank` (two warm-up queries first) and compares each query's support set and referencers with the exact ones. */
async function measure(bank: Bank, dim: number, queries: Float32Array, exact: readonly ExactSelection[]): Promise<SearchMeasurement> {
  const count = exact.length;
  const times: number[] = [];
  let recall = 0;
  let agreement = 0;
  for (let i = -2; i < count; i++) {
    const query = queries.subarray(Math.max(i, 0) * dim, (Math.max(i, 0) + 1) * dim);
    const t0 = performance.now();
    const support: SupportSet = await bank.supportSet(query, { ...RPS, models: MODELS });
    const selected = routeFromSupport(support, MODELS, RPS.k).referencers;
    const t1 = performance.now();
    if (i < 0) continue;
    times.push(t1 - t0);
    const reference = at(exact, i);
    const got = new Set(support.ids);
    recall += reference.support.ids.filter((id) => got.has(id)).length / Math.max(1, reference.support.ids.length);
    agreement += reference.referencers.filter((m) => selected.includes(m)).length / RPS.k;
  }
  times.sort((a, b) => a - b);
  return { p50Ms: percentile(times, 0.5), p95Ms: percentile(times, 0.95), supportRecall: recall / count, topKAgreement: agreement / count };
}

const meanSupport = (exact: readonly ExactSelection[]) => exact.reduce((sum, e) => sum + e.support.ids.length, 0) / exact.length;

/** Queries near the bank's questions (a bank question plus noise), as new questions on known topics are. */
function nearQueries(vectors: Float32Array, size: number, dim: number, count: number): Float32Array {
  const random = rng(7);
  const noise = randomUnitVectors(count, dim, 11);
  const out = new Float32Array(count * dim);
  for (let q = 0; q < count; q++) {
    const i = Math.floor(random() * size);
    for (let k = 0; k < dim; k++) out[q * dim + k] = (vectors[i * dim + k] as number) + 0.5 * (noise[q * dim + k] as number);
  }
  return out;
}

async function benchLocal(size: number, dim: number, vectors: Float32Array, queries: Float32Array, exact: readonly ExactSelection[], dir: string): Promise<StoreBenchmark> {
  const folder = path.join(dir, `store-bench-${size}x${dim}`);
  await fs.rm(folder, { recursive: true, force: true });
  const embedder = { id: `bench:clustered-${dim}`, dimension: dim };
  const t0 = performance.now();
  const bank = await LocalBank.open(folder, { embedder, create: true, write: true });
  await bank.commit({ add: [...questions(vectors, size, dim)] });
  const importMs = performance.now() - t0;
  try {
    const m = await measure(bank, dim, queries, exact);
    return { store: 'local', size, dim, search: 'exact', importPerS: size / (importMs / 1000), indexMs: 0, ...m, exact: m, supportSize: meanSupport(exact), diskBytesPerQuestion: (await folderBytes(folder)) / size };
  } finally {
    await bank.close();
  }
}

async function benchPostgres(url: string, size: number, dim: number, vectors: Float32Array, queries: Float32Array, exactRef: readonly ExactSelection[], indexFrom: number, progress: (m: string) => void): Promise<StoreBenchmark> {
  const location = parseTeamBankUrl(url);
  const embedder = { id: `bench:clustered-${dim}`, dimension: dim };
  await resetSchema(url);
  const bank = await TeamBank.open(location, { embedder, create: true, write: true }, { indexFrom: Number.POSITIVE_INFINITY });
  try {
    progress(`postgres: importing ${size} questions`);
    const t0 = performance.now();
    // Commits of 100k keep the client's memory bounded (a question's unit vector and labels are held until its commit).
    let batch: NewQuestion[] = [];
    for (const q of questions(vectors, size, dim)) {
      batch.push(q);
      if (batch.length === 100_000) {
        await bank.commit({ add: batch });
        batch = [];
      }
    }
    if (batch.length > 0) await bank.commit({ add: batch });
    const importMs = performance.now() - t0;
    progress(`postgres: exact scans over ${size} questions`);
    const exactBank = await TeamBank.open(location, { embedder }, { search: 'exact' });
    const exact = await measure(exactBank, dim, queries, exactRef).finally(() => exactBank.close());
    progress(`postgres: building the vector index over ${size} questions`);
    const t1 = performance.now();
    await bank.buildIndex();
    const indexMs = performance.now() - t1;
    progress(`postgres: index searches over ${size} questions`);
    const index = await measure(bank, dim, queries, exactRef);
    const search = size >= indexFrom ? 'ivfflat' : 'exact';
    return {
      store: 'postgres',
      size,
      dim,
      search,
      importPerS: size / (importMs / 1000),
      indexMs,
      ...(search === 'ivfflat' ? index : exact),
      exact,
      index,
      supportSize: meanSupport(exactRef),
      diskBytesPerQuestion: (await bank.diskBytes()) / size,
    };
  } finally {
    await bank.close();
  }
}

/** Drops the bench database's `smcs` schema (its role owns it) and creates it anew. */
async function resetSchema(url: string): Promise<void> {
  const pool = await openPool(parseTeamBankUrl(url), undefined);
  try {
    await pool.query('DROP SCHEMA IF EXISTS smcs CASCADE');
  } finally {
    await pool.end();
  }
  await migrateBankSchema(url);
}

/** Runs the store benchmark at every size (local at `localSizes`, postgres at `sizes` when `pgUrl` is given). */
export async function benchmarkStores(options: StoreBenchOptions): Promise<StoreBenchmark[]> {
  const count = options.queries ?? 40;
  const progress = options.onProgress ?? (() => undefined);
  const out: StoreBenchmark[] = [];
  for (const size of [...new Set([...options.sizes, ...options.localSizes])].sort((a, b) => a - b)) {
    progress(`generating ${size} questions × ${options.dim}`);
    const vectors = clusteredUnitVectors(size, options.dim, 42);
    const queries = nearQueries(vectors, size, options.dim, count);
    const exact = exactSelections(vectors, size, options.dim, queries, count);
    if (options.localSizes.includes(size)) {
      progress(`local: importing ${size} questions`);
      out.push(await benchLocal(size, options.dim, vectors, queries, exact, options.dir));
    }
    if (options.pgUrl && options.sizes.includes(size)) out.push(await benchPostgres(options.pgUrl, size, options.dim, vectors, queries, exact, options.indexFrom ?? INDEX_FROM, progress));
  }
  return out;
}
