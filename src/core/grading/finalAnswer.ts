/**
 * Final answers (issue 44): what a question asks to be answered with — one of its listed options, yes or no, a name
 * for "which file / command / function …", else whatever a reply states after an explicit cue (or, for a question that
 * asks for a number, in its concluding sentence: "Therefore, the total is $460.") — and the final answer a
 * reply gives in that form, so that replies reaching the same answer in different words count as agreeing. A question
 * without such an answer (free-form prose, code) gives none and keeps its own path. Pure: the comparison of
 * mathematical expressions and of quantities with units is the caller's `MathEquivalence` (a library outside core).
 */
import { at } from '../util/arrays';
import { stripReasoning } from '../util/reasoning';
import { DEFAULT_NUMBER_TOLERANCE, extractChoice, extractNumber, numbersEquivalent, parseNumber, type NumberTolerance, type ParsedNumber } from './graders';
import { boxedSpan, concludingLine, cueLineEnds, cuedSpan, lastLine, namedOption, numberedChoice } from './answerCues';

/** The form a question's final answer takes. */
export type AnswerShape = { kind: 'choice'; labels: string[] } | { kind: 'yesno' } | { kind: 'name' } | { kind: 'open' };

/** A final answer stated in a reply. */
export type FinalAnswer =
  | { kind: 'choice'; letter: string }
  | { kind: 'number'; span: string; value: ParsedNumber; quantity?: string }
  | { kind: 'expression'; span: string }
  | { kind: 'yesno'; yes: boolean }
  | { kind: 'name'; text: string };

/** Whether two mathematical texts (LaTeX or plain; quantities with units) are equal: null when it cannot tell. */
export type MathEquivalence = (a: string, b: string) => boolean | null;

/** An option line: `A. text`, `A) text`, `(A) text`, `1) text`, `(1) text` (a label of one letter A–J or a number). */
const OPTION_LINE = /^\s*(?:\(([A-J]|\d{1,2})\)|([A-J])[.)]|(\d{1,2})\))\s+\S/gm;
const YES_NO_QUESTION = /(?:^|[.!?]\s+|\n)\s*(?:is|are|does|do|did|can|could|should|will|would|was|were|has|have|must)\b[^?\n]*\?\s*$/i;
/** A question that asks for a number: "How many …", "How much …", "… a single numerical number …". */
const NUMBER_ASKED = /\bhow\s+(?:many|much|long|far|old|fast|often|tall|heavy)\b|\bnumerical\s+(?:number|answer|value)\b/i;
const WHICH_NAME = /\bwhich\s+(?:one\s+of\s+the\s+)?(?:file|files|command|function|method|class|module|package|variable|flag|option|library|tool|endpoint|setting|branch|table|column|key|field|test)\b/i;

/** An option named on a line with others, as a question typed into a chat often lists them: "… A. $1,350 B. $1,400 C. $1,250". */
const INLINE_OPTION = /(?:^|\s)\(?([A-J])[.)]\s+(?=\S)/g;

/** Options listed on one line — at least three, in sequence from `A` — with their texts (the last line that has them). */
function inlineOptions(question: string): { labels: string[]; texts: string[] } | null {
  for (const line of question.split('\n').reverse()) {
    const marks = [...line.matchAll(INLINE_OPTION)];
    const run: RegExpMatchArray[] = [];
    for (const mark of marks) if (mark[1] === String.fromCharCode(65 + run.length)) run.push(mark);
    if (run.length < 3) continue;
    const texts = run.map((mark, i) => line.slice((mark.index ?? 0) + mark[0].length, run[i + 1]?.index ?? line.length).trim());
    return { labels: run.map((mark) => at(mark, 1)), texts };
  }
  return null;
}

/** The options a question lists, one per line (at least two, in sequence from `A` or `1`), else on one line (inlineOptions). */
function optionLabels(question: string): string[] | null {
  const labels = [...question.matchAll(OPTION_LINE)].map((m) => m[1] ?? m[2] ?? at(m, 3));
  const letters = /^[A-J]$/.test(labels[0] ?? '');
  const sequence: string[] = [];
  for (const label of labels) {
    const expected = letters ? String.fromCharCode(65 + sequence.length) : String(sequence.length + 1);
    if (label === expected) sequence.push(label);
  }
  return sequence.length >= 2 ? sequence : (inlineOptions(question)?.labels ?? null);
}

