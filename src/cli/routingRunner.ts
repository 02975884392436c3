/**
 * Runs the k-fold routing evaluation over worker threads (one per core by default).
 * The same file is the worker entry: in the bundled CLI `__filename` is dist/cli.js, whose
 * main only runs on the main thread (see main.ts), so a worker loads it and answers here.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import os from 'node:os';
import { combine, evaluateRange, type RoutingData, type RoutingParams, type RoutingPartial, type RoutingReport } from '../core/routingEval';

interface RoutingJob {
  kind: 'smcs-routing-eval';
  n: number;
  dim: number;
  embeddings: SharedArrayBuffer;
  models: string[];
  labels: SharedArrayBuffer;
  folds: SharedArrayBuffer;
  params: RoutingParams;
  from: number;
  to: number;
}

/** Copies data into shared memory so workers read it without copying. */
function share(data: RoutingData): Pick<RoutingJob, 'embeddings' | 'labels' | 'folds'> {
  const copy = <T extends Float64Array | Int8Array | Int32Array>(src: T, make: (b: SharedArrayBuffer) => T): SharedArrayBuffer => {
    const buffer = new SharedArrayBuffer(src.byteLength);
    make(buffer).set(src as never);
    return buffer;
  };
  return {
    embeddings: copy(data.embeddings, (b) => new Float64Array(b)),
    labels: copy(data.labels, (b) => new Int8Array(b)),
    folds: copy(data.folds, (b) => new Int32Array(b)),
  };
}

function fromJob(job: RoutingJob): RoutingData {
  return {
    n: job.n,
    dim: job.dim,
    embeddings: new Float64Array(job.embeddings),
    models: job.models,
    labels: new Int8Array(job.labels),
    folds: new Int32Array(job.folds),
  };
}

export interface RoutingRunOptions {
  threads?: number;
  /** Path of the script a worker loads (defaults to this module / the CLI bundle). */
  workerScript?: string;
}

export async function runRoutingEval(data: RoutingData, params: RoutingParams, options: RoutingRunOptions = {}): Promise<RoutingReport> {
  const threads = Math.max(1, Math.min(options.threads ?? os.availableParallelism(), Math.ceil(data.n / 200)));
  if (threads === 1) return combine(data, [evaluateRange(data, params, 0, data.n)]);
  const shared = share(data);
  const chunk = Math.ceil(data.n / threads);
  const partials = await Promise.all(
    Array.from({ length: threads }, (_, t) => {
      const job: RoutingJob = {
        kind: 'smcs-routing-eval',
        n: data.n,
        dim: data.dim,
        models: [...data.models],
        params,
        from: t * chunk,
        to: Math.min(data.n, (t + 1) * chunk),
        ...shared,
      };
      return new Promise<RoutingPartial>((resolve, reject) => {
        const script = options.workerScript ?? __filename;
        // Running from TypeScript sources (development, tests): the worker registers the tsx loader first.
        const worker = script.endsWith('.ts')
          ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true, workerData: job })
          : new Worker(script, { workerData: job });
        worker.once('message', (p: RoutingPartial) => {
          resolve(p);
          void worker.terminate();
        });
        worker.once('error', reject);
        worker.once('exit', (code) => {
          if (code !== 0) reject(new Error(`routing worker exited with code ${code}`));
        });
      });
    }),
  );
  return combine(data, partials);
}

/** True when this thread was started as a routing worker. */
export function isRoutingWorker(): boolean {
  return !isMainThread && (workerData as Partial<RoutingJob> | null)?.kind === 'smcs-routing-eval';
}

if (isRoutingWorker()) {
  const job = workerData as RoutingJob;
  parentPort?.postMessage(evaluateRange(fromJob(job), job.params, job.from, job.to));
}
