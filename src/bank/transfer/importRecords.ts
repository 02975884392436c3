/**
 * The one import path of the bank: validated entries are merged into the bank in a single atomic commit.
 * Both the JSONL import (`importBankJsonl`) and records from the benchmark importers (`importRecords`)
 * end here, so they share the merge rule, the embedding of questions without a vector, progress and cancellation.
 *
 * Merge rule for ids already in the bank: the stored question, answer, metadata and embedding are kept;
 * the entry's `correct` labels are merged in, the entry's value winning for each model it names.
 */
import { at } from '../../core/util/arrays';
import type { BankRecord, Embedder } from '../../core/contracts/types';
import { BankError, BankImportError, EmbedderMismatchError } from '../errors';
import { JsonlValidator, type ValidatedLine } from './jsonlValidator';
import type { Bank, LabelUpdate, NewQuestion } from '../bank';
import { own } from '../../core/util/ownKeys';

export interface ImportProgress {
  /** `read`: input files parsed; `validate`: records checked; `embed`: questions embedded; `write`: the commit. */
  phase: 'read' | 'validate' | 'embed' | 'write';
  done: number;
  /** 0 when the total is not known yet. */
  total: number;
  /** The file being read (phase `read`). */
  file?: string;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /** Questions embedded per call to the embedder (default 32). */
  batchSize?: number;
  /** Who imports (a team bank records it with every label; default the bank handle's user). */
  user?: string;
}

export interface ImportResult {
  /** New questions added. */
  added: number;
  /** Entries whose id was already in the bank: their labels were merged. */
  updated: number;
}

export interface RecordImportOptions extends ImportOptions {
  /** Names the records in error messages (default `records`); errors read `<name>:<position>: <field>: …`, position 1-based. */
  sourceName?: string;
}

/** Throws when the import was cancelled; nothing has been written at that point. */
export function checkImportAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BankError('import cancelled, nothing was written');
}

/** Refuses a bank this handle cannot change (read-only, closed, lock lost) and an embedder other than the bank's. */
export async function checkImportTarget(bank: Bank, embedder: Embedder): Promise<void> {
  bank.assertWritable('import');
  if (embedder.id !== bank.embedder.id) {
    throw new EmbedderMismatchError(bank.location, bank.embedder, { id: embedder.id, dimension: await embedder.dimension() });
  }
}

/**
 * Merges validated entries into the bank in one atomic commit: new ids are added (embedded with `embedder`
 * when they carry no vector, source defaulting to `import`), known ids have their labels merged.
 * On any error or cancellation nothing is written.
 */
export async function commitImport(bank: Bank, entries: readonly ValidatedLine[], embedder: Embedder, options: ImportOptions): Promise<ImportResult> {
  const { dimension } = bank.embedder;
  const fresh: ValidatedLine[] = [];
  const labels: LabelUpdate[] = [];
  const known = await bank.lookup(entries.map((e) => e.record.id));
  for (const entry of entries) {
    if (known.has(entry.record.id)) {
      for (const [model, correct] of Object.entries(entry.record.correct ?? {})) {
        const tokens = own(entry.record.tokens, model);
        labels.push({ id: entry.record.id, model, correct, ...(tokens ? { tokens } : {}) });
      }
    } else {
      fresh.push({ ...entry });
    }
  }
  options.onProgress?.({ phase: 'validate', done: entries.length, total: entries.length });

  const missing = fresh.filter((e) => !e.embedding);
  const batchSize = Math.max(1, options.batchSize ?? 32);
  for (let start = 0; start < missing.length; start += batchSize) {
    checkImportAborted(options.signal);
    const batch = missing.slice(start, start + batchSize);
    const vectors = await embedder.embed(batch.map((e) => e.record.question), options.signal);
    if (vectors.length !== batch.length) throw new BankError(`embedder ${embedder.id} returned ${vectors.length} vectors for ${batch.length} questions`);
    vectors.forEach((v, k) => {
      if (v.length !== dimension) throw new BankError(`embedder ${embedder.id} returned a ${v.length}-d vector; the bank has dimension ${dimension}`);
      at(batch, k).embedding = v;
    });
    options.onProgress?.({ phase: 'embed', done: Math.min(start + batchSize, missing.length), total: missing.length });
  }
  checkImportAborted(options.signal);

  const add: NewQuestion[] = fresh.map((e) => ({ ...e.record, source: e.record.source ?? 'import', embedding: e.embedding as Float64Array | Float32Array }));
  options.onProgress?.({ phase: 'write', done: 0, total: add.length + labels.length });
  // Another writer of a team bank may add some of these questions meanwhile: they are merged, not refused.
  await bank.commit({ add, labels, addOrMerge: true, origin: { via: 'import', ...(options.user ? { user: options.user } : {}) } });
  options.onProgress?.({ phase: 'write', done: add.length + labels.length, total: add.length + labels.length });
  return { added: add.length, updated: entries.length - fresh.length };
}

/**
 * Imports bank records (e.g. from `importFiles` of the benchmark importers) in one atomic write.
 * Every record is validated first with the JSONL rules (id, question, grader, labels, embedding length
 * = the bank's dimension); errors name the record's 1-based position and the field (BankImportError).
 * Records without an `embedding` are embedded with `embedder`, which must be the bank's embedder.
 */
export async function importRecords(bank: Bank, records: readonly BankRecord[], embedder: Embedder, options: RecordImportOptions = {}): Promise<ImportResult> {
  await checkImportTarget(bank, embedder);
  const validator = new JsonlValidator({ dimension: bank.embedder.dimension });
  records.forEach((record, k) => {
    validator.feedValue(record);
    if ((k + 1) % 1000 === 0) {
      checkImportAborted(options.signal);
      options.onProgress?.({ phase: 'validate', done: k + 1, total: records.length });
    }
  });
  if (validator.errors.length > 0) throw new BankImportError(options.sourceName ?? 'records', validator.errors);
  return commitImport(bank, validator.lines, embedder, options);
}
