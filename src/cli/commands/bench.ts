/**
 * `smcs bench`: retrieval latency by bank size (next to a plain Float32Array scan measured in the same run),
 * the pipeline's orchestration overhead against the loopback server with injected latencies, and with `import`
 * the time to import a synthetic set shaped like MMLU-Pro's published outputs (lexical embedder, and the config's
 * embedder when `--config` names another), the time running candidates' code on a question's examples adds to an ask,
 * and what `smcs serve` adds to an ask (src/cli/serverBench.ts). With `--stragglers SET.jsonl`, only what the straggler
 * deadline saves in time and costs in accuracy on a replay set of recorded replies (src/bench/stragglerBench.ts). With
 * `--first-words`, only the time a person waits for one model and for the `smcs` model through `smcs serve`
 * (src/bench/firstWordsBench.ts).
 */
import { benchmarkTeamGate, type TeamBenchmark } from '../teamBench';
import { withTeamDatabase } from '../teamDatabaseOption';
import path from 'node:path';
import { benchmarkChecks, type ChecksBenchmark } from '../../bench/checksBench';
import { benchmarkFirstWords, formatFirstWords, type FirstWordsBenchmark } from '../../bench/firstWordsBench';
import { benchmarkImport, type ImportBenchmark } from '../../bench/importBench';
import { benchmarkRetrieval, type RetrievalBenchmark } from '../../bench/retrievalBench';
import { benchmarkStores, type StoreBenchmark } from '../../bench/storeBench';
import { benchmarkStragglers, LATENCY_SIGMA, MEDIAN_RANGE_MS, TAIL_FACTOR, TAIL_SHARE, type StragglerBenchmark } from '../../bench/stragglerBench';
import { benchmarkTokenCount, formatTokenCount, type TokenCountBenchmark } from '../../bench/tokenCountBench';
import { benchmarkWorkspace, type WorkspaceBenchmark } from '../../bench/workspaceBench';
import { isTeamBankUrl } from '../../core/contracts/bankLocation';
import { UsageError } from '../errors';
import { at } from '../../core/util/arrays';
import { parseConfig } from '../../core/contracts/config';
import type { AskResult } from '../../core/contracts/events';
import type { Embedder } from '../../core/contracts/types';
import { createEngine, embedderFor } from '../../engine/engine';
import { LexicalEmbedder } from '../../embed/lexical';
import { startBenchUpstream, type BenchRequest } from '../../bench/benchUpstream';
import { MAX_TEXT_FILE_BYTES, readUserFile, utf8Text } from '../../files/userFile';
import { cliHooks, loadConfig, printText, storageDir, type GlobalOptions } from '../context';
import { parseTasks } from './evalE2e';
import { benchHooks, benchmarkServer, serveOnLoopback, withBenchStorage, type ServerBenchmark } from '../serverBench';

export interface BenchOptions extends GlobalOptions {
  sizes: number[];
  /** `postgres`: the bank stores side by side (a team bank at --bank, the local store at --local-sizes). */
  store?: 'local' | 'postgres';
  localSizes?: number[];
  queries?: number;
  dim: number;
  runs: number;
  json?: boolean;
  dir?: string;
  /** Also time importing the synthetic MMLU-Pro set. */
  import?: boolean;
  /** Only the workspace-retrieval benchmark, on a generated workspace of this many files. */
  workspaceFiles?: number;
  /** Only the straggler-deadline benchmark, on this replay set (`smcs eval e2e`'s format). */
  stragglers?: string;
  /** Only the token-count benchmark (the language model provider's `provideTokenCount`). */
  tokenCount?: boolean;
  /** Only the first-words benchmark: one model and the `smcs` model streamed through `smcs serve`. */
  firstWords?: boolean;
  /** With `firstWords`: the words of every reply and the words a second every model writes. */
  replyTokens?: number;
  tokensPerSecond?: number;
  /** With `stragglers`: seeds of the simulated latencies and the subset draws, the deadline's factor, K and Kdrop. */
  seeds?: number[];
  stragglerFactor?: number;
  /** With `stragglers` or `firstWords`: K; with `firstWords`: n. */
  k?: number;
  n?: number;
  kDrop?: number;
  /** Only the team server's benchmark (key check, reservation, ledger) on the database `database` names. */
  team?: boolean;
  database?: string;
  /** With `team`: asks timed, at 50 a second. */
  asks?: number;
}

