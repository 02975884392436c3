/**
 * Whether a reply works out the option it picks (issue 44): for a multiple-choice question whose options are
 * numbers, a reply whose working states the chosen option's value has computed its way to that option; one whose
 * working arrives at other numbers and then picks an option has guessed the nearest, or settled for it. On MMLU-Pro's
 * published outputs of seven models (10,326 questions), a reply whose working states the numbers of the option it
 * picks is right 0.56–0.82 of the time by model, one whose working states other numbers 0.22–0.63 (docs/design-notes.md,
 * "The working behind an option"). Pure.
 */
import { lastCueStart } from './answerCues';
import { optionTexts } from './finalAnswer';

const NUMBER = /[-−]?\d[\d,]*\.?\d*(?:[eE][-+]?\d+)?/g;
/** A line that restates an option ("A. 1,400", "(B) 12 m/s"): the option's value stated, not worked out. */
const OPTION_RESTATED = /^\s*\(?[A-J][.)]\s/;
/** Equal values, as written to four significant figures or more: 1,400 and 1400.00, not 1,392 and 1,400. */
const RELATIVE_TOLERANCE = 1e-3;

function numbersIn(text: string): number[] {
  return [...text.matchAll(NUMBER)].map((m) => Number(m[0].replace(/,/g, '').replace('−', '-'))).filter((n) => Number.isFinite(n));
}

const equal = (a: number, b: number): boolean => Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b), 1e-9);

/**
 * True when `reply`'s working (its text before its last final-answer cue, lines restating options left out) states
 * every number of option `label`'s text ("$1,400.00"; "[7, 8, 10, 14]"); false when the working states at least two
 * numbers but not all of the option's; null when the option holds no number, the question lists no such option, or the
 * working states fewer than two numbers (no working to judge). Thinking inline in `<think>` counts as working; the
 * caller adds thinking streamed apart (core/ask/answerChoice).
 */
export function derivesOption(reply: string, question: string, label: string): boolean | null {
  const index = label.length === 1 && /[A-J]/.test(label) ? label.charCodeAt(0) - 65 : Number(label) - 1;
  const option = optionTexts(question)[index];
  const values = option === undefined ? [] : numbersIn(option);
  if (values.length === 0) return null;
  const cue = lastCueStart(reply);
  const working = (cue === null ? reply : reply.slice(0, cue))
    .split('\n')
    .filter((line) => !OPTION_RESTATED.test(line))
    .join('\n');
  const stated = numbersIn(working);
  if (stated.length < 2) return null;
  return values.every((value) => stated.some((n) => equal(n, value)));
}
