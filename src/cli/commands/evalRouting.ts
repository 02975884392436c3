/**
 * `smcs eval routing --bank-file F.jsonl` or `--bank <folder|url>`: k-fold cross-validation of RPS routing (src/core/eval/routingEval.ts).
 * Uses the questions' `embedding` and `fold` fields when present (a bank always has the embeddings); otherwise embeds
 * with the configured embedder and assigns folds by a seeded shuffle.
 */
import { writeFile } from 'node:fs/promises';
import { MAX_TEXT_FILE_BYTES, readUserFile, utf8Text } from '../../files/userFile';
import path from 'node:path';
import { openBank, readBankEmbedder, validateBankJsonl } from '../../bank';
import { at } from '../../core/util/arrays';
import { createRng, shuffled } from '../../core/util/rng';
import { l2Norm } from '../../core/util/vectorMath';
import type { RoutingData, RoutingReport, ShrunkReport } from '../../core/eval/routingEval';
import type { PriorShrinkageSetting } from '../../core/contracts/config';
import type { CostReport } from '../../core/eval/costFrontier';
import { costLines, frontierSvg } from '../frontierPlot';
import { pricesFor, readPricesFile } from '../pricesFile';
import type { BankRecord } from '../../core/contracts/types';
import { cliHooks, loadConfig, printText, type GlobalOptions } from '../context';
import { UsageError } from '../errors';
import { jsonDocument } from '../../presentation/jsonDocument';
import { runRoutingEval } from '../routingRunner';
import { bankDir, embedderFor } from '../../engine/engine';
import { own } from '../../core/util/ownKeys';

export interface EvalRoutingOptions extends GlobalOptions {
  /** The labelled questions as bank JSONL; else the bank `--bank` names. */
  bankFile?: string;
  folds: number;
  k: number;
  nBase: number;
  gamma: number;
  seed: number;
  /** JSON file of USD per token per model: adds costs and the frontier. */
  prices?: string;
  /** SVG file to draw the frontier into (needs `prices`). */
  plot?: string;
  /** α of the shrunk priors reported beside the paper's (`auto`: each fold chooses its own). */
  priorShrinkage: PriorShrinkageSetting;
  json?: boolean;
}

/** The shrunk priors' lines of the text report. */
function shrunkLines(shrunk: ShrunkReport, pct: (x: number) => string): string[] {
  const alpha = (a: number) => String(Number(a.toFixed(2)));
  return [
    `shrunk priors α=${alpha(shrunk.alpha)} (per fold ${shrunk.alphaByFold.map(alpha).join(', ')})`,
    `  top-1      ${pct(shrunk.top1)}`,
    `  any-of-K   ${pct(shrunk.anyK)}`,
    `  rank score ${shrunk.rankScore.toFixed(3)}`,
    `  differs    top model on ${pct(shrunk.topDiffers)} of questions, set of K on ${pct(shrunk.setDiffers)}`,
  ];
}

/** Assigns folds: the file's own when every record has one, else a seeded shuffle dealt round-robin. */
export function assignFolds(records: readonly BankRecord[], folds: number, seed: number, source: string): Int32Array {
  const withFold = records.filter((r) => r.fold !== undefined).length;
  if (withFold === records.length) return Int32Array.from(records, (r) => r.fold as number);
  if (withFold > 0) {
    const line = records.findIndex((r) => r.fold === undefined) + 1;
    throw new UsageError(`${source}: question ${line} has no "fold" while others do; give every question a fold or none`);
  }
  if (folds < 2) throw new UsageError('--folds must be at least 2');
  const out = new Int32Array(records.length);
  shuffled(
    records.map((_, i) => i),
    createRng(seed),
  ).forEach((q, position) => {
    out[q] = position % folds;
  });
  return out;
}

/** The questions of a bank JSONL file, validated (errors name the line). */
async function fileRecords(file: string): Promise<BankRecord[]> {
  const text = utf8Text(await readUserFile(file, { label: `--bank-file ${file}`, maxBytes: MAX_TEXT_FILE_BYTES }));
  const { records, errors } = validateBankJsonl(text, path.basename(file));
  if (errors.length > 0) {
    const shown = errors.slice(0, 5).map((e) => `${e.source}:${e.line}: ${e.field}: ${e.message}`);
    throw new Error(`${file} has ${errors.length} invalid line(s):\n  ${shown.join('\n  ')}`);
  }
  return records;
}

/** Every question of the bank at `location` in bank order, with its stored embedding and labels. */
async function bankRecords(location: string): Promise<BankRecord[]> {
  const found = await readBankEmbedder(location);
  if (!('embedder' in found)) throw new UsageError(`--bank: no question bank at ${location}`);
  const bank = await openBank(location, { embedder: found.embedder });
  try {
    const records: BankRecord[] = [];
    for await (const record of bank.scan({ embedding: true })) records.push(record);
    return records;
  } finally {
    await bank.close();
  }
}

