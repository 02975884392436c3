/**
 * The one reader of literal values as coding questions and replies write them — LeetCode's `[2,7,11,15]`, `true`,
 * `null`, `"a,b"`, `1.50000`; Python's `True`, `None`, `'ab'`, `(1, 2)`, `{'a': 1}`, `inf`; JavaScript's `Infinity`,
 * `1_000`, `0x1F` — parsed without evaluating anything, as Python and JavaScript both read them: a form the two
 * languages read differently (`007`, the escape `\a`) is no literal here, so no check is built on it. Numbers keep
 * their text, so big integers stay exact and `2.50000` keeps the precision it was shown with. Also the top-level
 * splitting of argument lists (`nums = [1,2], target = "a,b"`) and bracket matching that the example readers share.
 */

export type Value =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  /** `text` as written, in JSON's form (`9`, `-1.50000`, `1e9`, `1000` for `1_000`), or `Infinity`, `-Infinity`, `NaN`. */
  | { kind: 'number'; text: string }
  | { kind: 'string'; value: string }
  /** Lists and tuples alike: a judge serialises both as a list. */
  | { kind: 'list'; items: Value[] }
  /** Keys as JSON writes them: strings (`{1: 2}` is `{"1": 2}` to JavaScript, and to a judge's JSON from Python). */
  | { kind: 'dict'; entries: [string, Value][] };

const DECIMAL = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?/;
const RADIX = /^([+-]?)0([xXoObB])((?:_?[0-9a-fA-F])+)/;
const WORDS: Readonly<Record<string, Value>> = {
  true: { kind: 'bool', value: true },
  True: { kind: 'bool', value: true },
  false: { kind: 'bool', value: false },
  False: { kind: 'bool', value: false },
  null: { kind: 'null' },
  None: { kind: 'null' },
  NaN: { kind: 'number', text: 'NaN' },
  nan: { kind: 'number', text: 'NaN' },
};
/** Escapes both languages read alike; `\a`, `\U…` and unknown escapes (`\d`) differ between them and are refused. */
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"' };

/**
 * A decimal number in JSON's form, or null when Python or JavaScript would not read it as this number: `_` only
 * between digits (dropped), no leading zeros on an integer (`007` is an error in Python 3 and strict JavaScript),
 * a digit on both sides of the point (`.5` → `0.5`, `2.` → `2.0`).
 */
function decimalNumber(raw: string): string | null {
  const sign = raw.startsWith('-') ? '-' : '';
  const n = raw.replace(/^[-+]/, '').replace(/_/g, '');
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(n);
  if (!m) return null;
  const [, whole = '', fraction, exponent] = m;
  // "007" is an error to Python 3 (and 7 in octal to old JavaScript); "00.5" is 0.5 to Python and an error to JavaScript
  if (/^0\d/.test(whole)) return null;
  const frac = fraction === undefined ? '' : `.${fraction === '' ? '0' : fraction}`;
  return `${sign}${whole === '' ? '0' : whole}${frac}${exponent === undefined ? '' : `e${exponent}`}`;
}

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text.charAt(this.pos))) this.pos++;
  }

  peek(): string {
    return this.text.charAt(this.pos);
  }

  value(): Value | null {
    this.skipSpace();
    const c = this.peek();
    if (c === '"' || c === "'") return this.string(c);
    if (c === '[') return this.sequence(']');
    if (c === '(') return this.tuple();
    if (c === '{') return this.dict();
    const rest = this.text.slice(this.pos);
    const infinite = /^([+-]?)(?:Infinity|inf)(?![\w$])/.exec(rest);
    if (infinite) {
      this.pos += infinite[0].length;
      return { kind: 'number', text: infinite[1] === '-' ? '-Infinity' : 'Infinity' };
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(rest)?.[0];
    if (word !== undefined) {
      const known = WORDS[word];
      if (known === undefined) return null;
      this.pos += word.length;
      return known;
    }
    return this.number(rest);
  }

  private number(rest: string): Value | null {
    const radix = RADIX.exec(rest);
    if (radix) {
      const [whole, sign = '', base = '', digits = ''] = radix;
      const valid = { x: /^[0-9a-f_]+$/i, o: /^[0-7_]+$/, b: /^[01_]+$/ }[base.toLowerCase() as 'x' | 'o' | 'b'];
      if (!valid.test(digits) || /^[\w.$]/.test(rest.slice(whole.length))) return null;
      this.pos += whole.length;
      const value = BigInt(`0${base.toLowerCase()}${digits.replace(/_/g, '')}`);
      return { kind: 'number', text: `${sign === '-' && value !== 0n ? '-' : ''}${value.toString()}` };
    }
    const raw = DECIMAL.exec(rest)?.[0];
    // "3L", "2j", "1_", "1.2.3" are not numbers of both languages
    if (raw === undefined || /^[\w.$]/.test(rest.charAt(raw.length))) return null;
    const text = decimalNumber(raw);
    if (text === null) return null;
    this.pos += raw.length;
    return { kind: 'number', text };
  }

  private string(quote: string): Value | null {
    let out = '';
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text.charAt(this.pos++);
      if (c === quote) return { kind: 'string', value: out };
      if (c === '\n') return null;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text.charAt(this.pos++);
      const simple = ESCAPES[e];
      if (simple !== undefined) out += simple;
      else if (e === '0' && !/[0-9]/.test(this.peek())) out += '\0';
      else if (e === 'x' || e === 'u') {
        const width = e === 'x' ? 2 : 4;
        const hex = this.text.slice(this.pos, this.pos + width);
        if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) return null;
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += width;
      } else return null;
    }
    return null;
  }

  /** Items up to `close`, a trailing comma allowed. */
  private items(close: string): Value[] | null {
    this.pos++;
    const items: Value[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === close) {
        this.pos++;
        return items;
      }
      const item = this.value();
      if (item === null) return null;
      items.push(item);
      this.skipSpace();
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== close) return null;
    }
  }

  private sequence(close: string): Value | null {
    const items = this.items(close);
    return items === null ? null : { kind: 'list', items };
  }

  /** `(1, 2)` and `(1,)` are tuples (lists to a judge); `(1)` is just 1. */
  private tuple(): Value | null {
    const start = this.pos;
    const items = this.items(')');
    if (items === null) return null;
    const lone = items.length === 1 && !/,\s*\)$/.test(this.text.slice(start, this.pos));
    return lone ? (items[0] ?? null) : { kind: 'list', items };
  }

  /**
   * `{"a": 1}`, `{'a': 1}`, and integer keys (`{1: 2}`, not negative: JavaScript refuses `{-1: 2}`), which JavaScript names "1" and a judge's JSON writes so; a
   * key Python and JavaScript would name differently (`1.0`, `True`, a bare word) is refused.
   */
  private dict(): Value | null {
    this.pos++;
    const entries: [string, Value][] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === '}') {
        this.pos++;
        return { kind: 'dict', entries };
      }
      const key = this.value();
      if (key === null || !(key.kind === 'string' || (key.kind === 'number' && /^\d+$/.test(key.text)))) return null;
      this.skipSpace();
      if (this.peek() !== ':') return null;
      this.pos++;
      const value = this.value();
      if (value === null) return null;
      entries.push([key.kind === 'string' ? key.value : key.text, value]);
      this.skipSpace();
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== '}') return null;
    }
  }
}

