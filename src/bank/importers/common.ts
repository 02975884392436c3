/**
 * Shared pieces of the benchmark importers: the error type that lists every problem found,
 * and the merger that joins the records of several files (one per model run) by question id.
 */
import type { BankRecord } from '../../core/types';
import { BankError, listWithMore } from '../errors';

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
}

/** An import was refused because input files have problems; nothing was imported. */
export class ImportFormatError extends BankError {
  constructor(readonly issues: ImportIssue[]) {
    super(`import refused, nothing was imported: ${listWithMore(issues, 8, (i) => `${i.file} ${i.location}: ${i.field}: ${i.message}`)}`);
    this.name = 'ImportFormatError';
  }
}

/** What an import produces: validated bank records, the model keys labelled, and warnings. */
export interface ParsedImport {
  records: BankRecord[];
  /** Model keys (after aliases) that received labels, sorted. */
  models: string[];
  warnings: string[];
}

/** Maps a source model name to the bank's model key through the alias map (identity when absent). */
export function applyAlias(name: string, aliases: Readonly<Record<string, string>> | undefined): string {
  return aliases?.[name] ?? name;
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
 * differ (a revised version of the same question, e.g. an option removed), the first file's text
 * and answer are kept and a warning is given; the later label is merged only when the answer is
 * the same. When two files label the same model on the same question differently, the later
 * file wins and a warning says so.
 */
export class RecordMerger {
  readonly issues: ImportIssue[] = [];
  readonly warnings: string[] = [];
  private readonly byId = new Map<string, { record: BankRecord; identity: string; file: string; labelFrom: Map<string, string> }>();
  private readonly models = new Set<string>();

  /** Records a problem at a file location. */
  issue(file: string, location: string, field: string, message: string): void {
    this.issues.push({ file, location, field, message });
  }

  /** Adds one record read from `file` at `location`. */
  add(record: BankRecord, file: string, location: string, identity: string = record.question): void {
    const known = this.byId.get(record.id);
    if (!known) {
      for (const model of Object.keys(record.correct ?? {})) this.models.add(model);
      const labelFrom = new Map(Object.keys(record.correct ?? {}).map((m) => [m, `${file} ${location}`]));
      this.byId.set(record.id, { record: { ...record, correct: { ...record.correct } }, identity, file, labelFrom });
      return;
    }
    if (!sameText(known.identity, identity)) {
      this.issue(file, location, 'question', `differs from the question with id ${record.id} in ${known.file}`);
      return;
    }
    const sameAnswer = (known.record.answer ?? '') === (record.answer ?? '');
    if (!sameAnswer || !sameText(known.record.question, record.question)) {
      const what = sameAnswer ? 'its options/text differ' : `answer ${JSON.stringify(record.answer)} differs from ${JSON.stringify(known.record.answer)}`;
      this.warnings.push(
        `${file} ${location}: ${record.id} is another version of the question in ${known.file} (${what}); keeping ${known.file}'s${sameAnswer ? ', labels merged' : ', this label dropped'}`,
      );
      if (!sameAnswer) return;
    }
    const labels = known.record.correct ?? {};
    for (const [model, value] of Object.entries(record.correct ?? {})) {
      this.models.add(model);
      if (labels[model] !== undefined && labels[model] !== value) {
        this.warnings.push(`${file} ${location}: model ${model} on ${record.id} is ${value}, ${known.labelFrom.get(model)} said ${labels[model]}; keeping ${value}`);
      }
      labels[model] = value;
      known.labelFrom.set(model, `${file} ${location}`);
    }
    known.record.correct = labels;
  }

  /** The merged result, or throws `ImportFormatError` listing every issue. */
  finish(): ParsedImport {
    if (this.issues.length > 0) throw new ImportFormatError(this.issues);
    return {
      records: [...this.byId.values()].map((v) => v.record),
      models: [...this.models].sort(),
      warnings: this.warnings,
    };
  }
}
