/**
 * The `smcs serve` part of `smcs bench`: what the server adds to an ask (p50 of the same ask in process and through the
 * server with the openai SDK, against an instant loopback upstream; goal ≤ 10 ms), and 16 clients at once against slow
 * upstreams (latency p50/p95 and this process's peak memory). Also the server the first-words benchmark streams from
 * (src/bench/firstWordsBench.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { percentile } from '../core/util/arrays';
import { parseConfig } from '../core/contracts/config';
import { createEngine } from '../engine/engine';
import type { EngineHooks } from '../engine/types';
import type { SmcsSummary as ServedSummary } from '../server/completions';
import { startServer } from '../server/server';
import { startBenchUpstream, type BenchUpstream } from '../bench/benchUpstream';
import type { ServeSmcs, SmcsSetup } from '../bench/firstWordsBench';

export interface ServerBenchmark {
  /** Median ms of one ask (K=3, n=1) in process, and through the server (wall, as a client waits). */
  inProcessP50Ms: number;
  serverP50Ms: number;
  /** Median of (wall − the run's own pipeline time) through the server, less the same in process. */
  overheadP50Ms: number;
  /** The goal of issue 25: overhead ≤ 10 ms at the median. */
  withinGoal: boolean;
  samples: number;
  /** `clients` asks at once (cap = clients) against upstreams that stream 20 tokens `chunkDelayMs` apart. */
  concurrent: { clients: number; chunkDelayMs: number; p50Ms: number; p95Ms: number; peakRssMb: number; rssBeforeMb: number };
}

const MODELS = ['r1', 'r2', 'r3', 'agg'];
const KEY = 'bench-key-0123456789abcdef';
const GOAL_MS = 10;

/** Hooks of a bench's engines: no key, no consent, no log; their past calls kept in `storageDir`. */
export const benchHooks = (storageDir: string): EngineHooks => ({ secrets: { apiKey: async () => undefined }, consent: async () => false, onDownloadProgress: () => undefined, log: () => undefined, storageDir });

const round = (x: number) => Math.round(x * 10) / 10;

/** An engine over a bench upstream with an empty bank (the first K models answer), lexical embeddings. */
async function benchEngine(storageDir: string, setup: Omit<SmcsSetup, 'agreementShortcut'> & { agreementShortcut?: boolean }) {
  const config = parseConfig({
    endpoints: [{ id: 'bench', provider: 'vllm', baseUrl: setup.baseUrl, models: setup.models, maxConcurrency: 64 }],
    embedding: { provider: 'lexical' },
    aggregator: setup.aggregator,
    k: setup.k,
    n: setup.n,
    ...(setup.agreementShortcut !== undefined ? { agreementShortcut: setup.agreementShortcut } : {}),
    bank: path.join(storageDir, 'no-bank'),
  });
  return createEngine(config, benchHooks(storageDir));
}

const engineOn = (fake: BenchUpstream, storageDir: string) => benchEngine(storageDir, { baseUrl: fake.baseUrl, models: MODELS, aggregator: 'agg', k: 3, n: 1 });

/** `smcs serve` in process on loopback over a bench upstream (`smcs bench --first-words`), its engine's files in `storageDir`. */
export function serveOnLoopback(storageDir: string): ServeSmcs {
  return async (setup) => {
    const engine = await benchEngine(storageDir, setup);
    try {
      const server = await startServer({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 4, learnFromChecks: false, log: () => undefined });
      return {
        url: server.url,
        apiKey: KEY,
        close: async () => {
          await server.close();
          await engine.dispose();
        },
      };
    } catch (err) {
      await engine.dispose();
      throw err;
    }
  };
}

const QUESTION = 'How do I make lookups fast?';

/**
 * In process and through the server, alternating, after one warm-up each. On a shared machine two runs of the same
 * ask differ by more than the server adds, so each run's own pipeline time (`timings.totalMs`, in the result and in
 * the `smcs` field) is taken off its wall time: what is left is what surrounds the pipeline, compared by median.
 */
