/**
 * The time a person waits (issue 68, `smcs bench --first-words`): one model straight through `smcs serve`'s pass-through
 * (`smcs/<model>`) beside the `smcs` model (the whole method, its answer streamed as it is written), each streamed with
 * the openai SDK from a server running in process over the bench's loopback upstream, every reply N words written at R
 * a second (one word a chunk). Measured per request: the time to the first content words, to the whole answer, the
 * content deltas and the upstream calls; reported as medians of the runs. The `smcs` model runs with the agreement
 * shortcut off, on with referencers whose final answers differ (it does not apply), and on with referencers that all
 * answer (B) (it does: no aggregation, the agreed reply sent whole). Every model starts writing at once (no
 * first-byte latency): what is measured is the method's waiting on whole replies, not a server's queue.
 *
 * The server is the caller's (`ServeSmcs`): the bench layer measures from the client's side and does not import the
 * engine or the server (src/cli/serverBench.ts `serveOnLoopback` starts them).
 */
import OpenAI from 'openai';
import { at, percentile } from '../core/util/arrays';
import { startBenchUpstream, type BenchUpstream } from './benchUpstream';

/** What the bench asks of the server it measures: the engine over `baseUrl` with these models and parameters. */
export interface SmcsSetup {
  baseUrl: string;
  models: string[];
  aggregator: string;
  k: number;
  n: number;
  agreementShortcut: boolean;
}

/** A running `smcs serve` on loopback. */
export interface ServedSmcs {
  /** e.g. `http://127.0.0.1:PORT/v1` */
  url: string;
  apiKey: string;
  close(): Promise<void>;
}

export type ServeSmcs = (setup: SmcsSetup) => Promise<ServedSmcs>;

export interface FirstWordsOptions {
  serve: ServeSmcs;
  /** Words of every reply (referencers' and aggregations'), at least 5 (default 300). */
  replyTokens?: number;
  /** Words a second every model writes (default 50). */
  tokensPerSecond?: number;
  /** Referencers, at least 2 (default 3). */
  k?: number;
  /** Subset draws (default 4). */
  n?: number;
  /** Runs, each asking every scenario once; the medians are reported (default 3). */
  runs?: number;
  onProgress?: (message: string) => void;
}

/** What a person gets from one model, or from one scenario of the `smcs` model: medians over the runs. */
export interface Wait {
  /** From sending the request to the first content delta that holds a word. */
  firstWordsMs: number;
  /** From sending the request to the end of the stream. */
  wholeMs: number;
  /** Chunks with content. */
  contentDeltas: number;
  /** Chat completions the upstream received for the request. */
  upstreamCalls: number;
}

export type FirstWordsScenario = 'shortcut off' | 'shortcut on, replies differ' | 'shortcut on, replies agree';

export interface SmcsWait extends Wait {
  scenario: FirstWordsScenario;
  agreementShortcut: boolean;
  repliesAgree: boolean;
  /** Aggregations the answer's `smcs` field lists (one per distinct subset drawn; 0 when the shortcut applied). */
  aggregations: number;
  /** wholeMs ÷ one model's wholeMs. */
  wholeRatio: number;
  /** firstWordsMs − one model's wholeMs. */
  firstAfterOneModelMs: number;
  /** Each goal of `FirstWordsBenchmark.goals`, met or not. */
  met: { firstWords: boolean; whole: boolean; contentDeltas: boolean };
}

export interface FirstWordsBenchmark {
  replyTokens: number;
  tokensPerSecond: number;
  k: number;
  n: number;
  runs: number;
  oneModel: Wait & { model: string };
  smcs: SmcsWait[];
  /** Issue 68's goals: first words within one model's whole reply + 1.5 s, the whole within 2.2× it, at least 5 content deltas. */
  goals: { firstAfterOneModelMs: number; wholeRatio: number; contentDeltas: number };
}

const GOALS = { firstAfterOneModelMs: 1500, wholeRatio: 2.2, contentDeltas: 5 };
const AGGREGATOR = 'agg';
const QUESTION = 'Which data structure gives O(1) average-time lookups by key?\n(A) A sorted array\n(B) A hash map\n(C) A linked list\n(D) A binary heap';
/**
 * The final answers of referencers that differ, in turn: at most a third state the same one, so the shortcut never
 * applies; the aggregations answer (B) with the first, so the vote keeps the candidate that streamed.
 */
