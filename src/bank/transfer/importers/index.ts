/**
 * Benchmark importers: turn existing evaluation results into validated bank records without
 * re-running models. Formats: `jsonl` (the bank interchange, ./importExport.ts), `lm-eval`
 * (lm-evaluation-harness `--log_samples` output) and `mmlu-pro` (the MMLU-Pro per-model output
 * files). Every file is validated before anything is returned; records that cannot be used are
 * left out and listed by reason (or, strict, the import is refused); the caller adds the records
 * to a bank (`importRecords`, which embeds them).
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { MAX_TEXT_FILE_BYTES, readUserFile, readUserFileHead, utf8Text } from '../../../files/userFile';
import { BankError } from '../../errors';
import type { ImportProgress } from '../importRecords';
import { JsonlValidator } from '../jsonlValidator';
import { applyAlias, RecordMerger, type ImportFormat, type ParsedImport } from './common';
import { looksLikeLmEvalSample, modelFromLmEvalResults, parseLmEvalSamples, parseSamplesFileName } from './lmEval';
import { looksLikeMmluPro, modelFromMmluProFileName, parseMmluProFile } from './mmluPro';
import { firstLine, formatMismatch } from './sniff';

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
  /** Refuse the whole import (ImportFormatError) when any record cannot be used, instead of skipping it. */
  strict?: boolean;
  /** The bank's embedding dimension: jsonl lines whose embedding has another length are skipped (or refused). */
  dimension?: number;
  /** Reports files read (`read`, done/total files). */
  onProgress?: (progress: ImportProgress) => void;
  /** Stops between files (BankError "import cancelled"). */
  signal?: AbortSignal;
}

const FORMATS: readonly ImportFormat[] = ['jsonl', 'lm-eval', 'mmlu-pro'];

/** A file given or found is read only when it is a regular file (a pipe or a device is refused, not read forever). */
const readText = async (path: string): Promise<string> => utf8Text(await readUserFile(path, { label: path, maxBytes: MAX_TEXT_FILE_BYTES }));

/** Every file under `dir`, recursively, sorted; symbolic links are followed (each folder visited once, so link loops end). */
async function listFiles(dir: string, visited = new Set<string>()): Promise<string[]> {
  const real = await realpath(dir);
  if (visited.has(real)) return [];
  visited.add(real);
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const info = entry.isSymbolicLink() ? await stat(full).catch(() => undefined) : entry;
    if (info?.isDirectory()) out.push(...(await listFiles(full, visited)));
    else if (info?.isFile()) out.push(full);
  }
  return out.sort();
}

function formatOfName(path: string): ImportFormat | null {
  // The whole path: MMLU-Pro's per-subject files are known by their folders (`<model>/CoT/all/math.json`).
  if (modelFromMmluProFileName(resolve(path)) !== null) return 'mmlu-pro';
  if (parseSamplesFileName(basename(path)) !== null) return 'lm-eval';
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
  const head = utf8Text(await readUserFileHead(path, path));
  if (looksLikeMmluPro(head)) return 'mmlu-pro';
  const line = firstLine(head);
  if (looksLikeLmEvalSample(line)) return 'lm-eval';
  if (path.endsWith('.jsonl') || /^\{.*"id"\s*:.*"question"\s*:/.test(line)) return 'jsonl';
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
      ? 'no results_*.json next to it to read the model name from; pass the model name with --model'
      : `several results_*.json next to it and none of the same run; pass the model name with --model`, 'no-model');
    return null;
  }
  const resultsPath = join(dir, chosen);
  if (!cache.has(resultsPath)) {
    const found = modelFromLmEvalResults(await readText(resultsPath));
    if ('error' in found) merger.issue(chosen, 'file', 'model_name', `${found.error}, so the model of ${where} cannot be told; pass the model name with --model`, 'no-model');
    cache.set(resultsPath, 'model' in found ? found.model : null);
  }
  return cache.get(resultsPath) ?? null;
}

/** Why a file holds no entry at all (empty, blank lines, `[]`), or null when it holds something. */
function emptiness(text: string): string | null {
  if (text === '') return 'the file is empty';
  if (text.trim() === '') return 'the file holds only blank lines';
  return /^\s*\[\s*\]\s*$/.test(text) ? 'the file is an empty JSON list' : null;
}

/** Adds one bank JSONL file's valid lines to `merger`; bad lines are its issues (file, line, field, reason). */
function parseJsonlFile(path: string, text: string, merger: RecordMerger, options: ImportFilesOptions): void {
  const name = basename(path);
  const validator = new JsonlValidator(options.dimension !== undefined ? { dimension: options.dimension } : {});
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() !== '') merger.entries++;
    validator.feed(line);
  }
  for (const e of validator.errors) merger.issue(name, `line ${e.line}`, e.field, e.message, e.reason);
  for (const { line, record, embedding } of validator.lines) {
    const correct = record.correct && Object.fromEntries(Object.entries(record.correct).map(([m, v]) => [applyAlias(m, options.aliases), v]));
    merger.add({ ...record, ...(correct ? { correct } : {}), ...(embedding ? { embedding: Array.from(embedding) } : {}) }, name, `line ${line}`);
  }
}

/**
 * Reads, validates and merges the given files into bank records. Records with the same id
 * (the same question in several model files) have their labels joined. Records that cannot be
 * used are left out and listed in `skipped` (file, index or line, reason); with `strict`, any such
 * record refuses the whole import (`ImportFormatError` listing every problem), as does an import
 * where no record at all can be used. Nothing is returned partially.
 */
export async function importFiles(options: ImportFilesOptions): Promise<ParsedImport> {
  const [firstPath] = options.paths;
  if (firstPath === undefined) throw new Error('no input files given');
  const format = !options.format || options.format === 'auto' ? await detectFormat(firstPath) : options.format;
  if (!FORMATS.includes(format)) throw new Error(`unknown import format ${JSON.stringify(format)}; expected one of ${FORMATS.join(', ')}`);
  const files = await expandPaths(options.paths, format);
  const merger = new RecordMerger();
  const resultsCache = new Map<string, string | null>();
  for (const [done, path] of files.entries()) {
    if (options.signal?.aborted) throw new BankError('import cancelled, nothing was written');
    options.onProgress?.({ phase: 'read', done, total: files.length, file: basename(path) });
    const text = await readText(path);
    const name = basename(path);
    const empty = emptiness(text);
    const mismatch = formatMismatch(format, text);
    if (empty !== null) {
      merger.nothingIn(name, empty);
    } else if (mismatch !== null) {
      merger.issue(name, 'file', '(file)', mismatch, 'unreadable-file');
    } else if (format === 'mmlu-pro') {
      parseMmluProFile({ path, text }, merger, options.aliases);
    } else if (format === 'lm-eval') {
      const model = options.model ?? (await lmEvalModel(path, merger, resultsCache));
      if (model !== null) parseLmEvalSamples({ path, text }, { model, aliases: options.aliases, metric: options.metric, filter: options.filter }, merger);
    } else {
      parseJsonlFile(path, text, merger, options);
    }
  }
  options.onProgress?.({ phase: 'read', done: files.length, total: files.length });
  return merger.finish({ strict: options.strict, files: files.length });
}
