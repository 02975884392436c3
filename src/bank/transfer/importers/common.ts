/**
 * Shared pieces of the benchmark importers: the error type that lists every problem found,
 * and the merger that joins the records of several files (one per model run) by question id,
 * leaving out (and counting) the records that cannot be used.
 */
import JSON5 from 'json5';
import { errorMessage } from '../../../core/contracts/errors';
import { estimateMessageTokens, estimateTokens } from '../../../core/util/tokens';
import type { BankRecord, RecordedTokens } from '../../../core/contracts/types';
import { BankError, listWithMore } from '../../errors';
import type { SkippedRecord, SkipReason } from '../skipReasons';
import { own, setOwn } from '../../../core/util/ownKeys';

/** The input formats `importFiles` understands. */
export type ImportFormat = 'jsonl' | 'lm-eval' | 'mmlu-pro';

/** One file's name and content. */
export interface SourceFile {
  path: string;
  text: string;
}

/** One problem in an input file. */
export interface ImportIssue {
  file: string;
  /** Where in the file: `line 3` (JSONL), `index 5` (JSON list) or `file`. */
  location: string;
  /** The field at fault, e.g. `options[2]`; `(record)` when the whole entry is wrong. */
  field: string;
  message: string;
  /** Why the record (or file) cannot be imported. */
  reason: SkipReason;
}

/**
 * An import was refused because input files have problems (strict mode), or because no record at all
 * could be used; nothing was imported.
 */
export class ImportFormatError extends BankError {
  constructor(
    readonly issues: ImportIssue[],
    what = 'import refused, nothing was imported',
  ) {
    super(issues.length === 0 ? what : `${what}: ${listWithMore(issues, 8, (i) => `${i.file} ${i.location}: ${i.field}: ${i.message}`)}`);
    this.name = 'ImportFormatError';
  }
}

/** What an import produces: validated bank records, the model keys labelled, warnings, and what was skipped. */
export interface ParsedImport {
  records: BankRecord[];
  /** Model keys (after aliases) that received labels, sorted. */
  models: string[];
  warnings: string[];
  /** Every record (or file) left out, in input order, one entry per location. */
  skipped: SkippedRecord[];
  /** Input files read. */
  files: number;
  /** Entries read across the files (records, bare values and bad lines alike). */
  entries: number;
}

/**
 * Parses JSON as Python's `json.dump(s)` writes it: by default (`allow_nan=True`) a float NaN or infinity is
 * written as the bare token `NaN`, `Infinity` or `-Infinity`, which JSON.parse refuses. Plain JSON.parse first
 * (fast, and its error for a plain syntax error); only when that fails and the text holds such a token, JSON5
 * (which reads those tokens as numbers). Throws the parse error otherwise.
 */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!/NaN|Infinity/.test(text)) throw err;
  }
  try {
    const value: unknown = JSON5.parse(text);
    return value;
  } catch (err) {
    // JSON5's message names its position (`at 9:3`) but also JSON5, which the file is not meant to be.
    throw new Error(errorMessage(err).replace(/^JSON5: /, ''));
  }
}

/** Maps a source model name to the bank's model key through the alias map (identity when absent). */
export function applyAlias(name: string, aliases: Readonly<Record<string, string>> | undefined): string {
  return own(aliases, name) ?? name;
}

/**
 * The tokens of a recorded reply when the results file has its text but no usage: estimated from the prompt's and the
 * reply's length (core/util/tokens, the project's one estimate) and marked so.
 */
export function estimatedReplyTokens(prompt: string, reply: string): RecordedTokens {
  return { prompt: estimateMessageTokens(prompt), completion: estimateTokens(reply), estimated: true };
}

/** Formats options as the lines `A. first`, `B. second`, … (at most ten, A–J). */
export function formatOptions(options: readonly string[]): string {
  return options.map((o, i) => `${String.fromCharCode(65 + i)}. ${o}`).join('\n');
}

function sameText(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
}

/**
 * Collects records from many files and merges those with the same id: labels are joined.
 * Each record may carry an `identity` (default: its question text) that must agree across files,
 * else an issue names both files. When the identity agrees but the full question or the answer
 * differ (a revised version of the same question, e.g. options removed), the first file's text
 * and answer are kept and a warning is given; the later file's label is still merged, since it is
 * that file's own verdict on the same question. When two files label the same model on the same
 * question differently, the later file wins and a warning says so.
 */
export class RecordMerger {
  readonly issues: ImportIssue[] = [];
  readonly warnings: string[] = [];
  private readonly byId = new Map<string, { record: BankRecord; identity: string; file: string; labelFrom: Map<string, string> }>();
  private readonly models = new Set<string>();

  /** Entries read so far (the parsers count them). */
  entries = 0;

