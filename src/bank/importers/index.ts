/**
 * Benchmark importers: turn existing evaluation results into validated bank records without
 * re-running models. Formats: `jsonl` (the bank interchange, DESIGN §4), `lm-eval`
 * (lm-evaluation-harness `--log_samples` output) and `mmlu-pro` (the MMLU-Pro per-model output
 * files). Every file is validated before anything is returned; the caller adds the records to
 * a bank (`QuestionBank.add`, which embeds them).
 */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { JsonlValidator } from '../jsonlValidator';
import { applyAlias, RecordMerger, type ImportFormat, type ParsedImport } from './common';
import { looksLikeLmEvalSample, modelFromLmEvalResults, parseLmEvalSamples, parseSamplesFileName } from './lmEval';
import { looksLikeMmluPro, modelFromMmluProFileName, parseMmluProFile } from './mmluPro';

export { ImportFormatError, RecordMerger, type ImportFormat, type ImportIssue, type ParsedImport, type SourceFile } from './common';
export { modelFromMmluProFileName, parseMmluProFile } from './mmluPro';
export { modelFromLmEvalResults, parseLmEvalSamples, parseSamplesFileName, questionFromSample, type LmEvalOptions } from './lmEval';

/** Options of `importFiles`. */
export interface ImportFilesOptions {
  /** Input format; `auto` (default) detects it from the first path. */
  format?: ImportFormat | 'auto';
  /** Files or folders (folders are searched recursively for the format's files). */
  paths: string[];
  /** Source model name → bank model key (e.g. an endpoint model id). */
  aliases?: Readonly<Record<string, string>>;
  /** lm-eval: the evaluated model's name, instead of reading it from the results JSON. */
  model?: string;
  /** lm-eval: primary metric name (default: the first numeric metric of each line). */
  metric?: string;
  /** lm-eval: filter to keep (default: the first in each file). */
  filter?: string;
}

const FORMATS: readonly ImportFormat[] = ['jsonl', 'lm-eval', 'mmlu-pro'];

async function readHead(path: string, bytes = 65536): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

function formatOfName(path: string): ImportFormat | null {
  const name = basename(path);
  if (modelFromMmluProFileName(name) !== null) return 'mmlu-pro';
  if (parseSamplesFileName(name) !== null) return 'lm-eval';
  return null;
}

/**
 * Detects the format of a file or folder: by file name (`model_outputs_*_5shots.json`,
 * `samples_<task>_<date>.jsonl`), else by content (a JSON list with `question_id` and `options`;
 * JSONL lines with `doc_id`, `doc` and `resps`; other `.jsonl` is the bank interchange). A folder
 * takes the format of the files it holds. Throws an Error naming the path when it cannot tell.
 */
export async function detectFormat(path: string): Promise<ImportFormat> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const files = await listFiles(path);
    const named = files.map(formatOfName).find((f) => f !== null);
    if (named) return named;
    const jsonl = files.find((f) => f.endsWith('.jsonl'));
    if (jsonl) return detectFormat(jsonl);
    throw new Error(`cannot tell the import format of folder ${path}: no model_outputs_*.json, samples_*.jsonl or .jsonl files in it; pass the format`);
  }
  const named = formatOfName(path);
  if (named) return named;
  const head = await readHead(path);
  if (looksLikeMmluPro(head)) return 'mmlu-pro';
  const firstLine = head.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  if (looksLikeLmEvalSample(firstLine)) return 'lm-eval';
  if (path.endsWith('.jsonl') || /^\s*\{.*"id"\s*:.*"question"\s*:/.test(firstLine)) return 'jsonl';
  throw new Error(`cannot tell the import format of ${path}; pass the format (${FORMATS.join(', ')})`);
}

/** The files of `format` named by `paths` (folders expanded recursively, sorted). */
async function expandPaths(paths: readonly string[], format: ImportFormat): Promise<string[]> {
  const wanted = (f: string): boolean =>
    format === 'mmlu-pro' ? modelFromMmluProFileName(f) !== null : format === 'lm-eval' ? parseSamplesFileName(f) !== null : f.endsWith('.jsonl');
  const out: string[] = [];
  for (const p of paths) {
    if ((await stat(p)).isDirectory()) {
      const found = (await listFiles(p)).filter(wanted);
      if (found.length === 0) throw new Error(`no ${format} files in folder ${p}`);
      out.push(...found);
    } else {
      out.push(p);
    }
  }
  return [...new Set(out)];
}

/** The model of an lm-eval samples file: the results JSON of the same run (same date) or the folder's only results JSON. */
async function lmEvalModel(samplesPath: string, merger: RecordMerger, cache: Map<string, string | null>): Promise<string | null> {
  const dir = dirname(samplesPath);
  const date = parseSamplesFileName(samplesPath)?.date;
  const results = (await readdir(dir)).filter((n) => /^results_.*\.json$/.test(n)).sort();
  const chosen = (date && results.find((n) => n === `results_${date}.json`)) || (results.length === 1 ? results[0] : undefined);
  const where = basename(samplesPath);
  if (!chosen) {
    merger.issue(where, 'file', 'model', results.length === 0
      ? 'no results_*.json next to it to read the model name from; pass the model name explicitly'
      : `several results_*.json next to it and none of the same run; pass the model name explicitly`);
    return null;
  }
  const resultsPath = join(dir, chosen);
  if (!cache.has(resultsPath)) {
    const found = modelFromLmEvalResults(await readFile(resultsPath, 'utf8'));
    if ('error' in found) merger.issue(chosen, 'file', 'model_name', found.error);
    cache.set(resultsPath, 'model' in found ? found.model : null);
  }
  return cache.get(resultsPath) ?? null;
}

/**
 * Reads, validates and merges the given files into bank records. Records with the same id
 * (the same question in several model files) have their labels joined. Throws
 * `ImportFormatError` listing every problem (file, line or index, field) when any file is bad;
 * nothing is returned partially.
 */
export async function importFiles(options: ImportFilesOptions): Promise<ParsedImport> {
  const [firstPath] = options.paths;
  if (firstPath === undefined) throw new Error('no input files given');
  const format = !options.format || options.format === 'auto' ? await detectFormat(firstPath) : options.format;
  if (!FORMATS.includes(format)) throw new Error(`unknown import format ${JSON.stringify(format)}; expected one of ${FORMATS.join(', ')}`);
  const files = await expandPaths(options.paths, format);
  const merger = new RecordMerger();
  const resultsCache = new Map<string, string | null>();
  for (const path of files) {
    const text = await readFile(path, 'utf8');
    if (format === 'mmlu-pro') {
      parseMmluProFile({ path, text }, merger, options.aliases);
    } else if (format === 'lm-eval') {
      const model = options.model ?? (await lmEvalModel(path, merger, resultsCache));
      if (model !== null) parseLmEvalSamples({ path, text }, { model, aliases: options.aliases, metric: options.metric, filter: options.filter }, merger);
    } else {
      const validator = new JsonlValidator();
      for (const line of text.split(/\r?\n/)) validator.feed(line);
      for (const e of validator.errors) merger.issue(basename(path), `line ${e.line}`, e.field, e.message);
      if (validator.errors.length === 0) {
        for (const { line, record, embedding } of validator.lines) {
          const correct = record.correct && Object.fromEntries(Object.entries(record.correct).map(([m, v]) => [applyAlias(m, options.aliases), v]));
          merger.add({ ...record, ...(correct ? { correct } : {}), ...(embedding ? { embedding: Array.from(embedding) } : {}) }, basename(path), `line ${line}`);
        }
      }
    }
  }
  return merger.finish();
}
