/** Import and export of the bank interchange JSONL (one question a line; `BankRecord` in src/core/contracts/types.ts). */
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import type { Embedder } from '../../core/contracts/types';
import { fsyncFile, fsyncDir, tempSibling } from '../atomicFiles';
import { BankError, BankImportError } from '../errors';
import { checkImportAborted, checkImportTarget, commitImport, type ImportOptions, type ImportResult } from './importRecords';
import { JsonlValidator } from './jsonlValidator';
import type { Bank } from '../bank';

export type { ImportOptions, ImportProgress, ImportResult } from './importRecords';

async function validateFile(filePath: string, dimension: number, options: ImportOptions): Promise<JsonlValidator> {
  const validator = new JsonlValidator({ dimension });
  const lines = createInterface({ input: createReadStream(filePath, { encoding: 'utf8' }), crlfDelay: Infinity });
  let read = 0;
  for await (const line of lines) {
    validator.feed(line);
    read++;
    if (read % 1000 === 0) {
      checkImportAborted(options.signal);
      options.onProgress?.({ phase: 'validate', done: read, total: 0 });
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
export async function importBankJsonl(bank: Bank, filePath: string, embedder: Embedder, options: ImportOptions = {}): Promise<ImportResult> {
  await checkImportTarget(bank, embedder);
  const validator = await validateFile(filePath, bank.embedder.dimension, options);
  if (validator.errors.length > 0) throw new BankImportError(path.basename(filePath), validator.errors);
  return commitImport(bank, validator.lines, embedder, options);
}

async function writeLines(bank: Bank, out: Writable): Promise<number> {
  let count = 0;
  for await (const record of bank.scan({ embedding: true })) {
    const line = {
      id: record.id,
      question: record.question,
      answer: record.answer,
      grader: record.grader,
      domain: record.domain,
      correct: record.correct,
      tokens: record.tokens,
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
 * Writes every question as one JSONL line (the interchange format, with embedding, labels and their reply tokens, fold and source).
 * To a path: written to a temporary file and renamed, so a partial export never replaces a good one.
 * To a stream: the stream is left open. Returns the number of lines.
 */
export async function exportBankJsonl(bank: Bank, target: string | Writable): Promise<number> {
  if (typeof target !== 'string') return writeLines(bank, target);
  const file = path.resolve(target);
  const folder = await fs.stat(path.dirname(file)).catch(() => undefined);
  if (!folder?.isDirectory()) throw new BankError(`cannot export to ${target}: the folder ${path.dirname(file)} does not exist`);
  if ((await fs.stat(file).catch(() => undefined))?.isDirectory()) throw new BankError(`cannot export to ${target}: it is a folder; name a file, e.g. ${path.join(target, 'bank.jsonl')}`);
  const temp = tempSibling(file);
  const out = createWriteStream(temp, { flags: 'wx' });
  try {
    const count = await writeLines(bank, out);
    out.end();
    await once(out, 'finish');
    await fsyncFile(temp);
    await fs.rename(temp, file);
    await fsyncDir(path.dirname(file));
    return count;
  } catch (err) {
    out.destroy();
    await fs.rm(temp, { force: true });
    throw err;
  }
}
