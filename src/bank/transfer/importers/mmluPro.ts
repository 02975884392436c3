/**
 * Importer for the MMLU-Pro project's published per-model outputs
 * (`model_outputs_<model>_5shots.json`: a JSON list of records with `question_id`, `question`,
 * `options`, `answer`, `pred`, `category`, …).
 *
 * Each record becomes a bank question (a record with a single option is still a question with an answer):
 * - id `mmlu-pro-<question_id>`;
 * - question = the source question, a blank line, then one line per option `A. …`, `B. …`
 *   (so the stored text is self-contained for referencers and the `choice` grader);
 * - answer = the correct letter, grader `choice`, domain = `category`, source `import`;
 * - label: the file's model is correct when `pred == answer`; a missing or null `pred`
 *   (the model gave no parseable answer) is wrong.
 * Files are merged by question id; the question stem must match across files, while a
 * revised option list (MMLU-Pro removed some options between releases) keeps the first file's
 * version with a warning (see RecordMerger).
 * The model key is the file name between `model_outputs_` and `_<n>shots`
 * (`model_outputs_Qwen1.5-72B-Chat_5shots.json` → `Qwen1.5-72B-Chat`), else the file's base
 * name; either is then mapped through the alias map. Files are read as Python's json.dump writes them (a bare
 * NaN or Infinity, e.g. in a field filled from pandas, is allowed).
 */
import { basename, resolve } from 'node:path';
import { errorMessage } from '../../../core/contracts/errors';
import type { SkipReason } from '../skipReasons';
import { applyAlias, estimatedReplyTokens, formatOptions, parsePythonJson, type RecordMerger, type SourceFile } from './common';

const LETTERS = 'ABCDEFGHIJ';

/** The model an MMLU-Pro output file belongs to, by its name or (per-subject files) its folder; null when neither says. */
export function modelFromMmluProFileName(path: string): string | null {
  const m = /^model_outputs_(.+)_\d+shots\.json$/i.exec(basename(path));
  if (m?.[1] !== undefined) return m[1];
  // MMLU-Pro's own scripts also write one file per subject in a folder named after the model:
  // evaluate_from_local.py `<model>/CoT/<subjects>/<subject>.json`, evaluate_from_api.py `<model>/<subject>_result.json`.
  const parts = path.split(/[\\/]/);
  const local = /(?:^|[\\/])([^\\/]+)[\\/]CoT[\\/][^\\/]+[\\/][^\\/]+\.json$/.exec(path);
  if (local?.[1] !== undefined) return local[1];
  if (/_result\.json$/i.test(basename(path)) && parts.length >= 2) return parts[parts.length - 2] ?? null;
  return null;
}

/** How a file is named in messages: its name, or from the model's folder on for per-subject files (`m/CoT/all/math.json`). */
function fileLabel(path: string, model: string | null): string {
  const parts = path.split(/[\\/]/);
  const from = model === null || /^model_outputs_/i.test(basename(path)) ? -1 : parts.lastIndexOf(model);
  return from < 0 ? basename(path) : parts.slice(from).join('/');
}

/** True when the text looks like an MMLU-Pro output list (used by format detection). */
export function looksLikeMmluPro(head: string): boolean {
  return /^\s*\[/.test(head) && /"question_id"\s*:/.test(head) && /"options"\s*:/.test(head);
}

type Json = Record<string, unknown>;

/** A short description of a value that is not a record, for the skip log (a bare string shows its start). */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : `a ${typeof value}`;
}

/**
 * True when `text` is `stem`, a blank line, then the options as `A. …` lines: the question text this importer
 * builds, checked in place so the same question in the next of 29 files reuses the text instead of building it again.
 */
function isFormatted(text: string, stem: string, options: readonly string[]): boolean {
  if (!text.startsWith(stem) || !text.startsWith('\n\n', stem.length)) return false;
  let at = stem.length + 2;
  for (const [i, option] of options.entries()) {
    if (i > 0) {
      if (text.charCodeAt(at) !== 10) return false;
      at++;
    }
    if (text.charCodeAt(at) !== 65 + i || !text.startsWith('. ', at + 1) || !text.startsWith(option, at + 3)) return false;
    at += 3 + option.length;
  }
  return at === text.length;
}

/**
 * Validates one MMLU-Pro output file and adds its usable records to `merger`. Problems are recorded
 * on the merger (file, `index N`, field, reason), never thrown, so every file is checked; an entry that
 * is not a record (the published files hold some bare strings) is one such problem.
 */
