/**
 * Graders: decide whether a model's reply answers a bank question correctly.
 * Pure functions, no I/O. The `code` grader runs Python and therefore lives in
 * `src/sandbox/codeGrader.ts`; this module grades `choice`, `number`, `exact` and `none`.
 *
 * Extraction never guesses: a reply with no recognisable final answer is graded wrong
 * and flagged `unparseable`, so profiling can count such replies separately. Every grader reads only the answer part
 * (reasoning removed, see src/core/util/reasoning.ts) and takes its final answer: the last statement of it.
 */
import { at } from '../util/arrays';
import { stripReasoning } from '../util/reasoning';
import type { GraderKind } from '../contracts/types';

/** The outcome of grading one reply. */
export interface GradeResult {
  kind: GraderKind;
  /** False only for grader `none`: the question cannot be graded and profiling skips it. */
  gradable: boolean;
  correct: boolean;
  /** The final answer found in the reply (normalised), or null when none was found. */
  extracted: string | null;
  /** True when no final answer could be extracted (always graded wrong). */
  unparseable: boolean;
}

/** The graders this module implements (everything but `code`). */
export type PureGraderKind = Exclude<GraderKind, 'code'>;

/** Tolerances of the `number` grader: |a − b| ≤ max(absTol, relTol · max(|a|, |b|)). */
export interface NumberTolerance {
  relTol: number;
  absTol: number;
}

/** Default tolerances: 1e-4 relative (rounding in the 5th significant digit), 1e-9 absolute. */
export const DEFAULT_NUMBER_TOLERANCE: Readonly<NumberTolerance> = Object.freeze({ relTol: 1e-4, absTol: 1e-9 });

/** A bank answer the grader cannot use (e.g. `choice` answer that is not a letter A–J). */
export class GraderAnswerError extends Error {
  constructor(
    readonly kind: GraderKind,
    readonly answer: string,
    detail: string,
  ) {
    super(`grader '${kind}': bad reference answer ${JSON.stringify(answer)}: ${detail}`);
    this.name = 'GraderAnswerError';
  }
}

function result(kind: GraderKind, extracted: string | null, correct: boolean): GradeResult {
  return { kind, gradable: true, correct: extracted !== null && correct, extracted, unparseable: extracted === null };
}

