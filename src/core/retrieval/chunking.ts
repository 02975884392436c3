/**
 * Splits a source file into chunks at definition boundaries, the way Continue's code chunker does with tree-sitter: a
 * definition that fits is one chunk; a class, struct or other body that does not fit is split at its members,
 * recursively; a body without members is split at its statements or blank lines. Small neighbouring statements
 * (imports, constants, one-line functions) are packed together. The definitions are a parser's when the caller gives
 * them (src/parse finds them; parsedUnits.ts cuts at them), else the line scanner's guesses (statementUnits.ts):
 * Python by indentation; TypeScript, JavaScript, Go, Java and other C-like languages by braces; other text by paragraphs.
 */
import type { ParsedSource } from './parsedSource';
import { parsedUnits } from './parsedUnits';
import { CONTAINER, familyOf, firstCodeLine, fit, members, pack, paragraphs, Source, statements, type Unit } from './statementUnits';

export interface CodeChunk {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
  /** Names the chunk defines (`split_graphemes`, `Cells.width`), for exact matches of what a question names. */
  symbols: string[];
  /** Names it uses (calls, types, members) and does not define, when a parser read the file; none otherwise. */
  references: string[];
  /** Estimated tokens of the text. */
  tokens: number;
}

/** Default largest chunk (estimated tokens): about 40–60 lines of code. */
export const DEFAULT_CHUNK_TOKENS = 500;

/**
 * The chunks of one file, in order; an empty or blank file has none. With `parsed` (the parser's reading of this very
 * text) chunks are cut at its definitions and record the names each uses and does not define; without, the line scanner
 * cuts them and they record none.
 */
export function chunkFile(path: string, text: string, maxTokens = DEFAULT_CHUNK_TOKENS, parsed?: ParsedSource): CodeChunk[] {
  if (text.trim() === '') return [];
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && (lines.at(-1) ?? '').trim() === '') lines.pop();
  const src = new Source(lines, familyOf(path));
  const units =
    parsed !== undefined
      ? parsedUnits(src, parsed.definitions, maxTokens)
      : (src.family === 'text' ? paragraphs(src) : statements(src, 0, lines.length - 1, 0)).flatMap((u) => fit(src, u, maxTokens, undefined));
  // Definitions that nearly fill a chunk keep one of their own; small ones are grouped.
  const packed = pack(src, units, src.family === 'text' && parsed === undefined ? maxTokens : Math.floor(maxTokens / 2));
  const references = parsed !== undefined ? referencesBy(packed, parsed, lines.length) : undefined;
  return packed.map((u, i) => ({
    startLine: u.start + 1,
    endLine: u.end + 1,
    text: lines.slice(u.start, u.end + 1).join('\n'),
    symbols: [...new Set(u.symbols)],
    references: references?.[i] ?? [],
    tokens: src.tokens(u.start, u.end),
  }));
}

/** For each unit (in order, apart), the names used on its lines that it does not define itself, in order of first use. */
function referencesBy(units: readonly Unit[], parsed: ParsedSource, lineCount: number): string[][] {
  const unitOfLine = new Int32Array(lineCount).fill(-1);
  units.forEach((u, i) => unitOfLine.fill(i, u.start, u.end + 1));
  const used = units.map(() => new Set<string>());
  for (const ref of parsed.references) for (const line of ref.lines) used[unitOfLine[line - 1] ?? -1]?.add(ref.name);
  return units.map((u, i) => {
    const own = new Set(u.symbols.map((s) => s.split('.').at(-1) ?? s));
    return [...(used[i] ?? [])].filter((name) => !own.has(name));
  });
}

/**
 * A parser's definitions as Definitions: each from its first line of code (its decorators and attributes kept, the
 * comments above it not) to its last, its container the enclosing definition its qualified name gives, in line order
 * (a container before its members).
 */
function parsedDefinitions(src: Source, parsed: ParsedSource): Definition[] {
  return [...parsed.definitions]
    .sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine)
    .map((d) => {
      let start = d.startLine - 1;
      while (start < d.endLine - 1 && !src.info(start).code) start++;
      const container = d.qualifiedName.includes('.') ? d.qualifiedName.slice(0, d.qualifiedName.lastIndexOf('.')).split('.').at(-1) : undefined;
      return { name: d.name, ...(container !== undefined ? { container } : {}), startLine: start + 1, endLine: d.endLine };
    });
}

/** A definition of a file (a function, class, method…): what Apply replaces when a reply redefines it by name. */
export interface Definition {
  name: string;
  /** The class-like definition it is a member of (`Cells` for `Cells.width`). */
  container?: string;
  /** 1-based, inclusive: from its first line of code (a decorator or annotation included, comments above not) to its last. */
  startLine: number;
  endLine: number;
}

/**
 * The definitions of a file, outermost first: top-level ones, and the members of class-like ones, recursively — the
 * one reader of definitions for the index, the open file, a selection and Apply. With `parsed` (the parser's reading of
 * this very text: tree-sitter, src/parse) they are the parser's; without (a language it has no grammar for, a grammar
 * that could not be loaded) the line scanner's guesses.
 */
export function definitionsOf(path: string, text: string, parsed?: ParsedSource): Definition[] {
  const lines = text.split(/\r?\n/);
  const src = new Source(lines, familyOf(path));
  if (text.trim() === '') return [];
  if (parsed !== undefined) return parsedDefinitions(src, parsed);
  if (src.family === 'text') return [];
  const out: Definition[] = [];
  const visit = (units: readonly Unit[], container: string | undefined): void => {
    for (const unit of units) {
      const name = unit.symbols[0];
      if (name === undefined) continue;
      let start = unit.start;
      while (start < unit.end && !src.info(start).code) start++;
      // The comments after its last line of code are the next definition's (a JSDoc above it), not this one's.
      let end = unit.end;
      while (end > start && !src.info(end).code) end--;
      out.push({ name, ...(container !== undefined ? { container } : {}), startLine: start + 1, endLine: end + 1 });
      if (CONTAINER.test(src.lines[firstCodeLine(src, unit.start, unit.end)] ?? '')) visit(members(src, unit) ?? [], name);
    }
  };
  visit(statements(src, 0, lines.length - 1, 0), undefined);
  return out;
}