/** What the question asks to be answered with (see the module comment). */
export function answerShape(question: string): AnswerShape {
  const labels = optionLabels(question);
  if (labels) return { kind: 'choice', labels };
  const asked = question.trim();
  if (WHICH_NAME.test(asked)) return { kind: 'name' };
  if (YES_NO_QUESTION.test(asked)) return { kind: 'yesno' };
  return { kind: 'open' };
}

function choiceOf(text: string, labels: readonly string[], optionTexts: readonly string[]): FinalAnswer | null {
  const numbered = labels[0] === '1';
  const label = numbered ? numberedChoice(text) : (extractChoice(text) ?? namedOption(text, optionTexts, labels));
  return label !== null && labels.includes(label) ? { kind: 'choice', letter: label } : null;
}

function yesNoOf(text: string): FinalAnswer | null {
  const span = cuedSpan(text) ?? text.trim();
  const word = /^[\s*_"'`(]*(yes|no)\b/i.exec(span) ?? /^[\s*_"'`(]*(yes|no)\b/i.exec(lastLine(text));
  return word ? { kind: 'yesno', yes: at(word, 1).toLowerCase() === 'yes' } : null;
}

function nameOf(text: string): FinalAnswer | null {
  const span = cuedSpan(text) ?? lastLine(text);
  const name = /`([^`\s]+)`/.exec(span) ?? /^[\s*_"']*([\w./:@-]*[\w/])[\s*_"'.]*$/.exec(span);
  return name ? { kind: 'name', text: at(name, 1) } : null;
}

/** A unit word after a number ("12 km", "3.5 m/s"): numbers with units are compared as quantities. */
const UNIT = /\d\s*(?:\\,|\\;|\s)*(?:\\(?:text|mathrm)\{)?\s*[A-Za-zµΩ°]/;

/** A cued answer of an open question: an option letter, a number, or (in `\boxed{}`) an expression. */
function openAnswer(text: string): FinalAnswer | null {
  const span = cuedSpan(text);
  if (span === null) return null;
  if (/^[\s*_$([]*(?:\\boxed\s*\{)?\s*(?:\\(?:text|textbf|mathrm)\{)?\s*\(?\s*(?:option\s+)?[A-J](?![A-Za-z0-9])/i.test(span)) {
    const letter = extractChoice(text);
    if (letter !== null) return { kind: 'choice', letter };
  }
  const boxed = boxedSpan(text);
  // "\boxed{2600g}", "\boxed{18th}": a number with a unit or an ordinal ending, not an expression.
  const measured = boxed === null ? null : /^\$?\s*([-−]?\d[\d,]*(?:\.\d+)?)\s*(?:\\(?:text|mathrm)\s*\{\s*)?[A-Za-z°]+\}?\.?$/.exec(boxed);
  const measuredValue = measured === null ? null : parseNumber(at(measured, 1));
  if (boxed !== null && measured !== null && measuredValue !== null) return { kind: 'number', span: at(measured, 1), value: measuredValue, quantity: boxed };
  if (boxed !== null && parseNumber(boxed) === null && /[A-Za-z\\^]/.test(boxed)) return { kind: 'expression', span: boxed };
  const numberSpan = extractNumber(text);
  const value = numberSpan === null ? null : parseNumber(numberSpan);
  if (numberSpan === null || value === null) return null;
  // "12 km": the number with its unit, compared as a quantity.
  const quantity = span.replace(/^[\s*$]+|[\s*$.;,]+$/g, '');
  return quantity.startsWith(numberSpan) && UNIT.test(quantity) ? { kind: 'number', span: numberSpan, value, quantity } : { kind: 'number', span: numberSpan, value };
}

/** The option texts of a question that lists them (aligned with its labels). */
export function optionTexts(question: string): string[] {
  const lines = [...question.matchAll(new RegExp(OPTION_LINE.source.replace(String.raw`\s+\S`, String.raw`\s+(.+)$`), 'gm'))].map((m) => (m[4] ?? '').trim());
  return lines.length >= 2 ? lines : (inlineOptions(question)?.texts ?? lines);
}

/**
 * The final answer `reply` gives to `question` (see the module comment); without a question, only an explicit cue
 * ("Answer: …", "the answer is …", `\boxed{…}`, "####") states one.
 */
export function finalAnswer(reply: string, question?: string): FinalAnswer | null {
  const text = stripReasoning(reply);
  const shape = question === undefined ? { kind: 'open' as const } : answerShape(question);
  if (shape.kind === 'choice') return choiceOf(text, shape.labels, optionTexts(question ?? ''));
  if (shape.kind === 'yesno') return yesNoOf(text) ?? openAnswer(text);
  if (shape.kind === 'name') return nameOf(text) ?? openAnswer(text);
  return openAnswer(text) ?? (question !== undefined && NUMBER_ASKED.test(question) ? concludedNumber(text) : null);
}

/** The last number of a reply's concluding sentence ("Therefore, the total cost is $694."), for a question that asks for a number. */
function concludedNumber(text: string): FinalAnswer | null {
  const line = concludingLine(text);
  const span = line === null ? null : extractNumber(line);
  const value = span === null ? null : parseNumber(span);
  return span !== null && value !== null ? { kind: 'number', span, value } : null;
}

/**
 * Every final answer `reply` states on the way, one per explicit cue, in order (the last is `finalAnswer`'s when the
 * reply ends with a cue): a reply that states one answer and then others is less plainly an answer than one that
 * states only it.
 */
export function statedAnswers(reply: string, question?: string): FinalAnswer[] {
  const text = stripReasoning(reply);
  return cueLineEnds(text).flatMap((end) => {
    const answer = finalAnswer(text.slice(0, end), question);
    return answer === null ? [] : [answer];
  });
}

/** A final answer as the panel and `--json` show it: the option's label, the number or expression as written, yes/no, the name. */
export function describeAnswer(answer: FinalAnswer): string {
  if (answer.kind === 'choice') return answer.letter;
  if (answer.kind === 'yesno') return answer.yes ? 'yes' : 'no';
  if (answer.kind === 'name') return answer.text;
  return answer.span;
}

/**
 * 1 when two final answers are equal, 0 when they differ, null when they are of different kinds (or `same` cannot
 * tell two expressions apart). Numbers: within the number grader's tolerance, fractions and percentages included;
 * with units on both sides, as quantities by `same`. Expressions: mathematically equal by `same`, else the same text.
 */
export function compareFinalAnswers(a: FinalAnswer, b: FinalAnswer, tolerance: NumberTolerance = DEFAULT_NUMBER_TOLERANCE, same?: MathEquivalence): 0 | 1 | null {
  if (a.kind === 'choice' && b.kind === 'choice') return a.letter === b.letter ? 1 : 0;
  if (a.kind === 'yesno' && b.kind === 'yesno') return a.yes === b.yes ? 1 : 0;
  if (a.kind === 'name' && b.kind === 'name') return a.text.replace(/^\.\//, '') === b.text.replace(/^\.\//, '') ? 1 : 0;
  if (a.kind === 'number' && b.kind === 'number') {
    if (same && a.quantity !== undefined && b.quantity !== undefined) {
      const quantities = same(a.quantity, b.quantity);
      if (quantities !== null) return quantities ? 1 : 0;
    }
    return numbersEquivalent(a.value, b.value, tolerance) ? 1 : 0;
  }
  const math = (x: FinalAnswer): string | null => (x.kind === 'expression' || x.kind === 'number' ? x.span : null);
  const [left, right] = [math(a), math(b)];
  if (left === null || right === null) return null;
  const verdict = same?.(left, right) ?? null;
  if (verdict !== null) return verdict ? 1 : 0;
  const plain = (s: string): string => s.replace(/\\(?:left|right|displaystyle)|\s+/g, '').replace(/\\[dt]frac/g, '\\frac');
  return plain(left) === plain(right) ? 1 : a.kind === 'number' || b.kind === 'number' ? null : 0;
}