const DIFFERING = ['B', 'A', 'C'];
const SCENARIOS: { scenario: FirstWordsScenario; agreementShortcut: boolean; repliesAgree: boolean }[] = [
  { scenario: 'shortcut off', agreementShortcut: false, repliesAgree: false },
  { scenario: 'shortcut on, replies differ', agreementShortcut: true, repliesAgree: false },
  { scenario: 'shortcut on, replies agree', agreementShortcut: true, repliesAgree: true },
];

/** `tokens` words of `who`'s own, the last four "The answer is (X)." */
const replyText = (who: string, tokens: number, letter: string): string =>
  [...Array.from({ length: tokens - 4 }, (_, i) => `${who}word${i}`), `The answer is (${letter}).`].join(' ');

const chatCalls = (upstream: BenchUpstream): number => upstream.requests.filter((r) => r.path.endsWith('/chat/completions')).length;

interface Sample extends Wait {
  /** The `smcs` field's candidates, when the reply carried one. */
  aggregations?: number;
}

/** One request streamed with the openai SDK, timed as a person sees it. */
async function streamOnce(served: ServedSmcs, model: string, upstream: BenchUpstream): Promise<Sample> {
  const client = new OpenAI({ baseURL: served.url, apiKey: served.apiKey, maxRetries: 0 });
  const calls = chatCalls(upstream);
  const started = performance.now();
  let firstWordsMs: number | undefined;
  let contentDeltas = 0;
  let aggregations: number | undefined;
  const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: QUESTION }], stream: true });
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta.content ?? '';
    if (content !== '') contentDeltas++;
    if (/\S/.test(content)) firstWordsMs ??= performance.now() - started;
    const summary = (chunk as { smcs?: { candidates: unknown[] } }).smcs;
    if (summary) aggregations = summary.candidates.length;
  }
  const wholeMs = performance.now() - started;
  if (firstWordsMs === undefined) throw new Error(`${model} streamed no words`);
  return { firstWordsMs, wholeMs, contentDeltas, upstreamCalls: chatCalls(upstream) - calls, ...(aggregations !== undefined ? { aggregations } : {}) };
}

const median = (samples: readonly Sample[], of: (s: Sample) => number): number => percentile(samples.map(of), 0.5);

/** The medians of a request's samples, ms rounded to whole ms. */
function waitOf(samples: readonly Sample[]): Wait {
  return {
    firstWordsMs: Math.round(median(samples, (s) => s.firstWordsMs)),
    wholeMs: Math.round(median(samples, (s) => s.wholeMs)),
    contentDeltas: median(samples, (s) => s.contentDeltas),
    upstreamCalls: median(samples, (s) => s.upstreamCalls),
  };
}

