/**
 * Values as coding questions write them — LeetCode's `[2,7,11,15]`, `true`, `null`, `"a,b"`, `1.50000`, and the
 * Python forms replies and doctests use (`True`, `None`, `'ab'`, `(1, 2)`) — parsed without evaluating anything.
 * Numbers keep their text, so big integers stay exact and `2.50000` keeps the precision it was shown with.
 */

export type Value =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  /** `text` as written (`9`, `-1.50000`, `1e9`), or `Infinity`, `-Infinity`, `NaN`. */
  | { kind: 'number'; text: string }
  | { kind: 'string'; value: string }
  /** Lists and tuples alike: a judge serialises both as a list. */
  | { kind: 'list'; items: Value[] }
  | { kind: 'dict'; entries: [string, Value][] };

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const WORDS: Record<string, Value> = {
  true: { kind: 'bool', value: true },
  True: { kind: 'bool', value: true },
  false: { kind: 'bool', value: false },
  False: { kind: 'bool', value: false },
  null: { kind: 'null' },
  None: { kind: 'null' },
  Infinity: { kind: 'number', text: 'Infinity' },
  inf: { kind: 'number', text: 'Infinity' },
  NaN: { kind: 'number', text: 'NaN' },
  nan: { kind: 'number', text: 'NaN' },
};
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0', a: '\x07' };

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
    const signedWord = /^([+-]?)(Infinity|inf)\b/.exec(rest);
    if (signedWord) {
      this.pos += signedWord[0].length;
      return { kind: 'number', text: signedWord[1] === '-' ? '-Infinity' : 'Infinity' };
    }
    const word = /^[A-Za-z_]\w*/.exec(rest)?.[0];
    if (word !== undefined) {
      const known = WORDS[word];
      if (known === undefined) return null;
      this.pos += word.length;
      return known;
    }
    const number = NUMBER.exec(rest)?.[0];
    if (number === undefined || /^[\w.]/.test(rest.charAt(number.length))) return null;
    this.pos += number.length;
    return { kind: 'number', text: number.startsWith('+') ? number.slice(1) : number };
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
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) out += simple;
      else if (e === 'x' || e === 'u' || e === 'U') {
        const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = this.text.slice(this.pos, this.pos + width);
        if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) return null;
        out += String.fromCodePoint(parseInt(hex, 16));
        this.pos += width;
      } else out += e;
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
      if (key === null || (key.kind !== 'string' && key.kind !== 'number')) return null;
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
 * numbers come out as `Infinity` / `NaN`, which Python's json reads and JSON.parse does not.
 */
export function toJson(value: Value): string {
  switch (value.kind) {
    case 'null':
      return 'null';
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'number':
      return jsonNumber(value.text);
    case 'string':
      return JSON.stringify(value.value);
    case 'list':
      return `[${value.items.map(toJson).join(',')}]`;
    case 'dict':
      return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  }
}

/** A number's text as JSON writes it: no leading zeros, a digit on both sides of the point; the digits kept. */
function jsonNumber(text: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  const [, sign = '', whole = '', fraction, exponent] = m;
  const int = whole.replace(/^0+(?=\d)/, '') || '0';
  const frac = fraction === undefined ? '' : `.${fraction === '' ? '0' : fraction}`;
  return `${sign}${int}${frac}${exponent === undefined ? '' : `e${exponent}`}`;
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