function lastMatch(text: string, pattern: RegExp, accept: (m: RegExpMatchArray) => string | null): string | null {
  let found: string | null = null;
  for (const m of text.matchAll(pattern)) {
    const value = accept(m);
    if (value !== null) found = value;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// choice

/** An option letter, optionally wrapped as (X), [X], **X**, $\textbf{X}$, and not part of a word. */
const LETTER =
  String.raw`[\s*_$]*(?:\\(?:text|textbf|mathrm|mathbf)\{)?[([]?\s*([A-Za-z])\s*[)\]]?\}?` +
  // not part of a word, and not the first of a list such as "(A, D)" or "A or B"
  String.raw`(?![A-Za-z0-9_'’-]|\s*(?:,|/|and\b|or\b)\s*[([]?[A-J](?![A-Za-z]))`;

/** "the answer is (C)", "the correct answer is: C", "answer would be option B", "The answer is ... G" (extractChoice also weighs it against ANSWER_LIST). */
const ANSWER_IS = new RegExp(
  String.raw`answer\s*(?:is|would\s+be|should\s+be|must\s+be|=)\s*:?\s*(?:\.{2,}|…)?\s*(?:option|choice|letter)?` + LETTER,
  'gi',
);

/**
 * Every pattern takes its LAST occurrence in the answer part: a model that corrects itself ("the answer is (B)…
 * wait, … so the answer is (D)") ends with its final answer. On replies that merely continue a few-shot prompt
 * ("The answer is (I).\n\nNow, combining all the answers: The answer is (F)", Qwen1.5-72B-Chat in the MMLU-Pro
 * sample) the first statement would be the right one; profiling asks zero-shot, where that pattern does not arise.
 */
const CHOICE_CASCADE: readonly RegExp[] = [
  ANSWER_IS,
  // "Answer: C", "**Final Answer:** (B)", "Correct option: D"
  new RegExp(String.raw`(?:answer|option|choice)\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*(?:option|choice)?` + LETTER, 'gi'),
  // \boxed{C}, \boxed{\text{C}}, \boxed{(C)}
  /\\boxed\s*\{\s*(?:\\(?:text|textbf|mathrm)\s*\{)?\s*\(?\s*([A-Za-z])\s*\)?\s*\}?\s*\}/g,
  // a bold final answer that is just the letter: **C**, **(C)**, **C.**
  /\*\*\s*\(?([A-Za-z])\)?[.:]?\s*\*\*/g,
];

/** An answer statement naming several letters: "answer is (A, C)", "answer is B or D". */
const ANSWER_LIST = /answer\s*(?:is|would\s+be|should\s+be|must\s+be)\s*:?\s*[([]?\s*[A-J]\s*[)\]]?\s*(?:,|\/|and\b|or\b)\s*[([]?\s*[A-J](?![A-Za-z])/gi;

/** Upper-case option letter, or null. */
function optionLetter(raw: string | undefined): string | null {
  return raw !== undefined && /^[A-J]$/.test(raw) ? raw : null;
}

/**
 * The last standalone capital letter A–J that reads as an option choice. `A` and `I` are also
 * English words, so they count only when written like an option: in parentheses or brackets,
 * followed by `)`, `.`, `:` or `,` or at the very end of the reply — and never when a
 * lower-case word follows ("I think", "A linked list").
 */
function lastStandaloneLetter(reply: string): string | null {
  // LaTeX math holds variables, not choices: $…$, $$…$$, \(…\), \[…\]
  const text = reply.replace(/\$\$[\s\S]*?\$\$|\$[^$\n]*\$|\\\([\s\S]*?\\\)|\\\[[\s\S]*?\\\]/g, ' ');
  // not inside a word, not an operand ("E = mc^2", "9 - A - B"), not an abbreviation ("E.g")
  const pattern = /(?<![A-Za-z0-9_'’\-.\\]|[=<>+*/^-]\s?)([A-J])(?![A-Za-z0-9_'’-]|\s*[=<>+*/^-]|\.[A-Za-z0-9])/g;
  let found: string | null = null;
  for (const m of text.matchAll(pattern)) {
    const letter = at(m, 1);
    const start = m.index ?? 0;
    const before = text.slice(Math.max(0, start - 1), start);
    const after = text.slice(start + 1);
    if (letter === 'A' || letter === 'I') {
      const wrapped = /[([]/.test(before) || /^\s*[)\]]/.test(after);
      const optionLike = /^[.:,)]/.test(after) || /^\s*$/.test(after);
      const wordFollows = /^\s+[a-z]/.test(after) || /^[.,]\s+[a-z]/.test(after);
      if (!(wrapped || (optionLike && !wordFollows))) continue;
    }
    found = letter;
  }
  return found;
}

/**
 * Extracts the chosen option letter (A–J) from the answer part of a reply with a cascade of patterns, strongest
 * first: "answer is (X)" / "answer is X", "Answer: X", `\boxed{X}`, a bold `**X**`, then the last
 * standalone letter. Each pattern takes its last occurrence (see CHOICE_CASCADE). Returns null when no pattern
 * matches, or when the last answer statement names several letters; there is no default guess.
 */
export function extractChoice(reply: string): string | null {
  const text = stripReasoning(reply);
  const list = [...text.matchAll(ANSWER_LIST)].at(-1);
  const single = [...text.matchAll(ANSWER_IS)].filter((m) => optionLetter(m[1]) !== null).at(-1);
  // "The answer is (A, C)" states several choices: not one answer, so unparseable rather than a guess
  if (list && (!single || (list.index ?? 0) >= (single.index ?? 0))) return null;
  for (const pattern of CHOICE_CASCADE) {
    const letter = lastMatch(text, pattern, (m) => optionLetter(m[1]));
    if (letter !== null) return letter;
  }
  return lastStandaloneLetter(text);
}

/** Normalises a reference answer for `choice` ("c", "(C)", " C. " → "C"). */
export function normaliseChoiceAnswer(answer: string): string {
  const m = /^\s*[([]?\s*([A-Ja-j])\s*[)\]]?\.?\s*$/.exec(answer);
  if (!m) throw new GraderAnswerError('choice', answer, 'expected one letter A–J');
  return at(m, 1).toUpperCase();
}

/** Grades a multiple-choice reply against the reference letter A–J. */
export function gradeChoice(reply: string, answer: string): GradeResult {
  const expected = normaliseChoiceAnswer(answer);
  const extracted = extractChoice(reply);
  return result('choice', extracted, extracted === expected);
}

// ---------------------------------------------------------------------------------------------
// number

/** A parsed number; `percent` when written with a % sign (value is then the number before it). */
export interface ParsedNumber {
  value: number;
  percent: boolean;
}

/** A plain number token: sign, thousands separators, decimals, exponent, optional %. */
const NUMBER_TOKEN = String.raw`[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-−+]?\.\d+(?:[eE][-+]?\d+)?`;

/** Removes LaTeX and formatting that does not change a number's value. */
function cleanNumberText(text: string): string {
  return text
    .replace(/\\text\{[^{}]*\}/g, (t) => (/\d/.test(t) ? t.slice(6, -1) : ' '))
    .replace(/\\(?:left|right|displaystyle|mathrm|mathbf|!|,|;|:| )/g, '')
    .replace(/\{,\}/g, ',')
    .replace(/\\%/g, '%')
    .replace(/\$/g, '')
    .replace(/[\u00a0\u2009\u202f]/g, ' ')
    .trim();
}

function parsePlain(token: string): number {
  return Number(token.replace(/−/g, '-').replace(/,/g, ''));
}

/**
 * Parses one numeric expression: integers, decimals, thousands separators (`1,234`), scientific
 * notation (`1.5e-3`, `1.5 \times 10^{-3}`, `1.5×10^-3`), fractions (`3/4`, `\frac{3}{4}`,
 * `-\dfrac{1}{2}`) and percentages (`12.5%`). Surrounding `$`, currency and unit words are ignored.
 * Returns null when the text is not a single number.
 */
export function parseNumber(text: string): ParsedNumber | null {
  let s = cleanNumberText(text)
    .replace(/^[^\d\-−+.\\]+/, '')
    .replace(/\s*[.;,]$/, '')
    .trim();
  const percent = /%\s*[a-zA-Z ]*$/.test(s);
  s = s.replace(/\s*%.*$/, '').replace(/\s+[a-zA-Z][a-zA-Z ]*$/, '').trim();

  const frac = /^([-−+]?)\\[dt]?frac\s*\{\s*([^{}]+?)\s*\}\s*\{\s*([^{}]+?)\s*\}$/.exec(s);
  if (frac) {
    const num = parseNumber(at(frac, 2));
    const den = parseNumber(at(frac, 3));
    if (!num || !den || den.value === 0) return null;
    const sign = frac[1] === '-' || frac[1] === '−' ? -1 : 1;
    return { value: (sign * num.value) / den.value, percent };
  }
  const slash = new RegExp(`^(${NUMBER_TOKEN})\\s*/\\s*(${NUMBER_TOKEN})$`).exec(s);
  if (slash) {
    const den = parsePlain(at(slash, 2));
    if (den === 0) return null;
    return { value: parsePlain(at(slash, 1)) / den, percent };
  }
  const sci = new RegExp(`^(${NUMBER_TOKEN})\\s*(?:\\\\times|\\\\cdot|×|x|\\*)\\s*10\\s*\\^\\s*\\{?\\s*([-−+]?\\d+)\\s*\\}?$`).exec(s);
  if (sci) return { value: parsePlain(at(sci, 1)) * 10 ** parsePlain(at(sci, 2)), percent };
  if (new RegExp(`^(?:${NUMBER_TOKEN})$`).test(s)) {
    const value = parsePlain(s);
    return Number.isFinite(value) ? { value, percent } : null;
  }
  return null;
}

/** Content of every `\boxed{…}` / `\fbox{…}` (balanced braces), in order. */
function boxedContents(text: string): string[] {
  const out: string[] = [];
  const opener = /\\(?:boxed|fbox)\s*\{/g;
  for (const m of text.matchAll(opener)) {
    let depth = 1;
    let i = (m.index ?? 0) + m[0].length;
    const start = i;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
    }
    if (depth === 0) out.push(text.slice(start, i - 1));
  }
  return out;
}

/** Every number-looking span in the text, in order (fractions and scientific notation kept whole). */
function numberSpans(text: string): string[] {
  const span = new RegExp(
    String.raw`[-−]?\\[dt]?frac\s*\{[^{}]+\}\s*\{[^{}]+\}` +
      `|(?:${NUMBER_TOKEN})(?:\\s*/\\s*(?:${NUMBER_TOKEN}))?(?:\\s*(?:\\\\times|\\\\cdot|×)\\s*10\\s*\\^\\s*\\{?\\s*[-−+]?\\d+\\s*\\}?)?(?:\\s*\\\\?%)?`,
    'g',
  );
  const cleaned = cleanNumberText(text);
  const out: string[] = [];
  for (const m of cleaned.matchAll(span)) {
    const at = m.index ?? 0;
    const prev = cleaned.slice(Math.max(0, at - 1), at);
    if (/[A-Za-z_^]/.test(prev)) continue;
    // "3-5" or "x-1": a minus glued to a preceding digit is an operator, not a sign.
    out.push(/[\d)]/.test(prev) ? m[0].replace(/^[-−+]/, '') : m[0]);
  }
  return out;
}

/**
 * Extracts the final numeric answer: the last `\boxed{}` (its whole content when it is a number,
 * else the last number inside it), else the number after the last "answer is" / "Answer:" /
 * "####", else the last number in the reply. Returns the span as written, or null.
 */
export function extractNumber(reply: string): string | null {
  const text = stripReasoning(reply);
  const box = boxedContents(text).at(-1);
  if (box !== undefined) {
    if (parseNumber(box)) return box.trim();
    const inner = numberSpans(box).at(-1);
    if (inner !== undefined) return inner;
  }
  const cue = /(?:answer\s*(?:is|=|:|：)|####)\s*[:：]?\s*(?:\*\*)?\s*(?:approximately|about|≈|~)?\s*([^\n]{0,80})/gi;
  const cued = lastMatch(text, cue, (m) => numberSpans(at(m, 1))[0] ?? null);
  if (cued !== null) return cued;
  return numberSpans(text).at(-1) ?? null;
}

function close(a: number, b: number, tol: NumberTolerance): boolean {
  return Math.abs(a - b) <= Math.max(tol.absTol, tol.relTol * Math.max(Math.abs(a), Math.abs(b)));
}

/**
 * True when two parsed numbers are equal within tolerance. When exactly one side is a
 * percentage, `50%` also matches `0.5` (and `50`).
 */
export function numbersEquivalent(a: ParsedNumber, b: ParsedNumber, tol: NumberTolerance = DEFAULT_NUMBER_TOLERANCE): boolean {
  if (close(a.value, b.value, tol)) return true;
  if (a.percent !== b.percent) {
    const [pct, plain] = a.percent ? [a, b] : [b, a];
    return close(pct.value / 100, plain.value, tol);
  }
  return false;
}

/** Grades a numeric reply against a reference number (any form `parseNumber` accepts). */
export function gradeNumber(reply: string, answer: string, tol: NumberTolerance = DEFAULT_NUMBER_TOLERANCE): GradeResult {
  const expected = parseNumber(answer);
  if (!expected) throw new GraderAnswerError('number', answer, 'not a number');
  const span = extractNumber(reply);
  const got = span === null ? null : parseNumber(span);
  if (span === null || !got) return result('number', null, false);
  return result('number', span, numbersEquivalent(got, expected, tol));
}

// ---------------------------------------------------------------------------------------------
// exact

/**
 * Normalises a string for `exact` comparison: Unicode NFKC, lower case, whitespace collapsed,
 * surrounding quotes, backticks, asterisks, brackets-free punctuation and a trailing period removed.
 */
export function normaliseExact(text: string): string {
  let s = text.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
  for (;;) {
    const next = s
      .replace(/^[\s"'`*_“”‘’«»]+|[\s"'`*_“”‘’«»]+$/g, '')
      .replace(/[.,;:!?。]+$/, '')
      .replace(/^[,;:]+/, '')
      .trim();
    if (next === s) return s;
    s = next;
  }
}

/**
 * Extracts the final answer for `exact`: the last `\boxed{}`, else the text after the last
 * "Answer:" (to the end of its line), else after the last "answer is", else the reply itself when it is one line,
 * else its last non-empty line. Returns null for an empty reply.
 */
export function extractExact(reply: string): string | null {
  const text = stripReasoning(reply).trim();
  if (text === '') return null;
  const box = boxedContents(text).at(-1);
  if (box !== undefined) return box.replace(/\\text\{([^{}]*)\}/g, '$1').trim();
  const rest = (m: RegExpMatchArray) => {
    const value = at(m, 1).trim();
    return value === '' ? null : value;
  };
  const cued = lastMatch(text, /answer\s*(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*([^\n]+)/gi, rest) ?? lastMatch(text, /answer\s+is\s*:?\s*([^\n]+)/gi, rest);
  if (cued !== null) return cued;
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !/^```/.test(l.trim()));
  return lines.at(-1)?.trim() ?? null;
}

/** Grades a short-answer reply by normalised string equality (see `normaliseExact`). */
export function gradeExact(reply: string, answer: string): GradeResult {
  const expected = normaliseExact(answer);
  if (expected === '') throw new GraderAnswerError('exact', answer, 'empty after normalisation');
  const raw = extractExact(reply);
  const extracted = raw === null || normaliseExact(raw) === '' ? null : normaliseExact(raw);
  return result('exact', extracted, extracted === expected);
}

// ---------------------------------------------------------------------------------------------
// none and dispatch

/** The result for grader `none`: not gradable, neither correct nor unparseable. Profiling skips it. */
export function gradeNone(): GradeResult {
  return { kind: 'none', gradable: false, correct: false, extracted: null, unparseable: false };
}

/** True for the graders this pure module implements (all but `code`). */
export function isPureGrader(kind: GraderKind): kind is PureGraderKind {
  return kind !== 'code';
}

/**
 * Grades a reply with the named grader. `answer` is the bank record's reference answer.
 * Throws `GraderAnswerError` when the reference answer is unusable for the grader, and a
 * plain Error for `code` (it runs Python: use `gradeReply` from `src/sandbox/codeGrader`).
 */
export function grade(kind: PureGraderKind, reply: string, answer: string, tol?: NumberTolerance): GradeResult {
  switch (kind) {
    case 'choice':
      return gradeChoice(reply, answer);
    case 'number':
      return gradeNumber(reply, answer, tol);
    case 'exact':
      return gradeExact(reply, answer);
    case 'none':
      return gradeNone();
    default:
      throw new Error(`grader '${String(kind)}' is not a pure grader; use gradeReply from src/sandbox/codeGrader`);
  }
}
