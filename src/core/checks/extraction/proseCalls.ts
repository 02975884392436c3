/**
 * Calls stated in prose, docstrings and comments, in the shapes people write them: "f(3) should return 6",
 * "`is_prime(7)` returns True", `f(x) == y`, `f(x) => y`, `f(x) ==> y`, `f(x) -> y`, `f(x) ➞ y`, `fib(10) → 55`,
 * `f(x)   # returns y`, `f(x) # => 'Yes' (a note)`, `chunk([1,2], 1) // [[1],[2]]`, `console.log(f(x)); // y`, a call
 * with its value on the comment line under it (`// => y`, `// ➞ y`), `print(f(x))  # y`, and `f(x) = y` for the
 * function the question asks for. Only calls whose arguments and result are literals count (a result worked out as
 * arithmetic, `-> 19 - 5 - 6 = 8`, counts when the arithmetic holds); a bare `=` in a passage that uses the function
 * as mathematics ("tri(n) = 1 + n / 2", "tri(2) = 1 + (2 / 2) = 2") is no check there.
 */
import type { CallCheck } from '../../contracts/checks';
import { readArguments } from './callExamples';
import { closingBracket, leadingLiteral, splitTopLevel } from '../literal';

/** Built-ins and keywords that look like calls in prose but are not the function asked for. */
const NOT_THE_FUNCTION = new Set([
  'print', 'if', 'while', 'for', 'return', 'len', 'sum', 'max', 'min', 'range', 'sorted', 'str', 'int', 'float', 'list',
  'dict', 'set', 'tuple', 'type', 'isinstance', 'abs', 'round', 'assert', 'console', 'O', 'Math', 'log', 'expect', 'ord', 'chr',
]);

