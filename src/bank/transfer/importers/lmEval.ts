/**
 * Importer for lm-evaluation-harness (v0.4) `--log_samples` output: per task a
 * `samples_<task>_<date>.jsonl` file, one line per document with `doc_id`, `doc`, `target`,
 * `arguments`, `resps`, `filtered_resps`, `filter`, `metrics` (names) and the metric values
 * (`acc`, `exact_match`, …); next to it the run's `results_<date>.json`.
 *
 * Rules:
 * - model: the explicit name if given, else the results JSON's `model_name`, else the model in
 *   its `config.model_args` (`pretrained=` / `model=` / `path=` / `engine=`, string or object);
 *   then mapped through the alias map.
 * - one filter per task: the `filter` option if given, else the first filter in the file (tasks
 *   such as gsm8k log each document once per filter); other filters' lines are skipped.
 * - correct = the primary metric > 0; primary = the `metric` option if given, else the first name
 *   in the line's `metrics` list with a numeric or boolean value. Lines and results files are read as Python
 *   writes them (bare NaN / Infinity allowed); a NaN or infinite primary metric skips the line (`bad-label`).
 * - question = the first non-empty string among the doc fields question, query, problem, prompt,
 *   input, instruction, text, ctx, goal, sentence, premise (else the rendered prompt in
 *   `arguments`); when the doc has choices (`choices` as a list or `{text: [...]}`, `options`,
 *   `endings`) they are appended as `A. …` lines.
 * - answer and grader from `target`: an index or letter into the choices → `choice`; a number
 *   (or the part after `####`) → `number`; other text up to 200 characters → `exact`;
 *   else grader `none`.
 * - id `lm-eval-<task>-<doc_id>`, domain = task, source `import`.
 */
import { basename } from 'node:path';
import { errorMessage } from '../../../core/contracts/errors';
import { parseNumber } from '../../../core/grading/graders';
import type { BankRecord, GraderKind } from '../../../core/contracts/types';
import type { SkipReason } from '../skipReasons';
import { applyAlias, estimatedReplyTokens, formatOptions, parsePythonJson, type RecordMerger, type SourceFile } from './common';
import { own } from '../../../core/util/ownKeys';

/** Task and run date encoded in a samples file name, or null when the name does not follow the pattern. */
export function parseSamplesFileName(path: string): { task: string; date: string } | null {
  const m = /^samples_(.+)_(\d{4}-\d{2}-\d{2}T[\d.-]+)\.jsonl$/.exec(basename(path));
  if (!m) return null;
  const [, task, date] = m;
  return task !== undefined && date !== undefined ? { task, date } : null;
}

/** True when the first line looks like an lm-eval sample (used by format detection). */
export function looksLikeLmEvalSample(firstLine: string): boolean {
  return /"doc_id"\s*:/.test(firstLine) && /"doc"\s*:/.test(firstLine) && /"(?:filtered_)?resps"\s*:/.test(firstLine);
}

const MODEL_ARG_KEYS = ['peft', 'delta', 'pretrained', 'model', 'path', 'engine'];

/**
 * The evaluated model named by an lm-eval results JSON (`model_name`, else `config.model_args`).
 * Returns an error message instead when the file names no model.
 */
export function modelFromLmEvalResults(text: string): { model: string } | { error: string } {
  let json: unknown;
  try {
    json = parsePythonJson(text);
  } catch (err) {
    return { error: `not valid JSON (${errorMessage(err)})` };
  }
  if (typeof json !== 'object' || json === null) return { error: 'must be a JSON object' };
  const obj = json as Record<string, unknown>;
  if (typeof obj.model_name === 'string' && obj.model_name.trim() !== '') return { model: obj.model_name.trim() };
  const config = obj.config as Record<string, unknown> | undefined;
  const args = config?.model_args;
  if (typeof args === 'string') {
    const pairs = new Map(
      args
        .split(',')
        .filter((p) => p.includes('='))
        .map((p) => {
          const eq = p.indexOf('=');
          return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()] as const;
        }),
    );
    for (const key of MODEL_ARG_KEYS) {
      const v = pairs.get(key);
      if (v) return { model: v };
    }
  } else if (typeof args === 'object' && args !== null) {
    for (const key of MODEL_ARG_KEYS) {
      const v = (args as Record<string, unknown>)[key];
      if (typeof v === 'string' && v.trim() !== '') return { model: v.trim() };
    }
  }
  return { error: 'names no model (neither model_name nor config.model_args with pretrained=/model=/path=/engine=)' };
}