export function parseMmluProFile(file: SourceFile, merger: RecordMerger, aliases?: Readonly<Record<string, string>>): void {
  const source = modelFromMmluProFileName(resolve(file.path));
  const name = fileLabel(resolve(file.path), source);
  if (source === null) {
    merger.warnings.push(`${name}: name does not follow model_outputs_<model>_5shots.json; model key taken from the file name`);
  }
  const model = applyAlias(source ?? name.replace(/\.json$/i, ''), aliases);
  let list: unknown;
  try {
    list = parsePythonJson(file.text);
  } catch (err) {
    merger.issue(name, 'file', '(file)', `not valid JSON (${errorMessage(err)})`, 'unreadable-file');
    return;
  }
  if (!Array.isArray(list)) {
    merger.issue(name, 'file', '(file)', 'must be a JSON list of records', 'unreadable-file');
    return;
  }
  const seen = new Map<string, number>();
  merger.entries += list.length;
  list.forEach((entry: unknown, index) => {
    const at = `index ${index}`;
    const fail = (field: string, message: string, reason: SkipReason) => merger.issue(name, at, field, message, reason);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      fail('(record)', `must be a JSON object, got ${describeValue(entry)}`, 'not-a-record');
      return;
    }
    const r = entry as Json;
    const before = merger.issues.length;
    const qid = r.question_id;
    const idOk = (typeof qid === 'number' && Number.isInteger(qid) && qid >= 0) || (typeof qid === 'string' && /^\S+$/.test(qid));
    if (!idOk) fail('question_id', qid === undefined ? 'is required' : `must be a whole number or a string without spaces, got ${JSON.stringify(qid)}`, 'bad-id');
    else if (seen.has(String(qid))) fail('question_id', `duplicate ${JSON.stringify(qid)} (first at index ${seen.get(String(qid))})`, 'duplicate-id');
    else seen.set(String(qid), index);
    if (typeof r.question !== 'string' || r.question.trim() === '') fail('question', r.question === undefined ? 'is required' : 'must be a non-empty string', 'missing-question');
    const options = r.options;
    if (!Array.isArray(options) || options.length < 1 || options.length > LETTERS.length) {
      fail('options', `must be a list of 1 to ${LETTERS.length} strings`, 'bad-options');
    } else {
      const bad = options.findIndex((o) => typeof o !== 'string');
      if (bad >= 0) fail(`options[${bad}]`, 'must be a string', 'bad-options');
    }
    const count = Array.isArray(options) ? Math.max(1, Math.min(options.length, LETTERS.length)) : LETTERS.length;
    const valid = LETTERS.slice(0, count);
    const answer = r.answer;
    if (typeof answer !== 'string' || answer.length !== 1 || !valid.includes(answer)) {
      fail('answer', `must be one of the option letters ${valid === 'A' ? 'A' : `A–${valid[valid.length - 1]}`}, got ${JSON.stringify(answer)}`, 'bad-answer');
    } else if (r.answer_index !== undefined && r.answer_index !== valid.indexOf(answer)) {
      fail('answer_index', `${JSON.stringify(r.answer_index)} does not match answer ${answer} (index ${valid.indexOf(answer)})`, 'bad-answer');
    }
    const pred = r.pred;
    if (pred !== undefined && pred !== null && typeof pred !== 'string') fail('pred', `must be a letter, null or absent, got ${JSON.stringify(pred)}`, 'bad-label');
    if (r.category !== undefined && r.category !== null && typeof r.category !== 'string') fail('category', 'must be a string', 'bad-field');
    if (merger.issues.length > before) return;

    const id = `mmlu-pro-${String(qid)}`;
    const stem = (r.question as string).trim();
    const known = merger.knownQuestion(id);
    const question = known !== undefined && isFormatted(known, stem, options as string[]) ? known : `${stem}\n\n${formatOptions(options as string[])}`;
    // The reply's text (evaluate_from_api.py writes `model_outputs`, evaluate_from_local.py `generated_text`) gives its tokens.
    const reply = typeof r.model_outputs === 'string' ? r.model_outputs : typeof r.generated_text === 'string' ? r.generated_text : undefined;
    merger.add(
      {
        id,
        question,
        answer: answer as string,
        grader: 'choice',
        ...(typeof r.category === 'string' && r.category !== '' ? { domain: r.category } : {}),
        correct: { [model]: pred === answer ? 1 : 0 },
        ...(reply !== undefined ? { tokens: { [model]: estimatedReplyTokens(question, reply) } } : {}),
        source: 'import',
      },
      name,
      at,
      stem,
    );
  });
}