/** Builds the dense routing data from a file (`options.bankFile`) or the bank: unit embeddings (float64), label matrix, folds. */
export async function loadRoutingData(options: EvalRoutingOptions): Promise<RoutingData> {
  const file = options.bankFile ?? bankDir(loadConfig(options), cliHooks(options).storageDir);
  const source = path.basename(file);
  const records = options.bankFile !== undefined ? await fileRecords(options.bankFile) : await bankRecords(file);
  if (records.length < 2) throw new Error(`${file} needs at least two questions`);
  const missing = records.filter((r) => !r.embedding);
  if (missing.length > 0) {
    const config = loadConfig(options);
    const hooks = cliHooks(options);
    const embedder = embedderFor(config, hooks, () => {
      throw new UsageError('eval routing cannot use an endpoint embedder; embed the file first or use transformers/lexical');
    });
    const batch = 64;
    for (let i = 0; i < missing.length; i += batch) {
      const slice = missing.slice(i, i + batch);
      const vectors = await embedder.embed(slice.map((r) => r.question));
      slice.forEach((r, j) => {
        r.embedding = Array.from(at(vectors, j));
      });
    }
  }
  const dim = (at(records, 0).embedding as number[]).length;
  const n = records.length;
  const embeddings = new Float64Array(n * dim);
  records.forEach((r, i) => {
    const v = r.embedding as number[];
    if (v.length !== dim) throw new Error(`${source}: question ${r.id} has a ${v.length}-d embedding; the first has ${dim}`);
    const norm = l2Norm(v);
    v.forEach((x, d) => {
      embeddings[i * dim + d] = x / norm;
    });
  });
  const models = [...new Set(records.flatMap((r) => Object.keys(r.correct ?? {})))];
  if (models.length === 0) throw new Error(`${file} has no "correct" labels: nothing to evaluate`);
  const labels = new Int8Array(models.length * n).fill(-1);
  models.forEach((m, mi) =>
    records.forEach((r, q) => {
      const c = own(r.correct, m);
      if (c !== undefined) labels[mi * n + q] = c;
    }),
  );
  return { n, dim, embeddings, models, labels, folds: assignFolds(records, options.folds, options.seed, source), ...tokenMatrix(records, models) };
}

/** The records' reply tokens as models × n matrices (NaN where none is recorded); nothing when no record has any. */
function tokenMatrix(records: readonly BankRecord[], models: readonly string[]): Pick<RoutingData, 'tokens'> {
  if (!records.some((r) => r.tokens !== undefined)) return {};
  const n = records.length;
  const prompt = new Float32Array(models.length * n).fill(Number.NaN);
  const completion = new Float32Array(models.length * n).fill(Number.NaN);
  models.forEach((m, mi) =>
    records.forEach((r, q) => {
      const t = own(r.tokens, m);
      if (t === undefined) return;
      prompt[mi * n + q] = t.prompt;
      completion[mi * n + q] = t.completion;
    }),
  );
  return { tokens: { prompt, completion } };
}

export async function evalRoutingCommand(options: EvalRoutingOptions): Promise<RoutingReport & Partial<CostReport> & { k: number; nBase: number; gamma: number; elapsedMs: number }> {
  const started = performance.now();
  if (options.bankFile === undefined && options.bank === undefined) throw new UsageError('eval routing needs --bank-file FILE.jsonl or --bank <folder|url>');
  if (options.plot !== undefined && options.prices === undefined) throw new UsageError('--plot draws the accuracy–cost frontier, which needs --prices FILE');
  const pricesByModel = options.prices === undefined ? undefined : await readPricesFile(options.prices);
  const data = await loadRoutingData(options);
  const prices = pricesByModel && pricesFor(data.models, pricesByModel, options.prices ?? '');
  if (prices && !data.tokens) throw new UsageError(`${options.bankFile ?? options.bank ?? 'the bank'} records no "tokens" on any line, so no question has a cost: add {"tokens": {"<model>": {"prompt": n, "completion": n}}} (smcs bank export writes them)`);
  const report = await runRoutingEval(data, { k: options.k, nBase: options.nBase, gamma: options.gamma }, { priorShrinkage: options.priorShrinkage, ...(prices ? { prices } : {}) });
  const result = { ...report, k: options.k, nBase: options.nBase, gamma: options.gamma, elapsedMs: Math.round(performance.now() - started) };
  if (options.plot !== undefined && report.frontier && report.singles) {
    await writeFile(options.plot, frontierSvg({ frontier: report.frontier, singles: report.singles, title: `${path.basename(options.bankFile ?? options.bank ?? 'bank')}: ${report.n} questions, ${report.folds} folds` }));
  }
  if (options.json) {
    process.stdout.write(`${jsonDocument(result, 2)}\n`);
  } else {
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    printText(
      [
        `${report.n} questions, ${report.models} models, ${report.folds} folds (K=${options.k}, Nbase=${options.nBase}, γ=${options.gamma})`,
        `best single  ${pct(report.bestSingle)}  (${report.bestModel})`,
        `random       ${pct(report.random)}`,
        `RPS top-1    ${pct(report.top1)}`,
        `RPS any-of-K ${pct(report.anyK)}`,
        `oracle       ${pct(report.oracle)}`,
        `rank score   ${report.rankScore.toFixed(3)} (Eq. 8; per-question average with ties ½: ${report.rankScorePerQuestion.toFixed(3)})`,
        ...(report.shrunk ? shrunkLines(report.shrunk, pct) : []),
        ...(report.frontier && report.singles ? costLines(report.frontier, report.singles, report.bestModel) : []),
        `(${(result.elapsedMs / 1000).toFixed(1)} s)`,
      ].join('\n'),
    );
  }
  return result;
}