const QUESTION_FIELDS = ['question', 'query', 'problem', 'prompt', 'input', 'instruction', 'text', 'ctx', 'goal', 'sentence', 'premise'];

function docChoices(doc: Record<string, unknown>): string[] | null {
  for (const key of ['choices', 'options', 'endings']) {
    const v = doc[key];
    const list = Array.isArray(v) ? v : typeof v === 'object' && v !== null && Array.isArray((v as { text?: unknown }).text) ? (v as { text: unknown[] }).text : null;
    if (list && list.length >= 2 && list.length <= 10 && list.every((x) => typeof x === 'string')) return list;
  }
  return null;
}

function renderedPrompt(args: unknown): string | null {
  if (Array.isArray(args) && Array.isArray(args[0]) && typeof args[0][0] === 'string') return args[0][0];
  if (typeof args === 'object' && args !== null) {
    const first = (args as Record<string, unknown>).gen_args_0 as Record<string, unknown> | undefined;
    if (typeof first?.arg_0 === 'string') return first.arg_0;
  }
  return null;
}

/** Question text, answer and grader of one sample (see the module rules). */
export function questionFromSample(doc: Record<string, unknown>, target: unknown, args: unknown): { question: string; answer?: string; grader: GraderKind } | null {
  const text = QUESTION_FIELDS.map((k) => doc[k]).find((v): v is string => typeof v === 'string' && v.trim() !== '');
  const stem = text !== undefined ? text.trim() : renderedPrompt(args)?.trim();
  if (!stem) return null;
  const choices = docChoices(doc);
  const question = choices ? `${stem}\n\n${formatOptions(choices)}` : stem;
  const t = typeof target === 'number' && Number.isFinite(target) ? String(target) : typeof target === 'string' ? target.trim() : '';
  if (choices) {
    const letter = /^\d+$/.test(t) && Number(t) < choices.length ? String.fromCharCode(65 + Number(t))
      : /^[A-J]$/.test(t) && t.charCodeAt(0) - 65 < choices.length ? t
      : choices.indexOf(t) >= 0 ? String.fromCharCode(65 + choices.indexOf(t))
      : null;
    if (letter) return { question, answer: letter, grader: 'choice' };
  }
  const final = t.includes('####') ? t.slice(t.lastIndexOf('####') + 4).trim() : t;
  if (final !== '' && parseNumber(final)) return { question, answer: final.replace(/,/g, ''), grader: 'number' };
  if (t !== '' && t.length <= 200) return { question, answer: t, grader: 'exact' };
  return { question, grader: 'none' };
}

/** Options of the lm-eval importer. */
export interface LmEvalOptions {
  /** The model name (else taken from the results file). */
  model: string;
  aliases?: Readonly<Record<string, string>>;
  /** Primary metric name (default: first numeric entry of the line's `metrics`). */
  metric?: string;
  /** Filter to keep (default: the first one in the file). */
  filter?: string;
}

/** A metric's value: a number (NaN and infinities included, as Python writes them) or a boolean as 1/0; else null. */
function metricValue(line: Record<string, unknown>, name: string): number | null {
  const v = own(line, name);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return typeof v === 'number' ? v : null;
}

/**
 * Validates one samples file and adds its records, labelled for `options.model`, to `merger`.
 * Problems are recorded on the merger (file, `line N`, field), never thrown.
 */