export interface PipelineBenchmark {
  criticalPathMs: number;
  wallMs: number;
  overheadMs: number;
  /** The bar of issue 3: wall ≤ critical path × 1.05 + 50 ms. */
  withinBar: boolean;
  runs: number;
}

const REFERENCER_LATENCIES = [200, 350, 500, 650, 800];
const AGGREGATOR_LATENCY = 400;

const duration = (r: BenchRequest) => (r.completedAt ?? r.receivedAt) - r.receivedAt;

/** One ask with injected latencies; the critical path is read from the server's own request timings. */
async function pipelineRun(storageDir: string): Promise<{ criticalPathMs: number; wallMs: number }> {
  const referencers = REFERENCER_LATENCIES.map((latency, i) => ({ model: `ref-${i}`, latency }));
  const models = referencers.map((r) => r.model);
  const server = await startBenchUpstream([...models, 'agg']);
  try {
    referencers.forEach(({ model, latency }, i) => server.script(model, { reply: `Reference answer ${i}: use a hash map for O(1) lookups.`, firstByteDelayMs: latency }));
    let call = 0;
    server.script('agg', { reply: () => `Synthesis ${call++}: a hash map gives O(1) average lookups.`, firstByteDelayMs: AGGREGATOR_LATENCY });
    const config = parseConfig({
      endpoints: [{ id: 'bench', provider: 'vllm', baseUrl: server.baseUrl, models: [...models, 'agg'] }],
      embedding: { provider: 'lexical' },
      aggregator: 'agg',
      k: models.length,
      n: 8,
      bank: path.join(storageDir, 'no-bank'),
    });
    const engine = await createEngine(config, benchHooks(storageDir));
    let result: AskResult | undefined;
    for await (const e of engine.ask('How do I make lookups fast?', { signal: new AbortController().signal })) {
      if (e.type === 'done') result = e.result;
      if (e.type === 'error') throw new Error(`bench ask failed: ${e.message}`);
    }
    await engine.dispose();
    if (!result) throw new Error('bench ask ended without a result');
    const chats = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
    const slowest = (model: (m: string | undefined) => boolean) => Math.max(...chats.filter((r) => model(r.model)).map(duration));
    const criticalPathMs = slowest((m) => m !== 'agg') + slowest((m) => m === 'agg');
    const { timings } = result;
    return { criticalPathMs, wallMs: timings.totalMs - timings.embedMs };
  } finally {
    await server.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return at(s, Math.floor(s.length / 2));
};

export async function benchPipeline(runs: number): Promise<PipelineBenchmark> {
  const results = await withBenchStorage(async (storageDir) => {
    await pipelineRun(storageDir);
    const timed: { criticalPathMs: number; wallMs: number }[] = [];
    for (let i = 0; i < runs; i++) timed.push(await pipelineRun(storageDir));
    return timed;
  });
  const criticalPathMs = median(results.map((r) => r.criticalPathMs));
  const wallMs = median(results.map((r) => r.wallMs));
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    criticalPathMs: round(criticalPathMs),
    wallMs: round(wallMs),
    overheadMs: round(wallMs - criticalPathMs),
    withinBar: wallMs <= criticalPathMs * 1.05 + 50,
    runs,
  };
}

/** The import benchmark with the lexical embedder, and with the config's transformers embedder when `--config` names one (an endpoint embedder would time the network, not the import). */
async function benchImports(options: BenchOptions, dir: string, progress: (m: string) => void): Promise<ImportBenchmark[]> {
  const embedders: Embedder[] = [new LexicalEmbedder()];
  if (options.config) {
    const config = loadConfig(options);
    const local = () => {
      throw new Error('the import benchmark uses a local embedder only');
    };
    if (config.embedding.provider === 'transformers') embedders.push(embedderFor(config, cliHooks(options), local));
  }
  const out: ImportBenchmark[] = [];
  for (const embedder of embedders) out.push(await benchmarkImport(dir, embedder, { onProgress: progress }));
  return out;
}

