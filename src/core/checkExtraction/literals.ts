/**
 * Literal values as questions write them — JSON (`[2,7,11,15]`, `"ab"`, `true`), Python (`'ab'`, `True`, `None`,
 * tuples, dicts) or JavaScript (`'ab'`, `undefined` aside) — turned into JSON text that `JSON.parse` and `json.loads`
 * both read, numbers kept exactly as written (`3.00000`, a 19-digit integer: parsing them into a double would lose
 * digits). Also the top-level splitting of argument lists (`nums = [1,2], target = "a,b"`).
 */

/** Reads one literal starting at `pos`; returns its JSON text and the position after it, or null when it is none. */
type Reader = (text: string, pos: number) => { json: string; end: number } | null;

const NUMBER = /^[-+]?(?:\d+(?:_\d+)*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/;
const WORDS: Readonly<Record<string, string>> = { true: 'true', false: 'false', null: 'null', True: 'true', False: 'false', None: 'null' };

function skipSpace(text: string, pos: number): number {
  let p = pos;
  while (p < text.length && /\s/.test(text.charAt(p))) p++;
  return p;
}

/** A number in JSON form: no leading `+`, no `_`, a digit on both sides of the point (`.5` → `0.5`, `2.` → `2.0`). */
function jsonNumber(raw: string): string {
  let n = raw.replace(/_/g, '');
  const sign = n.startsWith('-') ? '-' : '';
  n = n.replace(/^[-+]/, '');
  if (n.startsWith('.')) n = `0${n}`;
  n = n.replace(/\.(?=[eE]|$)/, '.0');
  // JSON allows no leading zeros ("007"); such a token is not a number literal of any of these languages either.
  if (/^0\d/.test(n)) return '';
  return sign + n;
}

function readString(text: string, pos: number): { json: string; end: number } | null {
  const quote = text.charAt(pos);
  if (quote !== '"' && quote !== "'") return null;
  let value = '';
  let p = pos + 1;
  while (p < text.length) {
    const c = text.charAt(p);
    if (c === quote) return { json: JSON.stringify(value), end: p + 1 };
    if (c === '\n') return null;
    if (c === '\\') {
      const next = text.charAt(p + 1);
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', b: '\b', f: '\f' };
      if (next in simple) {
        value += simple[next];
        p += 2;
        continue;
      }
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(p + 2, p + 6))) {
        value += String.fromCharCode(parseInt(text.slice(p + 2, p + 6), 16));
        p += 6;
        continue;
      }
      value += c;
      p++;
      continue;
    }
    value += c;
    p++;
  }
  return null;
}

function readSequence(text: string, pos: number, open: string, close: string, entry: Reader): { json: string; end: number } | null {
  if (text.charAt(pos) !== open) return null;
  const items: string[] = [];
  let p = skipSpace(text, pos + 1);
  if (text.charAt(p) === close) return { json: open === '{' ? '{}' : '[]', end: p + 1 };
  for (;;) {
    const item = entry(text, p);
    if (!item) return null;
    items.push(item.json);
    p = skipSpace(text, item.end);
    const c = text.charAt(p);
    if (c === ',') {
      p = skipSpace(text, p + 1);
      // a trailing comma (Python allows it; a one-element tuple needs it)
      if (text.charAt(p) === close) return { json: wrap(open, items), end: p + 1 };
      continue;
    }
    if (c === close) return { json: wrap(open, items), end: p + 1 };
    return null;
  }
}

function wrap(open: string, items: readonly string[]): string {
  return open === '{' ? `{${items.join(',')}}` : `[${items.join(',')}]`;
}

/** A dict entry: a string key (quoted; JSON keys must be strings) then `:` and a value. */
const readEntry: Reader = (text, pos) => {
  const key = readString(text, pos);
  if (!key) return null;
  const colon = skipSpace(text, key.end);
  if (text.charAt(colon) !== ':') return null;
  const value = readValue(text, skipSpace(text, colon + 1));
  return value ? { json: `${key.json}:${value.json}`, end: value.end } : null;
};

const readValue: Reader = (text, pos) => {
  const c = text.charAt(pos);
  if (c === '"' || c === "'") return readString(text, pos);
  if (c === '[') return readSequence(text, pos, '[', ']', readValue);
  // A tuple is a list to JSON (LiveCodeBench's runner compares a returned tuple as a list too).
  if (c === '(') {
    const tuple = readSequence(text, pos, '(', ')', readValue);
    if (!tuple) return null;
    // "(5)" is 5 in parentheses; only a comma makes a tuple
    const inner = text.slice(pos + 1, tuple.end - 1);
    const isTuple = inner.trim() === '' || splitTopLevel(inner).length > 1;
    return isTuple ? tuple : { json: tuple.json.slice(1, -1), end: tuple.end };
  }
  if (c === '{') return readSequence(text, pos, '{', '}', readEntry);
  const word = /^[A-Za-z_]\w*/.exec(text.slice(pos))?.[0];
  if (word !== undefined) {
    const json = WORDS[word];
    return json === undefined ? null : { json, end: pos + word.length };
  }
  const number = NUMBER.exec(text.slice(pos))?.[0];
  if (number !== undefined) {
    // "3L", "2j", "0x1F" are not plain numbers
    if (/^[\w.]/.test(text.slice(pos + number.length))) return null;
    const json = jsonNumber(number);
    return json === '' ? null : { json, end: pos + number.length };
  }
  return null;
};

/** The JSON text of a literal that is the whole of `text` (surrounding spaces and backticks aside), or null. */
export function toJsonLiteral(text: string): string | null {
  const trimmed = text.trim().replace(/^`([^`]*)`$/, '$1').trim();
  if (trimmed === '') return null;
  const value = readValue(trimmed, 0);
  return value && skipSpace(trimmed, value.end) === trimmed.length ? value.json : null;
}

/**
 * Each character of `text` from `from` that is outside quoted strings (a backslash escapes inside them), with the
 * bracket depth after it: what both the splitter and the bracket matcher walk.
 */
function* unquoted(text: string, from = 0): Generator<{ index: number; char: string; depth: number }> {
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

/** The literal at the start of `text` (a value followed by prose), as JSON, with the length it took; null when none. */
export function leadingLiteral(text: string): { json: string; length: number } | null {
  const start = skipSpace(text, 0);
  const value = readValue(text, start);
  return value ? { json: value.json, length: value.end } : null;
}
