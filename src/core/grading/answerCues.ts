/**
 * Where a reply states its final answer (finalAnswer.ts reads these): the text after the last explicit cue, the last
 * `\boxed{…}`, the last line, a concluding sentence, a numbered option named after a cue, an option named by its text. Pure.
 */
import { at } from '../util/arrays';

const CUE = /(?:\banswer\s*(?:\*\*)?\s*(?:is|would\s+be|[:：=])|\\boxed\s*\{|####)\s*(?:\*\*)?\s*:?\s*([^\n]{0,80})/gi;

/** The text after the last explicit final-answer cue, or null when the reply has none. */
export function cuedSpan(text: string): string | null {
  let span: string | null = null;
  for (const m of text.matchAll(CUE)) span = at(m, 1);
  return span;
}

/** Where the last explicit final-answer cue starts (the reply's working is what comes before it), or null when the reply has none. */
export function lastCueStart(text: string): number | null {
  let start: number | null = null;
  for (const m of text.matchAll(CUE)) start = m.index ?? null;
  return start;
}

/** Where each explicit cue's line ends: the reply up to each is the reply as it stood at that statement of an answer. */
export function cueLineEnds(text: string): number[] {
  return [...text.matchAll(CUE)].map((m) => {
    const end = text.indexOf('\n', (m.index ?? 0) + m[0].length);
    return end < 0 ? text.length : end;
  });
}

/** The content of the last `\boxed{…}` (balanced braces), or null. */
export function boxedSpan(text: string): string | null {
  let found: string | null = null;
  for (const m of text.matchAll(/\\boxed\s*\{/g)) {
    let depth = 1;
    let i = (m.index ?? 0) + m[0].length;
    const start = i;
    for (; i < text.length && depth > 0; i++) depth += text[i] === '{' ? 1 : text[i] === '}' ? -1 : 0;
    if (depth === 0) found = text.slice(start, i - 1).trim();
  }
  return found;
}

/** The last line with a word or digit in it ("" when none). */
export function lastLine(text: string): string {
  return text.split('\n').filter((line) => /[\p{L}\p{N}]/u.test(line)).at(-1)?.trim() ?? '';
}

/** A sentence that concludes: "Therefore, …", "So …", "Thus …", "In total …". */
const CONCLUSION = /^[\s*_>-]*(?:therefore|thus|hence|so|in\s+total|in\s+all|altogether|overall|finally|in\s+conclusion)\b/i;

/**
 * The last line of a reply when it concludes ("Therefore, Eliza earns $460 this week."), without the calculator notes
 * some models write into their sums (`<<400+60=460>>`), or null: the answer of a question that asks for a number and
 * a reply that gives it in a sentence, not after a cue.
 */
export function concludingLine(text: string): string | null {
  const line = lastLine(text).replace(/<<[^>]*>>/g, '');
  return CONCLUSION.test(line) ? line : null;
}

/** The option number a reply gives to a question whose options are numbered `1)`: after a cue, else alone on its last line. */
export function numberedChoice(text: string): string | null {
  const span = cuedSpan(text);
  const cued = span === null ? null : /^[\s*_(]*(?:option\s+)?\(?(\d{1,2})\)?(?!\d|[.,]\d)/i.exec(span);
  const alone = /^[\s*_]*(?:option\s+)?\(?(\d{1,2})\)[\s*_.]*(?:\S.*)?$/i.exec(lastLine(text));
  return cued?.[1] ?? alone?.[1] ?? null;
}

const normal = (s: string): string => s.toLowerCase().replace(/[\s*_`'".,;:]+/g, ' ').trim();

/** The option whose whole text is the reply's cued answer or its last line (a reply that names the option, not its label). */
export function namedOption(text: string, optionTexts: readonly string[], labels: readonly string[]): string | null {
  const said = normal(cuedSpan(text) ?? lastLine(text));
  if (said === '') return null;
  const index = optionTexts.findIndex((option) => normal(option) === said);
  return index >= 0 ? (labels[index] ?? null) : null;
}