/** The value a literal writes, or null when the text is not one literal (an expression, a call, garbage). */
export function parseLiteral(text: string): Value | null {
  const reader = new Reader(text);
  const value = reader.value();
  reader.skipSpace();
  return value !== null && reader.pos === text.length ? value : null;
}

/**
 * JSON for a value, numbers exactly as written (so Python's `json.loads` keeps big integers whole); the non-finite
 * numbers come out as `Infinity` / `NaN`, which Python's json reads and JSON.parse does not (see `hasNonFinite`).
 */
export function toJson(value: Value): string {
  switch (value.kind) {
    case 'null':
      return 'null';
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'number':
      return value.text;
    case 'string':
      return JSON.stringify(value.value);
    case 'list':
      return `[${value.items.map(toJson).join(',')}]`;
    case 'dict':
      return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  }
}

/** Whether a value holds a number JSON.parse cannot read (`Infinity`, `NaN`). */
export function hasNonFinite(value: Value): boolean {
  switch (value.kind) {
    case 'number':
      return !Number.isFinite(Number(value.text));
    case 'list':
      return value.items.some(hasNonFinite);
    case 'dict':
      return value.entries.some(([, v]) => hasNonFinite(v));
    default:
      return false;
  }
}

/** The JSON text of a literal that is the whole of `text` (surrounding spaces and backticks aside), or null. */
export function toJsonLiteral(text: string): string | null {
  const trimmed = text.trim().replace(/^`([^`]*)`$/, '$1').trim();
  const value = parseLiteral(trimmed);
  return value === null ? null : toJson(value);
}

/** The literal at the start of `text` (a value followed by prose), as JSON, with the length it took; null when none. */
export function leadingLiteral(text: string): { json: string; length: number } | null {
  const reader = new Reader(text);
  const value = reader.value();
  return value === null ? null : { json: toJson(value), length: reader.pos };
}

/**
 * Each character of `text` from `from` that is outside quoted strings (a backslash escapes inside them), with the
 * bracket depth after it: what both the splitter and the bracket matcher walk.
 */
export function* unquoted(text: string, from = 0): Generator<{ index: number; char: string; depth: number }> {
  let depth = 0;
  let quote = '';
  for (let index = from; index < text.length; index++) {
    const char = text.charAt(index);
    if (quote !== '') {
      if (char === '\\') index++;
      else if (char === quote) quote = '';
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      continue;
    }
    if (char === '[' || char === '(' || char === '{') depth++;
    else if (char === ']' || char === ')' || char === '}') depth--;
    yield { index, char, depth };
  }
}

/** Splits `text` at commas outside brackets and quotes (the argument list of a call, an `Input:` line). */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const { index, char, depth } of unquoted(text)) {
    if (char !== ',' || depth !== 0) continue;
    parts.push(text.slice(start, index));
    start = index + 1;
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/**
 * The end of a balanced bracket group opened at `open` (the index of `(`, `[` or `{`), skipping quoted strings;
 * -1 when it is not closed.
 */
export function closingBracket(text: string, open: number): number {
  for (const { index, char, depth } of unquoted(text, open)) {
    if (depth === 0 && (char === ')' || char === ']' || char === '}')) return index;
  }
  return -1;
}