/** What comes between a call and its value; `comment` when a comment marker opens it (the connector is then optional). */
const CONNECTOR =
  /^[ \t]*;?[ \t]*(?<comment>#|\/\/)?[ \t]*(?<word>`?\s*(?:should\s+(?:return|give|be|output|evaluate\s+to|equal)|must\s+(?:return|be|give)|is\s+expected\s+to\s+(?:return|be)|returns?|gives?|evaluates\s+to|yields?|outputs?|={2,3}>?|=>|-{1,2}>|[➞→⇒]|(?<eq>=)(?![=>]))\s*:?\s*`?)?[ \t]*/i;

/** After a value: the end of the line or sentence, a note, a comment — not more expression ("6 + x"). */
const VALUE_END = /^[ \t]*(?:\r?\n|$|[`.,;:!?)]|\(|#|\/\/|(?:and|or|but|for|when|if|because|since|as)\b)/;

/** What a question says of the functions it shows: the one asked for and the ones it already defines. */
export interface QuestionFunctions {
  /** The function the question asks for (a stub without a body), when it shows one. */
  asked?: { name: string; params: readonly string[]; method: boolean };
  /** Functions the question defines with a body (helpers): examples of them test the question, not a reply. */
  helpers: ReadonlySet<string>;
  /** Names bound to a function in test code (`var candidate = largest_divisor;`). */
  aliases?: ReadonlyMap<string, string>;
}

/** The value of `+ - * / ( )` arithmetic on numbers, or null when the text is anything else. */
function arithmetic(text: string): number | null {
  const tokens = text.match(/\d+(?:\.\d+)?|\/\/|[-+*/()]|\S/g) ?? [];
  let i = 0;
  const primary = (): number | null => {
    const t = tokens[i++];
    if (t === '(') {
      const v = sum();
      return tokens[i++] === ')' ? v : null;
    }
    if (t === '-') {
      const v = primary();
      return v === null ? null : -v;
    }
    return t !== undefined && /^\d/.test(t) ? Number(t) : null;
  };
  const product = (): number | null => {
    let v = primary();
    while (v !== null && (tokens[i] === '*' || tokens[i] === '/' || tokens[i] === '//')) {
      const op = tokens[i++];
      const r = primary();
      if (r === null) return null;
      v = op === '*' ? v * r : op === '/' ? v / r : Math.floor(v / r);
    }
    return v;
  };
  function sum(): number | null {
    let v = product();
    while (v !== null && (tokens[i] === '+' || tokens[i] === '-')) {
      const op = tokens[i++];
      const r = product();
      if (r === null) return null;
      v = op === '+' ? v + r : v - r;
    }
    return v;
  }
  const value = sum();
  return i === tokens.length ? value : null;
}

/** The literal a sentence states first: `16.` at a sentence's end is 16, not 16.0. */
function proseLiteral(text: string): { json: string; length: number } | null {
  const integer = /^\s*-?\d+(?=\.(?:\s|$))/.exec(text);
  return integer ? { json: integer[0].trim(), length: integer[0].length } : leadingLiteral(text);
}

/** A result written as arithmetic that ends in its value (`19 - 5 - 6 = 8`): the value, when the arithmetic holds. */
function workedResult(text: string): { json: string; length: number } | null {
  const m = /^([\d\s+\-*/().]+?)=\s*(-?\d+(?:\.\d+)?)(?![\w.])/.exec(text);
  if (!m) return null;
  const computed = arithmetic(m[1] ?? '');
  const stated = Number(m[2]);
  return computed !== null && Math.abs(computed - stated) < 1e-9 ? { json: m[2] ?? '', length: m[0].length } : null;
}

/** A call line whose value sits on the next line, after a connector or in a comment (`chunk(x, 2);` / `// => [..]`). */
function joinValueLines(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const next = lines[i + 1] ?? '';
    if (/\)\s*;?\s*$/.test(line) && /\w\s*\(/.test(line) && /^\s*(?:\/\/|#)?\s*(?:=>|➞|→|==>|->)\s*\S/.test(next)) {
      out.push(`${line.replace(/\s+$/, '')} ${next.trim().replace(/^(?:\/\/|#)\s*/, '')}`, '');
      i++;
    } else out.push(line);
  }
  return out.join('\n');
}

/** Test wrappers around a call, and what must follow the call's closing bracket before the expected value. */
const WRAPPERS: readonly { before: RegExp; between: RegExp; after: RegExp }[] = [
  { before: /\bexpect\s*\(\s*$/, between: /^\s*\)\s*\.\s*(?:toBe|toEqual|toStrictEqual)\s*\(\s*/, after: /^\s*\)/ },
  { before: /\bassert\.(?:strictEqual|deepStrictEqual|equal|deepEqual)\s*\(\s*$/, between: /^\s*,\s*/, after: /^\s*[,)]/ },
  { before: /\bconsole\.assert\s*\(\s*$/, between: /^\s*={2,3}\s*/, after: /^\s*[,)]/ },
];

/**
 * The expected value written after a call (`after` is the text after its closing bracket, `before` the line before
 * it): JSON and where it ends in `after`, or null when no value is stated there. `=` counts when `equalsAllowed`.
 */
function valueAfter(before: string, after: string, equalsAllowed: boolean): { json: string; end: number } | 'prose' | null {
  const wrapper = WRAPPERS.find((w) => w.before.test(before));
  if (wrapper) {
    const between = wrapper.between.exec(after);
    if (!between) return null;
    const value = leadingLiteral(after.slice(between[0].length));
    const end = between[0].length + (value?.length ?? 0);
    return value && wrapper.after.test(after.slice(end)) ? { json: value.json, end } : null;
  }
  // console.log(f(x)) / print(f(x)): the value follows the wrapper's closing bracket
  const unwrapped = /(?:console\.log|print)\s*\(\s*$/.test(before) ? (/^\s*\)/.exec(after)?.[0].length ?? -1) : 0;
  if (unwrapped < 0) return null;
  const rest = after.slice(unwrapped);
  const connector = CONNECTOR.exec(rest);
  const groups = connector?.groups ?? {};
  if (!connector || (groups.comment === undefined && groups.word === undefined)) return null;
  if (groups.eq !== undefined && !equalsAllowed) return null;
  const valueText = rest.slice(connector[0].length);
  // `==> ("Venus")` beside tuples: a one-element tuple meant, a string written (Python reads a string): not sure
  if (/^\(\s*[^\s,()]/.test(valueText) && leadingLiteral(valueText)?.json.startsWith('[') === false) return null;
  const value = [proseLiteral(valueText), workedResult(valueText)].find((v) => v !== null && VALUE_END.test(valueText.slice(v.length)));
  if (value) return { json: value.json, end: unwrapped + connector[0].length + value.length };
  // "f(3) returns the list of its divisors": an example whose result is prose
  return groups.word !== undefined && groups.eq === undefined && /^\S/.test(valueText) ? 'prose' : null;
}

/** Passages (split at blank lines and "Example(s):" headings) where the asked function reads as mathematics. */
function mathPassages(lines: readonly string[], asked: string): Set<number> {
  const passage: number[] = [];
  let n = 0;
  for (const line of lines) {
    if (line.trim() === '' || /^\s*(?:for\s+)?examples?\s*:?\s*$/i.test(line)) n++;
    passage.push(n);
  }
  const math = new Set<number>();
  const use = new RegExp(`(?<![\\w.$])${asked.replace(/\$/g, '\\$')}\\s*\\(`, 'g');
  lines.forEach((line, index) => {
    for (const m of line.matchAll(use)) {
      const open = (m.index ?? 0) + m[0].length - 1;
      const close = closingBracket(line, open);
      if (close < 0) continue;
      const rest = line.slice(close + 1);
      if (!/^\s*=(?![=>])/.test(rest)) continue;
      const after = rest.replace(/^\s*=\s*/, '');
      const value = leadingLiteral(after);
      const clean = readArguments(line.slice(open + 1, close)) !== null && value !== null && /^\s*(?:$|[.,;])/.test(after.slice(value.length));
      if (!clean) math.add(passage[index] ?? 0);
    }
  });
  return new Set(lines.flatMap((_, i) => (math.has(passage[i] ?? -1) ? [i] : [])));
}

/**
 * The prose calls of a text (prose, docstrings, comments: see docText) as call checks; `onSkip` hears of each example
 * that could not become one, with why.
 */
export function proseCalls(text: string, functions: QuestionFunctions = { helpers: new Set() }, onSkip?: (reason: string) => void): CallCheck[] {
  const prose = joinValueLines(text);
  const lines = prose.split('\n');
  const lineStarts: number[] = [];
  lines.reduce((offset, line) => (lineStarts.push(offset), offset + line.length + 1), 0);
  const lineOf = (index: number): number => {
    let lo = 0;
    while (lo + 1 < lineStarts.length && (lineStarts[lo + 1] ?? Infinity) <= index) lo++;
    return lo;
  };
  const math = functions.asked !== undefined ? mathPassages(lines, functions.asked.name) : new Set<number>();
  const checks: CallCheck[] = [];
  for (const m of prose.matchAll(/(?<![\w.$])(Solution\(\)\.)?([A-Za-z_$][\w$]*)\s*\(/g)) {
    const called = m[2] ?? '';
    const name = functions.aliases?.get(called) ?? called;
    const start = m.index ?? 0;
    const before = prose.slice(lineStarts[lineOf(start)] ?? 0, start);
    if (functions.helpers.has(name) || /(?:\bdef|\bfunction)\s+$/.test(before)) continue;
    // a built-in's name is the function asked for only when the question says so (its stub, or its tests)
    if (NOT_THE_FUNCTION.has(name) && name !== functions.asked?.name && !WRAPPERS.some((w) => w.before.test(before))) continue;
    const open = start + m[0].length - 1;
    const close = closingBracket(prose, open);
    if (close < 0) continue;
    const after = prose.slice(close + 1);
    const read = valueAfter(before, after, name === functions.asked?.name && !math.has(lineOf(start)));
    if (read === null) continue;
    const inside = prose.slice(open + 1, close);
    const args = inside.trim() === '' ? [] : readArguments(inside);
    // a call of values (not of parameter names: "f(x) returns …" describes) is an example, counted when not usable
    if (read === 'prose') {
      if (args !== null && args.length > 0) onSkip?.('prose results');
      continue;
    }
    if (args === null) {
      if (/^[^=]*$/.test(inside) && splitTopLevel(inside).every((a) => /^[A-Za-z_]\w*$/.test(a)) && !functions.asked?.params.includes(inside.trim())) onSkip?.('arguments that are not literals');
      continue;
    }
    if (args.some((a) => a.name !== undefined)) continue;
    const label = prose.slice(start, close + 1 + read.end).replace(/`/g, '').replace(/\s+/g, ' ').trim();
    checks.push({ kind: 'call', source: 'question', label: label.length > 60 ? `${label.slice(0, 57)}…` : label, name, method: m[1] !== undefined, args, expected: read.json });
  }
  return checks;
}

const FOR_LINE =
  /^\s*(?:[-*•]\s*)?(?:for|if|when|with)\s+(?:the\s+)?(?:input\s+)?(.+?),?\s+(?:then\s+)?(?:the\s+)?(?:output|result|answer|return(?:ed)?\s+value)\s+(?:should\s+be|will\s+be|must\s+be|is|=)\s+(.+)$/i;

/**
 * "For lst = [1,2,3] the output should be 6", "For s = "abcde", c = "ae", the result should be ('bcd',False)": the
 * named inputs of the function asked for (prose between them allowed) and its result. Needs that function, so the
 * names can be put in its parameters' order.
 */
export function forExamples(text: string, functions: QuestionFunctions): CallCheck[] {
  const asked = functions.asked;
  if (asked === undefined) return [];
  const checks: CallCheck[] = [];
  for (const line of text.split('\n')) {
    const m = FOR_LINE.exec(line);
    if (!m) continue;
    const named = new Map<string, string>();
    let readable = true;
    for (const part of splitTopLevel(m[1] ?? '')) {
      const assignment = /^([A-Za-z_]\w*)\s*=\s*([\s\S]+)$/.exec(part);
      if (assignment) {
        const args = readArguments(part);
        const value = args?.[0]?.value;
        if (value === undefined) readable = false;
        else named.set(assignment[1] ?? '', value);
      } else if (part.includes('=')) readable = false;
    }
    const value = proseLiteral(m[2] ?? '');
    if (!readable || named.size === 0 || !value || !VALUE_END.test((m[2] ?? '').slice(value.length))) continue;
    const params = asked.params.length > 0 ? asked.params : [...named.keys()];
    if (params.length !== named.size || params.some((p) => !named.has(p))) continue;
    const label = line.trim().replace(/\s+/g, ' ');
    checks.push({
      kind: 'call',
      source: 'question',
      label: label.length > 60 ? `${label.slice(0, 57)}…` : label,
      name: asked.name,
      method: asked.method,
      args: params.map((p) => ({ name: p, value: named.get(p) ?? '' })),
      expected: value.json,
    });
  }
  return checks;
}