async function overhead(samples: number, storageDir: string): Promise<Pick<ServerBenchmark, 'inProcessP50Ms' | 'serverP50Ms' | 'overheadP50Ms' | 'withinGoal' | 'samples'>> {
  const fake = await startBenchUpstream(MODELS);
  const engine = await engineOn(fake, storageDir);
  const server = await startServer({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 4, learnFromChecks: false, log: () => undefined });
  const client = new OpenAI({ baseURL: server.url, apiKey: KEY, maxRetries: 0 });
  try {
    const inProcess = async () => {
      const t = performance.now();
      let pipelineMs = 0;
      for await (const e of engine.ask(QUESTION, { signal: new AbortController().signal, params: { k: 3, n: 1 } })) {
        if (e.type === 'error') throw new Error(`bench ask failed: ${e.message}`);
        if (e.type === 'done') pipelineMs = e.result.timings.totalMs;
      }
      return { wall: performance.now() - t, around: performance.now() - t - pipelineMs };
    };
    const served = async () => {
      const t = performance.now();
      const reply = await client.chat.completions.create({ model: 'smcs-fast', messages: [{ role: 'user', content: QUESTION }] });
      const wall = performance.now() - t;
      return { wall, around: wall - (reply as unknown as { smcs: ServedSummary }).smcs.timings.totalMs };
    };
    await inProcess();
    await served();
    const a: { wall: number; around: number }[] = [];
    const b: { wall: number; around: number }[] = [];
    for (let i = 0; i < samples; i++) {
      a.push(await inProcess());
      b.push(await served());
    }
    const overheadMs = percentile(b.map((x) => x.around), 0.5) - percentile(a.map((x) => x.around), 0.5);
    return {
      inProcessP50Ms: round(percentile(a.map((x) => x.wall), 0.5)),
      serverP50Ms: round(percentile(b.map((x) => x.wall), 0.5)),
      overheadP50Ms: round(overheadMs),
      withinGoal: overheadMs <= GOAL_MS,
      samples,
    };
  } finally {
    await server.close();
    await engine.dispose();
    await fake.close();
  }
}

async function concurrent(clients: number, chunkDelayMs: number, storageDir: string): Promise<ServerBenchmark['concurrent']> {
  const fake = await startBenchUpstream(MODELS);
  for (const m of MODELS) fake.script(m, { reply: Array.from({ length: 20 }, (_, i) => `token${i}`).join(' '), chunkDelayMs });
  const engine = await engineOn(fake, storageDir);
  const server = await startServer({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: clients, learnFromChecks: false, log: () => undefined });
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const latencies = await Promise.all(
      Array.from({ length: clients }, async () => {
        const client = new OpenAI({ baseURL: server.url, apiKey: KEY, maxRetries: 0 });
        const t = performance.now();
        const stream = await client.chat.completions.create({ model: 'smcs', messages: [{ role: 'user', content: QUESTION }], stream: true });
        for await (const chunk of stream) void chunk;
        return performance.now() - t;
      }),
    );
    const mb = (x: number) => round(x / (1024 * 1024));
    return { clients, chunkDelayMs, p50Ms: round(percentile(latencies, 0.5)), p95Ms: round(percentile(latencies, 0.95)), peakRssMb: mb(peak), rssBeforeMb: mb(rssBefore) };
  } finally {
    clearInterval(sampler);
    await server.close();
    await engine.dispose();
    await fake.close();
  }
}

/**
 * Runs `fn` with a folder of its own for a bench's engines (their past calls, the empty bank), removed after: not a
 * shared one another run reads.
 */
export async function withBenchStorage<T>(fn: (storageDir: string) => Promise<T>): Promise<T> {
  const storageDir = await mkdtemp(path.join(os.tmpdir(), 'smcs-bench-'));
  try {
    return await fn(storageDir);
  } finally {
    await rm(storageDir, { recursive: true, force: true });
  }
}

export function benchmarkServer(samples: number): Promise<ServerBenchmark> {
  return withBenchStorage(async (storageDir) => ({ ...(await overhead(samples, storageDir)), concurrent: await concurrent(16, 25, storageDir) }));
}
