/** Retrieval benchmark: bank open time and full-scan + top-N latency by bank size, next to a plain Float32Array scan. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { percentile } from '../core/util/arrays';
import { l2Norm } from '../core/util/vectorMath';
import { BankError } from '../bank/errors';
import { LocalBank } from '../bank/local/localBank';
import type { NewQuestion } from '../bank/bank';
import { topIndices } from '../bank/local/retrieval';

export interface RetrievalBenchmark {
  size: number;
  dim: number;
  /** Time to open the bank read-only (verify and load everything). */
  openMs: number;
  /** Median time of similarities over the whole bank + top-N. */
  p50Ms: number;
  p95Ms: number;
  /** Median time of a plain Float32Array brute-force dot-product scan of the same vectors, same run. */
  scanP50Ms: number;
  /** Median CPU time (this process) of the retrieval: close to p50Ms on an idle machine, lower when the cores are shared. */
  cpuP50Ms: number;
}

export interface BenchmarkOptions {
  /** Timed queries per size (default 40). */
  queries?: number;
  /** Neighbours selected per query (default 400, the paper's Nbase). */
  topN?: number;
  /** Called with a line of progress text (building banks can take a while). */
  onProgress?: (message: string) => void;
}

/** Deterministic unit vectors (xorshift32), row-major `count × dim`. */
export function randomUnitVectors(count: number, dim: number, seed: number): Float32Array {
  // Indices are loop-bounded (i < count, k < dim).
  const out = new Float32Array(count * dim);
  const row = new Float64Array(dim);
  let x = (seed | 0) || 0x9e3779b9;
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < dim; k++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const value = (x >>> 0) / 4294967296 - 0.5;
      row[k] = value;
      out[i * dim + k] = value;
    }
    const inv = 1 / l2Norm(row);
    for (let k = 0; k < dim; k++) out[i * dim + k]! *= inv;
  }
  return out;
}

const benchEmbedder = (dim: number) => ({ id: `bench:random-${dim}`, dimension: dim });

async function buildBank(dir: string, size: number, dim: number, vectors: Float32Array): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
  const bank = await LocalBank.open(dir, { embedder: benchEmbedder(dim), create: true, write: true });
  try {
    const questions: NewQuestion[] = [];
    for (let i = 0; i < size; i++) {
      questions.push({ id: `b-${i}`, question: `benchmark question ${i}`, embedding: vectors.subarray(i * dim, (i + 1) * dim) });
    }
    await bank.add(questions);
  } finally {
    await bank.close();
  }
}

async function hasBank(dir: string, size: number, dim: number): Promise<boolean> {
  try {
    const bank = await LocalBank.open(dir, { embedder: benchEmbedder(dim) });
    const ok = bank.size === size && bank.recovery === undefined;
    await bank.close();
    return ok;
  } catch (err) {
    if (err instanceof BankError) return false;
    throw err;
  }
}

function plainScan(vectors: Float32Array, count: number, dim: number, query: Float32Array): Float32Array {
  // Indices are loop-bounded (i < count, k < dim).
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += vectors[i * dim + k]! * query[k]!;
    out[i] = s;
  }
  return out;
}

/** Wall and CPU times (ms, each sorted) of `runs` calls, after 3 warm-up calls. */
function timeRuns(runs: number, fn: (i: number) => void): { wall: number[]; cpu: number[] } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = -3; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn(Math.max(i, 0));
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    if (i >= 0) {
      wall.push(t1 - t0);
      cpu.push((c1.user + c1.system) / 1000);
    }
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

/**
 * For each size: builds (or reuses) a bank of random unit vectors under `dir`, measures a read-only open,
 * then the retrieval of random queries (similarities to every question + top-N) and a plain scan.
 */
export async function benchmarkRetrieval(
  sizes: readonly number[] = [1000, 10000, 100000],
  dim = 384,
  dir: string,
  options: BenchmarkOptions = {},
): Promise<RetrievalBenchmark[]> {
  const queries = options.queries ?? 40;
  const topN = options.topN ?? 400;
  const queryVectors = randomUnitVectors(queries, dim, 7);
  const results: RetrievalBenchmark[] = [];
  for (const size of sizes) {
    const bankDir = path.join(dir, `bench-${size}x${dim}`);
    const vectors = randomUnitVectors(size, dim, size);
    if (!(await hasBank(bankDir, size, dim))) {
      options.onProgress?.(`building a ${size}-question bank in ${bankDir}`);
      await buildBank(bankDir, size, dim, vectors);
    }
    const t0 = performance.now();
    const bank = await LocalBank.open(bankDir, { embedder: benchEmbedder(dim) });
    const openMs = performance.now() - t0;
    const query = (i: number) => queryVectors.subarray(i * dim, (i + 1) * dim);
    const retrieval = timeRuns(queries, (i) => topIndices(bank.similarities(query(i)), topN));
    const scan = timeRuns(queries, (i) => plainScan(vectors, size, dim, query(i)));
    await bank.close();
    results.push({
      size,
      dim,
      openMs,
      p50Ms: percentile(retrieval.wall, 0.5),
      p95Ms: percentile(retrieval.wall, 0.95),
      scanP50Ms: percentile(scan.wall, 0.5),
      cpuP50Ms: percentile(retrieval.cpu, 0.5),
    });
  }
  return results;
}