  /** Files that held no entry at all, with why (`the file is empty`, …). */
  private readonly emptyFiles: { file: string; what: string }[] = [];

  /** Records a problem at a file location; the record there is not added. */
  issue(file: string, location: string, field: string, message: string, reason: SkipReason): void {
    this.issues.push({ file, location, field, message, reason });
  }

  /** Notes a file that held no entry (`what` says why, e.g. `the file is empty`): a warning, and named when the import is refused for holding no question. */
  nothingIn(file: string, what: string): void {
    this.emptyFiles.push({ file, what });
  }

  /** The question text kept for `id` so far, if any (lets a parser reuse it instead of building an equal one). */
  knownQuestion(id: string): string | undefined {
    return this.byId.get(id)?.record.question;
  }

  /** Adds one record read from `file` at `location`. */
  add(record: BankRecord, file: string, location: string, identity: string = record.question): void {
    const known = this.byId.get(record.id);
    if (!known) {
      for (const model of Object.keys(record.correct ?? {})) this.models.add(model);
      const labelFrom = new Map(Object.keys(record.correct ?? {}).map((m) => [m, `${file} ${location}`]));
      this.byId.set(record.id, { record: { ...record, correct: { ...record.correct }, ...(record.tokens ? { tokens: { ...record.tokens } } : {}) }, identity, file, labelFrom });
      return;
    }
    if (known.identity !== identity && !sameText(known.identity, identity)) {
      this.issue(file, location, 'question', `differs from the question with id ${record.id} in ${known.file}`, 'conflicting-question');
      return;
    }
    const sameAnswer = (known.record.answer ?? '') === (record.answer ?? '');
    if (!sameAnswer || (known.record.question !== record.question && !sameText(known.record.question, record.question))) {
      const what = sameAnswer ? 'its options/text differ' : `its answer ${JSON.stringify(record.answer)} differs from ${JSON.stringify(known.record.answer)}`;
      this.warnings.push(`${file} ${location}: ${record.id} is another version of the question in ${known.file} (${what}); keeping ${known.file}'s text and answer, this file's label merged`);
    }
    const labels = known.record.correct ?? {};
    for (const [model, value] of Object.entries(record.correct ?? {})) {
      this.models.add(model);
      const earlier = own(labels, model);
      if (earlier !== undefined && earlier !== value) {
        this.warnings.push(`${file} ${location}: model ${model} on ${record.id} is ${value}, ${known.labelFrom.get(model)} said ${earlier}; keeping ${value}`);
      }
      setOwn(labels, model, value);
      known.labelFrom.set(model, `${file} ${location}`);
      // The tokens go with the label: the later file's reply, or none when it has no text.
      const tokens = own(record.tokens, model);
      if (tokens) known.record.tokens = { ...known.record.tokens, [model]: tokens };
      else if (own(known.record.tokens, model)) delete known.record.tokens?.[model];
    }
    known.record.correct = labels;
  }

  /**
   * The merged result. Records with problems are left out and listed in `skipped` (one entry per location,
   * the first problem's reason). Throws `ImportFormatError` listing every issue when `strict` and there is any,
   * or when no record at all could be used (naming the files that held none when there was no issue: an import of
   * empty files would otherwise leave an empty bank behind).
   */
  finish(options: { strict?: boolean; files?: number } = {}): ParsedImport {
    if (options.strict && this.issues.length > 0) throw new ImportFormatError(this.issues);
    if (this.byId.size === 0 && this.issues.length > 0) throw new ImportFormatError(this.issues, 'import refused, no record could be used');
    if (this.byId.size === 0) throw new ImportFormatError([], `import refused, ${this.nothingFound()}`);
    const warnings = [...this.emptyFiles.map((e) => `${e.file}: ${e.what}; nothing was read from it`), ...this.warnings];
    const skipped: SkippedRecord[] = [];
    const seen = new Set<string>();
    for (const i of this.issues) {
      const key = `${i.file}\u0000${i.location}`;
      if (seen.has(key)) continue;
      seen.add(key);
      skipped.push({ reason: i.reason, file: i.file, at: i.location, field: i.field, message: i.message });
    }
    return {
      records: [...this.byId.values()].map((v) => v.record),
      models: [...this.models].sort(),
      warnings,
      skipped,
      files: options.files ?? 0,
      entries: this.entries,
    };
  }

  private nothingFound(): string {
    const [only, ...others] = this.emptyFiles;
    const empty = only === undefined ? '' : others.length === 0 ? ` in ${only.file}: ${only.what}` : ` in ${listWithMore(this.emptyFiles, 8, (e) => `${e.file} (${e.what})`, ', ')}`;
    const notes = this.warnings.length > 0 ? `${empty === '' ? ':' : ';'} ${listWithMore(this.warnings, 8)}` : '';
    return `no questions found${empty}${notes}`;
  }
}
