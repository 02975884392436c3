/**
 * Whether a run's output is the expected one: printed text token by token (LiveCodeBench's judge, a little more
 * lenient where a right program could otherwise fail), returned values structurally (LeetCode's literals).
 *
 * Printed output: lines are compared after trimming the whole text and each line (CRLF, trailing spaces and the final
 * newline never matter, blank lines inside do, as in LiveCodeBench's `grade_stdio`); within a line the tokens (split on
 * any whitespace) must match one by one. Two numeric tokens match when they are the same decimal number (`1.0` = `1`
 * = `1e0`, exactly, as LiveCodeBench's `Decimal` comparison) or, when the statement allows an error, when they are
 * within it, absolutely or relatively, and at least one of them is written as a real number (two integers must be
 * equal: a tolerance never lets 10^18 + 1 pass for 10^18).
 *
 * Returned values: lists (and tuples) element by element, dictionaries by key, booleans equal to 1 / 0 (Python's
 * `True == 1`), integers exactly, reals exactly, within the statement's tolerance, or within the rounding of the
 * expected literal (LeetCode prints `0.33333` for 1/3: a return of 0.3333333 is right, 0.33334 is not).
 */
import type { OutputRules } from '../contracts/checks';
import type { Value } from './literal';

/** A finite decimal as sign, significant digits and exponent (`-1.50` → -, "15", -1); zero is `{ digits: '' }`. */
interface Decimal {
  negative: boolean;
  digits: string;
  exponent: number;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function decimal(text: string): Decimal | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = m;
  if (whole === '' && fraction === '') return null;
  let digits = (whole + fraction).replace(/^0+/, '');
  let exp = parseInt(exponent, 10) - fraction.length;
  const trailing = /0*$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exp += trailing;
  return digits === '' ? { negative: false, digits: '', exponent: 0 } : { negative: sign === '-', digits, exponent: exp };
}

const NON_FINITE = /^([+-]?)(inf|infinity|nan)$/i;

/** A token or literal that reads as a number (finite or not). */
export function isNumberText(text: string): boolean {
  return decimal(text) !== null || NON_FINITE.test(text);
}

const writtenAsReal = (text: string): boolean => /[.eE]/.test(text) || NON_FINITE.test(text);

/** Digits after the point of a plain decimal literal (`2.50000` → 5), or undefined (an integer, an exponent form). */
const shownDecimals = (text: string): number | undefined => (/^[+-]?\d*\.(\d+)$/.exec(text)?.[1] ?? undefined)?.length;

interface NumberRules {
  tolerance?: number;
  /** The expected number was printed rounded: anything that rounds to it matches. */
  rounded?: boolean;
}

function numbersMatch(actual: string, expected: string, rules: NumberRules): boolean {
  const a = decimal(actual);
  const e = decimal(expected);
  if (a && e && a.negative === e.negative && a.digits === e.digits && a.exponent === e.exponent) return true;
  if (!a || !e) {
    const na = NON_FINITE.exec(actual);
    const ne = NON_FINITE.exec(expected);
    if (!na || !ne) return false;
    const kind = (m: RegExpExecArray) => (m[2]?.toLowerCase() === 'nan' ? 'nan' : `${m[1] === '-' ? '-' : '+'}inf`);
    return kind(na) === kind(ne);
  }
  if (!writtenAsReal(actual) && !writtenAsReal(expected)) return false;
  const x = Number(actual);
  const y = Number(expected);
  const decimals = rules.rounded ? shownDecimals(expected) : undefined;
  const allowed = Math.max(rules.tolerance !== undefined ? rules.tolerance * Math.max(1, Math.abs(y)) : 0, decimals !== undefined ? 0.5 * 10 ** -decimals : 0);
  // The slack absorbs the binary rounding of both texts, so an error exactly at the bound passes.
  return allowed > 0 && Math.abs(x - y) <= allowed * (1 + 1e-9) + Number.EPSILON * Math.abs(y);
}

/** Texts equal, or equal but for letter case where the statement accepts any case ("yes" for "YES"). */
const sameText = (actual: string, expected: string, rules: OutputRules): boolean =>
  actual === expected || (rules.caseInsensitive === true && actual.toLowerCase() === expected.toLowerCase());

function tokensMatch(actual: string, expected: string, rules: OutputRules): boolean {
  if (sameText(actual, expected, rules)) return true;
  return isNumberText(actual) && isNumberText(expected) && numbersMatch(actual, expected, rules.tolerance !== undefined ? { tolerance: rules.tolerance } : {});
}

const lines = (text: string): string[][] =>
  text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).filter((t) => t !== ''));

/** Whether every item of `actual` pairs off with an item of `expected` (a multiset match, greedy: the items are small). */
function sameMultiset<T>(actual: readonly T[], expected: readonly T[], match: (a: T, e: T) => boolean): boolean {
  if (actual.length !== expected.length) return false;
  const unused = [...actual];
  for (const e of expected) {
    const i = unused.findIndex((a) => match(a, e));
    if (i < 0) return false;
    unused.splice(i, 1);
  }
  return true;
}

/** Whether a program's standard output is the expected one (see the module comment). */
export function stdoutMatches(actual: string, expected: string, rules: OutputRules): boolean {
  const got = lines(actual);
  const want = lines(expected);
  if (got.length !== want.length) return false;
  const match = (a: string, e: string) => tokensMatch(a, e, rules);
  if (rules.anyOrder) return sameMultiset(got.flat(), want.flat(), match);
  return want.every((line, i) => {
    const other = got[i] ?? [];
    return other.length === line.length && line.every((token, j) => match(other[j] ?? '', token));
  });
}

function numberOf(value: Value): string | undefined {
  if (value.kind === 'number') return value.text;
  if (value.kind === 'bool') return value.value ? '1' : '0';
  return undefined;
}

/** Whether a returned value is the expected one (see the module comment); `anyOrder` applies to the outer list. */
export function valueMatches(actual: Value, expected: Value, rules: OutputRules): boolean {
  if (rules.anyOrder && actual.kind === 'list' && expected.kind === 'list') {
    return sameMultiset(actual.items, expected.items, (a, e) => valueMatches(a, e, { ...rules, anyOrder: false }));
  }
  const x = numberOf(actual);
  const y = numberOf(expected);
  if (x !== undefined && y !== undefined) {
    if (actual.kind === 'bool' && expected.kind === 'bool') return actual.value === expected.value;
    return numbersMatch(x, y, { ...(rules.tolerance !== undefined ? { tolerance: rules.tolerance } : {}), rounded: true });
  }
  const inner = { ...rules, anyOrder: false };
  switch (expected.kind) {
    case 'null':
      return actual.kind === 'null';
    case 'string':
      return actual.kind === 'string' && sameText(actual.value, expected.value, rules);
    case 'list':
      return actual.kind === 'list' && actual.items.length === expected.items.length && expected.items.every((e, i) => valueMatches(actual.items[i] ?? { kind: 'null' }, e, inner));
    case 'dict': {
      if (actual.kind !== 'dict' || actual.entries.length !== expected.entries.length) return false;
      const got = new Map(actual.entries);
      return expected.entries.every(([k, e]) => {
        const a = got.get(k);
        return a !== undefined && valueMatches(a, e, inner);
      });
    }
    default:
      return false;
  }
}