export function parseLmEvalSamples(file: SourceFile, options: LmEvalOptions, merger: RecordMerger): void {
  const name = basename(file.path);
  const parsedName = parseSamplesFileName(file.path);
  if (!parsedName) merger.warnings.push(`${name}: name does not follow samples_<task>_<date>.jsonl; task taken from the file name`);
  const task = parsedName?.task ?? name.replace(/\.jsonl$/i, '');
  const model = applyAlias(options.model, options.aliases);
  let filter = options.filter;
  let skipped = 0;
  const seen = new Map<string, number>();
  const lines = file.text.split(/\r?\n/);
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    merger.entries++;
    const at = `line ${i + 1}`;
    const fail = (field: string, message: string, reason: SkipReason) => merger.issue(name, at, field, message, reason);
    let value: unknown;
    try {
      value = parsePythonJson(text);
    } catch (err) {
      fail('(line)', `not valid JSON (${errorMessage(err)})`, 'bad-json');
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail('(line)', 'must be a JSON object', 'not-a-record');
      return;
    }
    const line = value as Record<string, unknown>;
    const lineFilter = typeof line.filter === 'string' ? line.filter : 'none';
    filter ??= lineFilter;
    if (lineFilter !== filter) {
      skipped++;
      return;
    }
    const before = merger.issues.length;
    const docId = line.doc_id;
    if (!(typeof docId === 'number' && Number.isInteger(docId) && docId >= 0) && !(typeof docId === 'string' && /^\S+$/.test(docId))) {
      fail('doc_id', docId === undefined ? 'is required' : `must be a whole number, got ${JSON.stringify(docId)}`, 'bad-id');
    } else if (seen.has(String(docId))) {
      fail('doc_id', `duplicate ${JSON.stringify(docId)} for filter ${filter} (first on line ${seen.get(String(docId))})`, 'duplicate-id');
    } else {
      seen.set(String(docId), i + 1);
    }
    const doc = line.doc;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('doc', doc === undefined ? 'is required' : 'must be a JSON object', 'missing-question');
    let score: number | null = null;
    const names = Array.isArray(line.metrics) ? line.metrics.filter((m): m is string => typeof m === 'string') : [];
    const primary = options.metric ?? names.find((m) => metricValue(line, m) !== null);
    if (primary === undefined) {
      fail('metrics', 'no metric with a numeric value (name one with the metric option)', 'bad-label');
    } else {
      score = metricValue(line, primary);
      if (score === null) fail(primary, 'the chosen metric is missing or not a number', 'bad-label');
      // Python writes a float NaN or infinity as a bare token; in the deciding metric it says nothing about right or wrong.
      else if (!Number.isFinite(score)) fail(primary, `is ${String(score)}, not a score, so the label cannot be told`, 'bad-label');
    }
    if (merger.issues.length > before) return;
    const q = questionFromSample(doc as Record<string, unknown>, line.target, line.arguments);
    if (!q) {
      fail('doc', `no question text (looked for ${QUESTION_FIELDS.join(', ')} and arguments)`, 'missing-question');
      return;
    }
    const record: BankRecord = {
      id: `lm-eval-${task}-${String(docId)}`,
      question: q.question,
      ...(q.answer !== undefined ? { answer: q.answer } : {}),
      grader: q.grader,
      domain: task,
      correct: { [model]: (score ?? 0) > 0 ? 1 : 0 },
      source: 'import',
    };
    // A generation task logs the reply (`resps: [["…"]]`); a log-likelihood task logs scores, no reply to count.
    const reply = Array.isArray(line.resps) && Array.isArray(line.resps[0]) && typeof line.resps[0][0] === 'string' ? line.resps[0][0] : undefined;
    if (reply !== undefined) record.tokens = { [model]: estimatedReplyTokens(renderedPrompt(line.arguments) ?? q.question, reply) };
    merger.add(record, name, at);
  });
  if (skipped > 0) merger.warnings.push(`${name}: kept filter ${filter}; skipped ${skipped} lines of other filters`);
}
