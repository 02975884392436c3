/** Validation of the bank interchange JSONL (only `id` and `question` required), line by line; every error names the line and the field. */
import { errorMessage } from '../../core/contracts/errors';
import { setOwn } from '../../core/util/ownKeys';
import type { BankRecord, GraderKind, RecordSource } from '../../core/contracts/types';
import type { LineError } from '../errors';
import type { SkipReason } from './skipReasons';
import { GRADERS, SOURCES } from '../storedRecord';

/** A validated line: the record, with its embedding (when given) exactly as written (float64); an embedder's vector once filled in. */
export interface ValidatedLine {
  line: number;
  record: Omit<BankRecord, 'embedding'>;
  embedding?: Float64Array | Float32Array;
}

export interface ValidateOptions {
  /** Required length of `embedding` when a line gives one. */
  dimension?: number;
}

type Json = Record<string, unknown>;

/** Feeds lines one at a time (blank lines are skipped) and collects valid records and line errors. */
export class JsonlValidator {
  readonly lines: ValidatedLine[] = [];
  readonly errors: LineError[] = [];
  private readonly seen = new Map<string, number>();
  private lineNo = 0;

  constructor(private readonly options: ValidateOptions = {}) {}

  /** Validates the next line of the file (a UTF-8 byte order mark before the first line is ignored). */
  feed(text: string): void {
    this.lineNo++;
    const line = this.lineNo;
    const body = line === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text;
    if (body.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (err) {
      this.fail(line, '(line)', `not valid JSON (${errorMessage(err)})`, 'bad-json');
      return;
    }
    this.check(line, value);
  }

  /** Validates the next entry given as a parsed value rather than as text (its position counts as the next line). */
  feedValue(value: unknown): void {
    this.lineNo++;
    this.check(this.lineNo, value);
  }

  private check(line: number, value: unknown): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(line, '(line)', 'must be a JSON object', 'not-a-record');
      return;
    }
    const before = this.errors.length;
    const parsed = this.parse(line, value as Json);
    if (this.errors.length === before) this.lines.push(parsed);
  }

  private fail(line: number, field: string, message: string, reason: SkipReason): void {
    this.errors.push({ line, field, message, reason });
  }

  private parse(line: number, obj: Json): ValidatedLine {
    const present = (key: string) => obj[key] !== undefined && obj[key] !== null;
    const id = obj.id;
    if (typeof id !== 'string' || id.trim() === '') {
      this.fail(line, 'id', present('id') ? `must be a non-empty string, got ${JSON.stringify(id)}` : 'is required', 'bad-id');
    } else if (this.seen.has(id)) {
      this.fail(line, 'id', `duplicate id ${JSON.stringify(id)} (first on line ${this.seen.get(id)})`, 'duplicate-id');
    } else {
      this.seen.set(id, line);
    }
    const question = obj.question;
    if (typeof question !== 'string' || question.trim() === '') {
      this.fail(line, 'question', present('question') ? 'must be a non-empty string' : 'is required', 'missing-question');
    }
    const record: Omit<BankRecord, 'embedding'> = { id: String(id), question: String(question) };
    if (present('answer')) {
      const answer = obj.answer;
      if (typeof answer === 'string') record.answer = answer;
      else if (typeof answer === 'number' && Number.isFinite(answer)) record.answer = String(answer);
      else this.fail(line, 'answer', 'must be a string', 'bad-answer');
    }
    if (present('grader')) {
      if ((GRADERS as readonly unknown[]).includes(obj.grader)) record.grader = obj.grader as GraderKind;
      else this.fail(line, 'grader', `must be one of ${GRADERS.join(', ')}, got ${JSON.stringify(obj.grader)}`, 'bad-field');
    }
    if (present('domain')) {
      if (typeof obj.domain === 'string') record.domain = obj.domain;
      else this.fail(line, 'domain', 'must be a string', 'bad-field');
    }
    if (present('correct')) this.parseCorrect(line, obj.correct, record);
    if (present('tokens')) this.parseTokens(line, obj.tokens, record);
    if (present('fold')) {
      const fold = obj.fold;
      if (typeof fold === 'number' && Number.isInteger(fold) && fold >= 0) record.fold = fold;
      else this.fail(line, 'fold', `must be a whole number ≥ 0, got ${JSON.stringify(fold)}`, 'bad-field');
    }
    if (present('source')) {
      if ((SOURCES as readonly unknown[]).includes(obj.source)) record.source = obj.source as RecordSource;
      else this.fail(line, 'source', `must be one of ${SOURCES.join(', ')}, got ${JSON.stringify(obj.source)}`, 'bad-field');
    }
    const result: ValidatedLine = { line, record };
    if (present('embedding')) result.embedding = this.parseEmbedding(line, obj.embedding);
    return result;
  }

  private parseCorrect(line: number, value: unknown, record: Omit<BankRecord, 'embedding'>): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(line, 'correct', 'must be an object of model key → 0 or 1', 'bad-label');
      return;
    }
    const correct: Record<string, 0 | 1> = {};
    for (const [model, v] of Object.entries(value as Json)) {
      if (model.trim() === '') this.fail(line, 'correct', 'model keys must be non-empty', 'bad-label');
      else if (v === 0 || v === 1) setOwn(correct, model, v);
      else this.fail(line, `correct.${model}`, `must be 0 or 1, got ${JSON.stringify(v)}`, 'bad-label');
    }
    record.correct = correct;
  }

  /** `tokens: {"<model>": {"prompt": n, "completion": n, "estimated"?: true}}`, counts ≥ 0. */
  private parseTokens(line: number, value: unknown, record: Omit<BankRecord, 'embedding'>): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(line, 'tokens', 'must be an object of model key → {"prompt": n, "completion": n}', 'bad-field');
      return;
    }
    const tokens: NonNullable<BankRecord['tokens']> = {};
    for (const [model, v] of Object.entries(value as Json)) {
      const entry = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
      const count = (key: string): number | undefined => {
        const n = entry?.[key];
        return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
      };
      const prompt = count('prompt');
      const completion = count('completion');
      if (model.trim() === '' || prompt === undefined || completion === undefined || (entry?.estimated !== undefined && typeof entry.estimated !== 'boolean')) {
        this.fail(line, `tokens.${model}`, `must be {"prompt": n, "completion": n} with counts ≥ 0, got ${JSON.stringify(v)}`, 'bad-field');
        continue;
      }
      setOwn(tokens, model, entry?.estimated === true ? { prompt, completion, estimated: true as const } : { prompt, completion });
    }
    record.tokens = tokens;
  }

  private parseEmbedding(line: number, value: unknown): Float64Array | undefined {
    if (!Array.isArray(value)) {
      this.fail(line, 'embedding', 'must be an array of numbers', 'bad-embedding');
      return undefined;
    }
    const { dimension } = this.options;
    if (dimension !== undefined && value.length !== dimension) {
      this.fail(line, 'embedding', `has ${value.length} numbers, the bank's embedder has dimension ${dimension}`, 'bad-embedding');
      return undefined;
    }
    const out = new Float64Array(value.length);
    let nonZero = false;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        this.fail(line, `embedding[${i}]`, `must be a finite number, got ${JSON.stringify(v)}`, 'bad-embedding');
        return undefined;
      }
      out[i] = v;
      if (v !== 0) nonZero = true;
    }
    // Kept exactly as written (routing evaluation reads them in float64); the bank normalises on commit, tiny or huge values included.
    if (!nonZero) {
      this.fail(line, 'embedding', 'must not be all zeros', 'bad-embedding');
      return undefined;
    }
    return out;
  }
}

/**
 * Validates a whole JSONL text (or its lines). Returns the valid records and every error, each naming
 * `sourceName`, the 1-based line and the field.
 */
export function validateBankJsonl(
  input: string | readonly string[],
  sourceName: string,
  options: ValidateOptions = {},
): { records: BankRecord[]; errors: (LineError & { source: string })[] } {
  const validator = new JsonlValidator(options);
  for (const line of typeof input === 'string' ? input.split(/\r?\n/) : input) validator.feed(line);
  return {
    records: validator.lines.map(({ record, embedding }) => (embedding ? { ...record, embedding: Array.from(embedding) } : { ...record })),
    errors: validator.errors.map((e) => ({ ...e, source: sourceName })),
  };
}
