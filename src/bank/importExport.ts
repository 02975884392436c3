/** Import and export of the bank interchange JSONL (DESIGN §4). */
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import type { Embedder } from '../core/types';
import { fsyncFile, fsyncDir, tempSibling } from './atomicFiles';
import { BankError, BankImportError, EmbedderMismatchError } from './errors';
import { JsonlValidator, type ValidatedLine } from './jsonlValidator';
import type { LabelUpdate, NewQuestion, QuestionBank } from './questionBank';

export interface ImportProgress {
  phase: 'validate' | 'embed' | 'write';
  done: number;
  total: number;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /** Questions embedded per call to the embedder (default 32). */
  batchSize?: number;
}

export interface ImportResult {
  /** New questions added. */
  added: number;
  /** Lines whose id was already in the bank: their labels were merged. */
  updated: number;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BankError('import cancelled, nothing was written');
}

async function validateFile(filePath: string, dimension: number, options: ImportOptions): Promise<JsonlValidator> {
  const validator = new JsonlValidator({ dimension });
  const lines = createInterface({ input: createReadStream(filePath, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    validator.feed(line);
    if (validator.lines.length % 1000 === 0) {
      checkAborted(options.signal);
      options.onProgress?.({ phase: 'validate', done: validator.lines.length, total: 0 });
    }
  }
  return validator;
}

/**
 * Imports a JSONL file into the bank in one atomic write. Every line is validated first (errors name the
 * line and field: BankImportError); lines without an `embedding` are embedded in batches with `embedder`,
 * which must be the bank's embedder; given embeddings are taken to come from it.
 *
 * Merge rule for ids already in the bank: the stored question, answer, metadata and embedding are kept;
 * the line's `correct` labels are merged in, the file's value winning for each model it names.
 * On any error or cancellation nothing is written.
 */
export async function importBankJsonl(bank: QuestionBank, filePath: string, embedder: Embedder, options: ImportOptions = {}): Promise<ImportResult> {
  if (!bank.writable) throw new BankError(`bank at ${bank.dir} was opened read-only; open it with write: true to import`);
  const { id: bankEmbedder, dimension } = bank.embedder;
  if (embedder.id !== bankEmbedder) {
    throw new EmbedderMismatchError(bank.dir, bank.embedder, { id: embedder.id, dimension: await embedder.dimension() });
  }
  const source = path.basename(filePath);
  const validator = await validateFile(filePath, dimension, options);
  if (validator.errors.length > 0) throw new BankImportError(source, validator.errors);

  const fresh: ValidatedLine[] = [];
  const labels: LabelUpdate[] = [];
  for (const entry of validator.lines) {
    if (bank.indexOf(entry.record.id) >= 0) {
      for (const [model, correct] of Object.entries(entry.record.correct ?? {})) labels.push({ id: entry.record.id, model, correct });
    } else {
      fresh.push(entry);
    }
  }
  options.onProgress?.({ phase: 'validate', done: validator.lines.length, total: validator.lines.length });

  const missing = fresh.filter((e) => !e.embedding);
  const batchSize = Math.max(1, options.batchSize ?? 32);
  for (let start = 0; start < missing.length; start += batchSize) {
    checkAborted(options.signal);
    const batch = missing.slice(start, start + batchSize);
    const vectors = await embedder.embed(batch.map((e) => e.record.question), options.signal);
    if (vectors.length !== batch.length) throw new BankError(`embedder ${embedder.id} returned ${vectors.length} vectors for ${batch.length} questions`);
    vectors.forEach((v, k) => {
      if (v.length !== dimension) throw new BankError(`embedder ${embedder.id} returned a ${v.length}-d vector; the bank has dimension ${dimension}`);
      batch[k].embedding = v;
    });
    options.onProgress?.({ phase: 'embed', done: Math.min(start + batchSize, missing.length), total: missing.length });
  }
  checkAborted(options.signal);

  const add: NewQuestion[] = fresh.map((e) => ({ ...e.record, source: e.record.source ?? 'import', embedding: e.embedding as Float32Array }));
  options.onProgress?.({ phase: 'write', done: 0, total: add.length + labels.length });
  await bank.commit({ add, labels });
  options.onProgress?.({ phase: 'write', done: add.length + labels.length, total: add.length + labels.length });
  return { added: add.length, updated: validator.lines.length - fresh.length };
}

async function writeLines(bank: QuestionBank, out: Writable): Promise<number> {
  let count = 0;
  for (const record of bank.records({ embedding: true })) {
    const line = {
      id: record.id,
      question: record.question,
      answer: record.answer,
      grader: record.grader,
      domain: record.domain,
      correct: record.correct,
      embedding: record.embedding,
      fold: record.fold,
      source: record.source,
    };
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
    count++;
  }
  return count;
}

/**
 * Writes every question as one JSONL line (DESIGN §4, with embedding, labels, fold and source).
 * To a path: written to a temporary file and renamed, so a partial export never replaces a good one.
 * To a stream: the stream is left open. Returns the number of lines.
 */
export async function exportBankJsonl(bank: QuestionBank, target: string | Writable): Promise<number> {
  if (typeof target !== 'string') return writeLines(bank, target);
  const temp = tempSibling(path.resolve(target));
  const out = createWriteStream(temp, { flags: 'wx' });
  try {
    const count = await writeLines(bank, out);
    out.end();
    await once(out, 'finish');
    await fsyncFile(temp);
    await fs.rename(temp, target);
    await fsyncDir(path.dirname(path.resolve(target)));
    return count;
  } catch (err) {
    out.destroy();
    await fs.rm(temp, { force: true });
    throw err;
  }
}