/** `smcs bench --store postgres`: the local store and a team bank side by side (see src/bench/storeBench.ts). */
async function benchStores(options: BenchOptions, dir: string, progress: (m: string) => void): Promise<StoreBenchmark[]> {
  const url = options.bank;
  if (url === undefined || !isTeamBankUrl(url)) throw new UsageError('bench --store postgres needs --bank postgres://user@host:port/db naming a scratch database (its smcs schema is dropped and rebuilt)');
  const localSizes = options.localSizes ?? options.sizes.filter((s) => s <= 300_000);
  const rows = await benchmarkStores({ sizes: options.sizes, localSizes, dim: options.dim, pgUrl: url, dir, ...(options.queries ? { queries: options.queries } : {}), onProgress: progress });
  if (options.json) process.stdout.write(`${JSON.stringify({ stores: rows }, null, 2)}\n`);
  else process.stdout.write(`${formatStoreTable(rows)}\n`);
  return rows;
}

/** The store benchmark as a table, one row per store and size: the path the store takes there, then each path on its own. */
export function formatStoreTable(rows: readonly StoreBenchmark[]): string {
  const head = 'store        size  dim  import/s  indexMs search   p50Ms   p95Ms  recall  topK exactP50 indexP50 indexRecall indexTopK  support   bytes/q';
  const lines = rows.map((r) =>
    [
      r.store.padEnd(8),
      String(r.size).padStart(9),
      String(r.dim).padStart(4),
      r.importPerS.toFixed(0).padStart(9),
      r.indexMs.toFixed(0).padStart(8),
      r.search.padEnd(6),
      r.p50Ms.toFixed(1).padStart(7),
      r.p95Ms.toFixed(1).padStart(7),
      r.supportRecall.toFixed(4).padStart(7),
      r.topKAgreement.toFixed(3).padStart(5),
      r.exact.p50Ms.toFixed(1).padStart(8),
      (r.index ? r.index.p50Ms.toFixed(1) : '–').padStart(8),
      (r.index ? r.index.supportRecall.toFixed(4) : '–').padStart(11),
      (r.index ? r.index.topKAgreement.toFixed(3) : '–').padStart(9),
      r.supportSize.toFixed(0).padStart(8),
      r.diskBytesPerQuestion.toFixed(0).padStart(9),
    ].join(' '),
  );
  return [head, ...lines].join('\n');
}

/** The workspace benchmark with the lexical embedder, or the config's transformers embedder when `--config` names one (MiniLM's chunks/s). */
async function benchWorkspace(options: BenchOptions, files: number, dir: string, progress: (m: string) => void): Promise<WorkspaceBenchmark> {
  const config = options.config ? loadConfig(options) : undefined;
  const local = () => {
    throw new Error('the workspace benchmark uses a local embedder only');
  };
  const embedder = config?.embedding.provider === 'transformers' ? embedderFor(config, cliHooks(options), local) : new LexicalEmbedder();
  const w = await benchmarkWorkspace({ files, dir: path.join(dir, 'workspace'), embedder, onProgress: progress });
  if (options.json) process.stdout.write(`${JSON.stringify({ workspace: w }, null, 2)}\n`);
  else {
    const mark = (value: number, goal: number) => `${value} ms (goal ≤ ${goal} ms${value <= goal ? '' : ', OVER'})`;
    process.stdout.write(
      [
        `workspace: ${w.files} files → ${w.chunks} chunks with ${w.embedder}`,
        `  index build ${mark(w.buildMs, w.goals.buildMs)} (CPU ${w.buildCpuMs} ms), ${w.chunksPerSecond} chunks/s; on disk ${(w.indexBytes / 1e6).toFixed(1)} MB`,
        `  re-index one saved file ${mark(w.reindexOneMs, w.goals.reindexOneMs)}; refresh with nothing changed ${w.unchangedRefreshMs} ms`,
        `  context assembly p50 ${mark(w.assemblyP50Ms, w.goals.assemblyP50Ms)} (CPU ${w.assemblyCpuP50Ms} ms), p95 ${w.assemblyP95Ms} ms`,
        `  parse one file (tree-sitter) p50 ${w.parseP50Ms} ms, p95 ${w.parseP95Ms} ms`,
        `  search decision: calibration ${w.calibrationMs} ms once per index (again when a twentieth of it changes), then p50 ${w.decisionP50Ms} ms, p95 ${w.decisionP95Ms} ms a question; first ask on the saved index ${w.firstAskMs} ms`,
      ].join('\n') + '\n',
    );
  }
  return w;
}