export async function benchmarkFirstWords(options: FirstWordsOptions): Promise<FirstWordsBenchmark> {
  const { replyTokens = 300, tokensPerSecond = 50, k = 3, n = 4, runs = 3 } = options;
  if (replyTokens < 5) throw new RangeError(`replies of ${replyTokens} words cannot end with "The answer is (B)." after words of their own`);
  if (k < 2) throw new RangeError('the agreement shortcut compares two referencers\' replies at the least: k must be 2 or more');
  const referencers = Array.from({ length: k }, (_, i) => `r${i + 1}`);
  const upstream = await startBenchUpstream([...referencers, AGGREGATOR]);
  const chunkDelayMs = 1000 / tokensPerSecond;
  const script = (agree: boolean) => {
    referencers.forEach((model, i) => upstream.script(model, { reply: replyText(model, replyTokens, agree ? 'B' : at(DIFFERING, i % DIFFERING.length)), chunkDelayMs }));
    upstream.script(AGGREGATOR, { reply: replyText(AGGREGATOR, replyTokens, 'B'), chunkDelayMs });
  };
  const servers: ServedSmcs[] = [];
  try {
    const setup = { baseUrl: upstream.baseUrl, models: [...referencers, AGGREGATOR], aggregator: AGGREGATOR, k, n };
    const off = await options.serve({ ...setup, agreementShortcut: false });
    servers.push(off);
    const on = await options.serve({ ...setup, agreementShortcut: true });
    servers.push(on);
    const oneModel = `smcs/${at(referencers, 0)}`;
    const one: Sample[] = [];
    const byScenario: Sample[][] = SCENARIOS.map(() => []);
    for (let run = 1; run <= runs; run++) {
      options.onProgress?.(`first words: run ${run} of ${runs}`);
      script(false);
      one.push(await streamOnce(off, oneModel, upstream));
      for (const [i, s] of SCENARIOS.entries()) {
        script(s.repliesAgree);
        at(byScenario, i).push(await streamOnce(s.agreementShortcut ? on : off, 'smcs', upstream));
      }
    }
    const oneWait = waitOf(one);
    const smcs = SCENARIOS.map((s, i): SmcsWait => {
      const samples = at(byScenario, i);
      const wait = waitOf(samples);
      const wholeRatio = Math.round((wait.wholeMs / oneWait.wholeMs) * 100) / 100;
      const firstAfterOneModelMs = wait.firstWordsMs - oneWait.wholeMs;
      return {
        ...s,
        ...wait,
        aggregations: median(samples, (x) => {
          if (x.aggregations === undefined) throw new Error('the smcs model\'s stream ended without its smcs field');
          return x.aggregations;
        }),
        wholeRatio,
        firstAfterOneModelMs,
        met: { firstWords: firstAfterOneModelMs <= GOALS.firstAfterOneModelMs, whole: wholeRatio <= GOALS.wholeRatio, contentDeltas: wait.contentDeltas >= GOALS.contentDeltas },
      };
    });
    return { replyTokens, tokensPerSecond, k, n, runs, oneModel: { model: oneModel, ...oneWait }, smcs, goals: { ...GOALS } };
  } finally {
    for (const s of servers) await s.close();
    await upstream.close();
  }
}

/** The benchmark as a small table, each scenario's verdict against the goals beside it. */
export function formatFirstWords(r: FirstWordsBenchmark): string[] {
  const s = (ms: number) => (ms / 1000).toFixed(2).padStart(8);
  const cells = (w: Wait) => `${s(w.firstWordsMs)} ${s(w.wholeMs)} ${String(w.contentDeltas).padStart(7)} ${String(w.upstreamCalls).padStart(6)}`;
  const missed = (w: SmcsWait) => Object.entries(w.met).filter(([, ok]) => !ok).map(([goal]) => goal);
  const verdict = (w: SmcsWait) => (missed(w).length === 0 ? 'met' : `NOT met: ${missed(w).join(', ')}`);
  const { goals } = r;
  return [
    `first words: replies of ${r.replyTokens} tokens at ${r.tokensPerSecond} tokens/s (${(r.replyTokens / r.tokensPerSecond).toFixed(1)} s each), K=${r.k}, n=${r.n}; median of ${r.runs} run${r.runs === 1 ? '' : 's'}`,
    `  ${'model'.padEnd(36)} ${'first s'.padStart(8)} ${'whole s'.padStart(8)} ${'deltas'.padStart(7)} ${'calls'.padStart(6)} ${'aggs'.padStart(5)} ${'whole/one'.padStart(9)} ${'first−one s'.padStart(11)}  goals`,
    `  ${`one model (${r.oneModel.model})`.padEnd(36)} ${cells(r.oneModel)}`,
    ...r.smcs.map((w) => `  ${`smcs, ${w.scenario}`.padEnd(36)} ${cells(w)} ${String(w.aggregations).padStart(5)} ${w.wholeRatio.toFixed(2).padStart(9)} ${`${w.firstAfterOneModelMs >= 0 ? '+' : ''}${(w.firstAfterOneModelMs / 1000).toFixed(2)}`.padStart(11)}  ${verdict(w)}`),
    `  goals: smcs's first words ≤ one model's whole + ${goals.firstAfterOneModelMs / 1000} s (firstWords), whole ≤ ${goals.wholeRatio}× one model's (whole), ≥ ${goals.contentDeltas} content deltas (contentDeltas)`,
  ];
}
