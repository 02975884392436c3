/**
 * The line scanner's units (lineScan.ts gives each line's facts): the statements at a level of nesting, each with the
 * comments and decorators above it and the name it defines; the members of a body; a unit that does not fit split at
 * them; small neighbours packed. chunking.ts cuts a file with these where no parser's definitions are given, and
 * between and inside the definitions where they are.
 */
import { scanBraceLines, scanPythonLines, type LineInfo } from './lineScan';

const CONTINUED_AFTER = /(?:[=([,+\-*/%&|?:.]|=>)$/;
const CONTINUES = /^(?:[.?:&|+\-*/%=]|\{|throws\b|extends\b|implements\b|where\b)/;

export type Family = 'python' | 'brace' | 'text';

const BRACE_EXTENSIONS = new Set(['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'go', 'java', 'kt', 'kts', 'scala', 'c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'hh', 'cs', 'rs', 'swift', 'php', 'dart']);

export function familyOf(path: string): Family {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  if (ext === 'py' || ext === 'pyi') return 'python';
  return BRACE_EXTENSIONS.has(ext) ? 'brace' : 'text';
}

/** A piece of the file before packing: lines [start, end] (0-based, inclusive). */
export interface Unit {
  start: number;
  end: number;
  symbols: string[];
  /** A piece of a definition that was split: never packed with a neighbour. */
  sealed?: boolean;
}

/** The file as the chunker sees it: its lines, their facts and a fast token count of any line range. */
export class Source {
  readonly infos: LineInfo[];
  private readonly offsets: number[];

  constructor(readonly lines: readonly string[], readonly family: Family) {
    this.infos = family === 'python' ? scanPythonLines(lines) : family === 'brace' ? scanBraceLines(lines) : lines.map((l) => ({ code: l.trim() !== '', depth: 0, indent: 0, inString: false }));
    this.offsets = [0];
    for (const line of lines) this.offsets.push((this.offsets.at(-1) ?? 0) + line.length + 1);
  }

  tokens(start: number, end: number): number {
    return Math.ceil(((this.offsets[end + 1] ?? 0) - (this.offsets[start] ?? 0) - 1) / 3);
  }

  blank(i: number): boolean {
    return (this.lines[i] ?? '').trim() === '';
  }

  info(i: number): LineInfo {
    return this.infos[i] as LineInfo;
  }

  /** A line where a statement at `level` may start. */
  startsAt(i: number, level: number): boolean {
    const info = this.info(i);
    if (!info.code || info.inString) return false;
    return this.family === 'python' ? info.depth === 0 && info.indent === level : info.depth === level && !this.continues(i);
  }

  /**
   * A line of a C-like language that goes on with the statement before it though no bracket is open: after a line
   * ending in an operator or comma, or starting with one, a `{` of its own, or `throws` / `extends` / `implements`.
   */
  private continues(i: number): boolean {
    let p = i - 1;
    while (p >= 0 && !this.info(p).code) p--;
    if (p < 0) return false;
    const previous = (this.lines[p] ?? '').replace(/\s*\/\/[^'"`]*$/, '').trimEnd();
    const current = (this.lines[i] ?? '').trimStart();
    return CONTINUED_AFTER.test(previous) || CONTINUES.test(current);
  }
}

/** The statements at `level` within lines [from, to]: their ranges, each with the comments and decorators before it. */
export function statements(src: Source, from: number, to: number, level: number): Unit[] {
  const starts: number[] = [];
  for (let i = from; i <= to; i++) if (src.startsAt(i, level)) starts.push(i);
  // A decorator or annotation (`@app.route(...)`, `@Override`) belongs to the statement after it.
  const merged = starts.filter((_, j) => j === 0 || !(src.lines[starts[j - 1] as number] ?? '').trim().startsWith('@'));
  const withComments = merged.map((s) => {
    let start = s;
    while (start - 1 >= from && !src.blank(start - 1) && !src.info(start - 1).code) start--;
    return start;
  });
  const units: Unit[] = [];
  withComments.forEach((start, j) => {
    let end = (withComments[j + 1] ?? to + 1) - 1;
    while (end > start && src.blank(end)) end--;
    units.push({ start, end, symbols: symbolsOf(src, start, end) });
  });
  const first = withComments[0];
  if (first !== undefined && first > from) {
    let end = first - 1;
    while (end >= from && src.blank(end)) end--;
    if (end >= from) units.unshift({ start: from, end, symbols: [] });
  }
  return units;
}

/** The members of a statement's body and the level they sit at, or undefined when it has none to split at. */
export function members(src: Source, unit: Unit): Unit[] | undefined {
  const header = firstCodeLine(src, unit.start, unit.end);
  if (src.family === 'python') {
    const own = src.info(header).indent;
    for (let i = header + 1; i <= unit.end; i++) {
      const info = src.info(i);
      if (info.code && !info.inString && info.depth === 0 && info.indent > own) return statements(src, i, unit.end, info.indent);
    }
    return undefined;
  }
  if (src.family !== 'brace' || unit.end - header < 2) return undefined;
  const own = src.info(header).depth;
  let level = Infinity;
  for (let i = header + 1; i < unit.end; i++) {
    const info = src.info(i);
    if (info.code && !info.inString && info.depth > own) level = Math.min(level, info.depth);
  }
  if (!Number.isFinite(level)) return undefined;
  let first = header + 1;
  while (first < unit.end && !src.startsAt(first, level)) first++;
  return statements(src, first, unit.end - 1, level);
}

export function firstCodeLine(src: Source, start: number, end: number): number {
  for (let i = start; i <= end; i++) if (src.info(i).code && !(src.lines[i] ?? '').trim().startsWith('@')) return i;
  return start;
}

const PYTHON_DEFINITION = /^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)|^\s*class\s+([A-Za-z_]\w*)|^([A-Za-z_]\w*)\s*(?::[^=]+)?=(?!=)/;
/** A method or function signature with modifiers and a return type (Java, TypeScript class members, C). */
const METHOD = /^\s*(?:(?:public|private|protected|internal|static|final|abstract|async|override|readonly|get|set|synchronized|export|default|declare|virtual|inline)\s+)*(?:[\w$<>[\],.?]+\s+)?([A-Za-z_$][\w$]*)\s*(?:<[^>()]*>)?\s*\(/;
const BRACE_DEFINITIONS = [
  /\b(?:class|interface|enum|struct|trait|record|namespace|module|impl)\s+([A-Za-z_$][\w$]*)/,
  /\btype\s+([A-Za-z_$][\w$]*)/,
  /\bfunc\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)/,
  /\bfn\s+([A-Za-z_]\w*)/,
  /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)/,
  /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=/,
  METHOD,
];
const NOT_NAMES = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'else', 'do', 'try', 'new', 'throw', 'await', 'yield', 'super', 'this', 'typeof', 'delete', 'void', 'case', 'sizeof', 'assert', 'import', 'require', 'describe', 'it', 'test']);

/** The name a statement defines, read from its first code line. */
function symbolsOf(src: Source, start: number, end: number): string[] {
  const line = src.lines[firstCodeLine(src, start, end)] ?? '';
  if (src.family === 'python') {
    const m = PYTHON_DEFINITION.exec(line);
    const name = m?.[1] ?? m?.[2] ?? m?.[3];
    return name ? [name] : [];
  }
  if (src.family !== 'brace') return [];
  const first = firstCodeLine(src, start, end);
  // A signature opens a body within its next lines, before any `;` ends it (Java's `throws` clause, Allman braces).
  const opensBody = /^[^;]*\{/.test(src.lines.slice(first, Math.min(end, first + 3) + 1).join(' '));
  for (const pattern of BRACE_DEFINITIONS) {
    const name = pattern.exec(line)?.[1];
    // A call statement looks like a method signature; only a signature opens a body.
    if (name && !NOT_NAMES.has(name) && (pattern !== METHOD || opensBody)) return [name];
  }
  return [];
}

/** Units of lines [start, end] of at most `max` tokens each, cut at blank lines where possible (a longer single line stays whole). */
export function byLines(src: Source, start: number, end: number, max: number): Unit[] {
  const out: Unit[] = [];
  let from = start;
  while (from <= end) {
    let to = from;
    let lastBlank = -1;
    while (to + 1 <= end && src.tokens(from, to + 1) <= max) {
      to++;
      if (src.blank(to)) lastBlank = to;
    }
    if (to < end && lastBlank > from + (to - from) / 2) to = lastBlank;
    out.push({ start: from, end: to, symbols: [] });
    from = to + 1;
    while (from <= end && src.blank(from)) from++;
  }
  return out;
}

/** A class-like header: its members are definitions of their own (a function's body statements are not). */
export const CONTAINER = /\b(?:class|interface|enum|struct|trait|impl|record|namespace|module|object)\b/;

/**
 * A unit that fits stays whole; one that does not is split at its members (its header and closing lines kept), the
 * pieces packed among themselves and sealed, so no piece of it is packed with a neighbour. Pieces of a split class
 * define its members (`Cells.width`); pieces of a split function all define the function.
 */
export function fit(src: Source, unit: Unit, max: number, container: string | undefined): Unit[] {
  const qualified = container === undefined ? unit.symbols : unit.symbols.flatMap((s) => [s, `${container}.${s}`]);
  if (src.tokens(unit.start, unit.end) <= max) return [{ ...unit, symbols: qualified }];
  const parts = members(src, unit);
  const firstPart = parts?.[0];
  const lastPart = parts?.at(-1);
  const seal = (units: readonly Unit[]): Unit[] => units.map((u) => ({ ...u, sealed: true }));
  if (parts === undefined || firstPart === undefined || lastPart === undefined || (parts.length === 1 && firstPart.start === unit.start)) {
    return seal(byLines(src, unit.start, unit.end, max).map((u) => ({ ...u, symbols: qualified })));
  }
  const isClass = CONTAINER.test(src.lines[firstCodeLine(src, unit.start, unit.end)] ?? '');
  const name = unit.symbols[0] ?? container;
  const pieces: Unit[] = [];
  if (firstPart.start > unit.start) pieces.push(...byLines(src, unit.start, firstPart.start - 1, max).map((u) => ({ ...u, symbols: qualified })));
  for (const part of parts) pieces.push(...(isClass ? fit(src, part, max, name).map((u) => (u.symbols.length > 0 ? u : { ...u, symbols: qualified })) : fit(src, part, max, undefined).map((u) => ({ start: u.start, end: u.end, symbols: qualified }))));
  if (lastPart.end < unit.end) pieces.push(...byLines(src, lastPart.end + 1, unit.end, max).map((u) => (isClass ? u : { ...u, symbols: qualified })));
  return seal(pack(src, pieces, max));
}

/** Neighbouring units joined while the joined chunk stays within `limit` tokens; sealed units are never joined. */
export function pack(src: Source, units: readonly Unit[], limit: number): Unit[] {
  const out: Unit[] = [];
  for (const unit of units) {
    const last = out.at(-1);
    if (last && !last.sealed && !unit.sealed && src.tokens(last.start, unit.end) <= limit) out[out.length - 1] = { start: last.start, end: unit.end, symbols: [...last.symbols, ...unit.symbols] };
    else out.push(unit);
  }
  return out;
}

/** Paragraphs (runs of non-blank lines) of lines [from, to], the whole file by default. */
export function paragraphs(src: Source, from = 0, to = src.lines.length - 1): Unit[] {
  const out: Unit[] = [];
  let start = -1;
  for (let i = from; i <= to; i++) {
    if (src.blank(i)) {
      if (start >= 0) out.push({ start, end: i - 1, symbols: [] });
      start = -1;
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push({ start, end: to, symbols: [] });
  return out;
}