/** `smcs bench --stragglers SET.jsonl`: the replay set asked waiting for all and with the deadline (src/bench/stragglerBench.ts). */
async function benchStragglers(options: BenchOptions, file: string): Promise<StragglerBenchmark> {
  const text = utf8Text(await readUserFile(file, { label: `--stragglers ${file}`, maxBytes: MAX_TEXT_FILE_BYTES }));
  if (options.stragglerFactor === 0) throw new UsageError('--straggler-factor 0 is waiting for all, which the benchmark measures beside the deadline; give the deadline\'s factor (above 0)');
  const tasks = parseTasks(text, path.basename(file));
  const embedder: Embedder = options.config === undefined ? new LexicalEmbedder() : embedderFor(loadConfig(options), cliHooks(options), () => {
    throw new UsageError('bench --stragglers cannot use an endpoint embedder; use transformers or lexical');
  });
  const result = await benchmarkStragglers({
    tasks,
    embedder,
    ...(options.k !== undefined ? { k: options.k } : {}),
    ...(options.kDrop !== undefined ? { kDrop: options.kDrop } : {}),
    ...(options.seeds !== undefined ? { seeds: options.seeds } : {}),
    ...(options.stragglerFactor !== undefined ? { stragglerFactor: options.stragglerFactor } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (done, total) => {
      if (!options.json) process.stderr.write(`\r${done}/${total} asked`);
    },
  });
  if (options.json) process.stdout.write(`${JSON.stringify({ stragglers: { set: path.basename(file), ...result } }, null, 2)}\n`);
  else {
    process.stderr.write('\n');
    printText(formatStragglers(result, path.basename(file)).join('\n'));
  }
  return result;
}

/** The straggler benchmark as a small table and the goal's verdict. */
export function formatStragglers(r: StragglerBenchmark, set: string): string[] {
  const s = (ms: number) => (ms / 1000).toFixed(1).padStart(7);
  const [wait, deadline] = r.policies;
  const row = (name: string, p: typeof wait) => `${name.padEnd(20)} ${s(p.p50Ms)} ${s(p.p90Ms)} ${(p.accuracy * 100).toFixed(1).padStart(10)} ${p.lateModelsPerAsk.toFixed(2).padStart(15)}`;
  const { goal, referencerStage: stage } = r;
  const bound = goal.maxP90Ratio * r.enough.p90Ms;
  return [
    `stragglers: ${set}: ${r.questions} questions × ${r.seeds.length} seed${r.seeds.length === 1 ? '' : 's'} (${r.seeds.join(', ')}) = ${r.asks} asks, ${r.models} models, K=${r.k}, Kdrop=${r.kDrop}, n=${r.n}, ${r.folds} folds`,
    `  simulated latencies: per-model medians ${MEDIAN_RANGE_MS[0] / 1000}–${MEDIAN_RANGE_MS[1] / 1000} s (log-uniform), σ ${LATENCY_SIGMA}, ${TAIL_SHARE * 100} % of calls ${TAIL_FACTOR[0]}–${TAIL_FACTOR[1]}× slower; the checks' own time left out`,
    `  ${'policy'.padEnd(20)} ${'p50 s'.padStart(7)} ${'p90 s'.padStart(7)} ${'accuracy %'.padStart(10)} ${'late models/ask'.padStart(15)}`,
    `  ${row('wait for all', wait)}`,
    `  ${row(`deadline (×${deadline.stragglerFactor})`, deadline)}`,
    `  K − Kdrop-th reply + aggregation: p50 ${(r.enough.p50Ms / 1000).toFixed(1)} s, p90 ${(r.enough.p90Ms / 1000).toFixed(1)} s; ${deadline.asksWithLate} of ${r.asks} asks left a model out`,
    `  the referencer stage alone: p90 ${(stage.wait.p90Ms / 1000).toFixed(1)} s waiting, ${(stage.deadline.p90Ms / 1000).toFixed(1)} s with the deadline, ` +
      `${(stage.enough.p90Ms / 1000).toFixed(1)} s to the K − Kdrop-th reply (deadline ${(stage.deadline.p90Ms / stage.enough.p90Ms).toFixed(2)}× that)`,
    `  by seed, accuracy % waiting → with the deadline (asks with a late model): ${r.bySeed.map((b) => `${b.seed}: ${((100 * b.waitSolved) / b.asks).toFixed(1)} → ${((100 * b.deadlineSolved) / b.asks).toFixed(1)} (${b.asksWithLate})`).join(', ')}`,
    `  goal: deadline p90 ${(deadline.p90Ms / 1000).toFixed(1)} s ≤ ${goal.maxP90Ratio} × ${(r.enough.p90Ms / 1000).toFixed(1)} s = ${(bound / 1000).toFixed(1)} s (ratio ${goal.p90Ratio.toFixed(2)}), ` +
      `accuracy ${goal.accuracyDropPoints.toFixed(1)} points below waiting (≤ ${goal.maxDropPoints}): ${goal.met ? 'met' : 'NOT met'}`,
  ];
}

/** `smcs bench --first-words`: the time a person waits for one model and for the `smcs` model (src/bench/firstWordsBench.ts). */
async function benchFirstWords(options: BenchOptions, progress: (m: string) => void): Promise<FirstWordsBenchmark> {
  if (options.k !== undefined && options.k < 2) throw new UsageError('bench --first-words needs --k 2 or more: the agreement shortcut compares the referencers\' replies');
  const firstWords = await withBenchStorage((dir) =>
    benchmarkFirstWords({
      serve: serveOnLoopback(dir),
      runs: options.runs,
      ...(options.replyTokens !== undefined ? { replyTokens: options.replyTokens } : {}),
      ...(options.tokensPerSecond !== undefined ? { tokensPerSecond: options.tokensPerSecond } : {}),
      ...(options.k !== undefined ? { k: options.k } : {}),
      ...(options.n !== undefined ? { n: options.n } : {}),
      onProgress: progress,
    }),
  );
  process.stdout.write(options.json ? `${JSON.stringify({ firstWords }, null, 2)}\n` : `${formatFirstWords(firstWords).join('\n')}\n`);
  return firstWords;
}

/** `smcs bench --team`: the database work a team server adds to an ask, at 50 asks a second. */
async function benchTeam(options: BenchOptions): Promise<TeamBenchmark> {
  const team = await withTeamDatabase(options, (db) => benchmarkTeamGate(db, 50, options.asks ?? 500));
  if (options.json) process.stdout.write(`${JSON.stringify({ team }, null, 2)}\n`);
  else process.stdout.write(`team server at ${team.asksPerSecond} asks/s (${team.asks} asks): key check + reservation p50 ${team.admitP50Ms} ms, p95 ${team.admitP95Ms} ms; ledger p50 ${team.settleP50Ms} ms, p95 ${team.settleP95Ms} ms; together p50 ${team.totalP50Ms} ms, p95 ${team.totalP95Ms} ms; ledger ${team.ledger.rowBytes} B a row (${team.ledger.totalBytesPerRow} B with page overhead and indexes, over ${team.ledger.rows} rows)\n`);
  return team;
}

export async function benchCommand(options: BenchOptions): Promise<{ retrieval: RetrievalBenchmark[]; pipeline: PipelineBenchmark; checks: ChecksBenchmark; server: ServerBenchmark; import?: ImportBenchmark[] } | { stores: StoreBenchmark[] } | { team: TeamBenchmark } | { workspace: WorkspaceBenchmark } | { stragglers: StragglerBenchmark } | { tokenCount: TokenCountBenchmark } | { firstWords: FirstWordsBenchmark }> {
  const dir = options.dir ?? path.join(storageDir(), 'bench');
  const progress = (m: string) => {
    if (!options.json) process.stderr.write(`${m}\n`);
  };
  if (options.store === 'postgres') return { stores: await benchStores(options, dir, progress) };
  if (options.team) return { team: await benchTeam(options) };
  if (options.workspaceFiles !== undefined) return { workspace: await benchWorkspace(options, options.workspaceFiles, dir, progress) };
  if (options.stragglers !== undefined) return { stragglers: await benchStragglers(options, options.stragglers) };
  if (options.firstWords) return { firstWords: await benchFirstWords(options, progress) };
  if (options.tokenCount) {
    const tokenCount = benchmarkTokenCount();
    process.stdout.write(options.json ? `${JSON.stringify({ tokenCount }, null, 2)}\n` : `${formatTokenCount(tokenCount)}\n`);
    return { tokenCount };
  }
  const retrieval = await benchmarkRetrieval(options.sizes, options.dim, dir, { onProgress: progress });
  progress('measuring pipeline overhead against the loopback server');
  const pipeline = await benchPipeline(options.runs);
  progress('measuring code checks: 8 candidates × 3 examples');
  const checks = await benchmarkChecks({ runs: options.runs, onProgress: progress });
  progress('measuring smcs serve: overhead over an in-process ask, and 16 clients at once');
  const server = await benchmarkServer(Math.max(10, options.runs * 5));
  const imports = options.import ? await benchImports(options, dir, progress) : undefined;
  const out = { retrieval, pipeline, checks, server, ...(imports ? { import: imports } : {}) };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const f = (x: number) => x.toFixed(2).padStart(9);
    const lines = ['    size  dim    openMs     p50Ms     p95Ms scanP50Ms'];
    for (const r of retrieval) lines.push(`${String(r.size).padStart(8)} ${String(r.dim).padStart(4)} ${f(r.openMs)} ${f(r.p50Ms)} ${f(r.p95Ms)} ${f(r.scanP50Ms)}`);
    lines.push(
      '',
      `pipeline: critical path ${pipeline.criticalPathMs} ms, wall ${pipeline.wallMs} ms, overhead ${pipeline.overheadMs} ms ` +
        `(${pipeline.withinBar ? 'within' : 'OVER'} the 5% + 50 ms bar; median of ${pipeline.runs} runs)`,
    );
    for (const c of checks.scenarios) {
      lines.push(`checks: ${c.name}: ${c.candidates} candidates × ${c.examples} examples in ${c.wallMs} ms (min ${c.minMs}, max ${c.maxMs}; ${c.passed}/${c.total} passed)`);
    }
    lines.push(`checks: sandbox ${checks.sandbox}, ${checks.concurrency} at once, ${checks.withinGoal ? 'within' : 'OVER'} the ${checks.goalMs} ms goal (median of ${checks.runs} runs)`);
    const c16 = server.concurrent;
    lines.push(
      `serve: p50 ${server.serverP50Ms} ms through the server vs ${server.inProcessP50Ms} ms in process: overhead ${server.overheadP50Ms} ms (${server.withinGoal ? 'within' : 'OVER'} the 10 ms goal; ${server.samples} asks each)`,
      `serve: ${c16.clients} clients at once against slow upstreams: p50 ${c16.p50Ms} ms, p95 ${c16.p95Ms} ms, peak RSS ${c16.peakRssMb} MB (${c16.rssBeforeMb} MB before)`,
    );
    for (const i of imports ?? []) {
      const p = i.phasesMs;
      lines.push(`import: ${i.files} files, ${i.records} records, ${i.questions} questions (${i.skipped} skipped) in ${(i.ms / 1000).toFixed(1)} s with ${i.embedder} (read ${p.read} ms, validate ${p.validate} ms, embed ${p.embed} ms, write ${p.write} ms)`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return out;
}
