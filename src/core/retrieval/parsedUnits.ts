/**
 * A file's units cut at a parser's definitions (parsedSource.ts) with the line scanner's rules (statementUnits.ts): a
 * definition that fits is one unit; one that does not is split at the definitions inside it, the statements between
 * them cut as the scanner cuts them, and the pieces packed among themselves and sealed. Between definitions (imports,
 * constants, top-level code) the scanner's statements stand, so where parser and scanner agree the units are the same.
 */
import { CONTAINER_KINDS, type ParsedDefinition } from './parsedSource';
import { byLines, fit, pack, paragraphs, statements, type Source, type Unit } from './statementUnits';

/** A definition placed in the file: lines 0-based, inclusive; its children the definitions directly inside it. */
interface Placed {
  start: number;
  end: number;
  body: number | undefined;
  definition: ParsedDefinition;
  children: Placed[];
}

/** A unit between definitions, or a definition still to be fitted. */
type Part = Unit & { placed?: Placed };

/**
 * The definitions nested by their lines, within the file's lines [0, last]. Given from outside, they are checked: one
 * outside the file or overlapping another without nesting in it is left out (its lines are cut as statements).
 */
function nest(definitions: readonly ParsedDefinition[], last: number): Placed[] {
  const placed = definitions
    .map((d): Placed => ({ start: Math.max(0, d.startLine - 1), end: Math.min(last, d.endLine - 1), body: d.bodyLine === undefined ? undefined : d.bodyLine - 1, definition: d, children: [] }))
    .filter((p) => Number.isInteger(p.start) && Number.isInteger(p.end) && p.start <= p.end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const roots: Placed[] = [];
  const open: Placed[] = [];
  for (const p of placed) {
    while (open.length > 0 && (open.at(-1) as Placed).end < p.start) open.pop();
    const parent = open.at(-1);
    if (parent !== undefined && p.end > parent.end) continue;
    (parent?.children ?? roots).push(p);
    open.push(p);
  }
  return roots;
}

const ownNames = (p: Placed): string[] => [...new Set([p.definition.name, p.definition.qualifiedName])];

/** What a whole definition's chunk defines: its names and, for a class-like one, its members', recursively. */
function namesOf(p: Placed): string[] {
  return CONTAINER_KINDS.has(p.definition.kind) ? [...ownNames(p), ...p.children.flatMap(namesOf)] : ownNames(p);
}

/** The statements of lines [from, to], which hold no definition, as the scanner cuts them (paragraphs in a text file). */
function statementsBetween(src: Source, from: number, to: number): Unit[] {
  while (from <= to && src.blank(from)) from++;
  while (to >= from && src.blank(to)) to--;
  if (from > to) return [];
  if (src.family === 'text') return paragraphs(src, from, to);
  let first = from;
  while (first <= to && (!src.info(first).code || src.info(first).inString)) first++;
  if (first > to) return [{ start: from, end: to, symbols: [] }];
  const info = src.info(first);
  const units = statements(src, from, to, src.family === 'python' ? info.indent : info.depth);
  return units.length > 0 ? units : [{ start: from, end: to, symbols: [] }];
}

/** Lines [from, to] as the definitions among `placed` (in order, within the range) and the statements around them. */
function partsOf(src: Source, placed: readonly Placed[], from: number, to: number): Part[] {
  const parts: Part[] = [];
  let next = from;
  for (const p of placed) {
    if (p.start > next) parts.push(...statementsBetween(src, next, p.start - 1));
    parts.push({ start: p.start, end: p.end, symbols: ownNames(p), placed: p });
    next = p.end + 1;
  }
  if (next <= to) parts.push(...statementsBetween(src, next, to));
  return parts;
}

/**
 * A definition that fits is one unit. One that does not is split at the definitions inside it (its signature and
 * closing lines kept), the pieces packed among themselves and sealed: a class-like one's pieces keep their members'
 * names, a function's pieces all name the function. One with no definition inside is split as the scanner splits it.
 */
function fitDefinition(src: Source, p: Placed, max: number): Unit[] {
  if (src.tokens(p.start, p.end) <= max) return [{ start: p.start, end: p.end, symbols: namesOf(p) }];
  const own = ownNames(p);
  const first = p.children[0];
  if (first === undefined) return fit(src, { start: p.start, end: p.end, symbols: own }, max, undefined).map((u) => ({ ...u, symbols: own, sealed: true }));
  const container = CONTAINER_KINDS.has(p.definition.kind);
  const body = Math.max(p.start, Math.min(p.body ?? first.start, first.start));
  const pieces: Unit[] = body > p.start ? byLines(src, p.start, body - 1, max).map((u) => ({ ...u, symbols: own })) : [];
  for (const part of partsOf(src, p.children, body, p.end)) {
    // Statements between a class's members are named by the class (`Cells.width` for a field); a namespace names none.
    const units = part.placed !== undefined ? fitDefinition(src, part.placed, max) : fit(src, part, max, container && p.definition.kind !== 'namespace' ? p.definition.name : undefined);
    // A class's closing `}` or `end` defines nothing (a function's closing line is still the function).
    pieces.push(...units.map((u) => (container && (u.symbols.length > 0 || closesOnly(src, u)) ? u : { ...u, symbols: own })));
  }
  return pack(src, pieces, max).map((u) => ({ ...u, sealed: true }));
}

/** Whether a unit's lines only close brackets or blocks (`}`, `};`, `end`). */
function closesOnly(src: Source, u: Unit): boolean {
  return src.lines.slice(u.start, u.end + 1).every((l) => /^\s*(?:[)\]};,]+|end)?\s*$/.test(l));
}

/** The units of a whole file cut at `definitions` (before packing). */
export function parsedUnits(src: Source, definitions: readonly ParsedDefinition[], max: number): Unit[] {
  const last = src.lines.length - 1;
  return partsOf(src, nest(definitions, last), 0, last).flatMap((part) => (part.placed !== undefined ? fitDefinition(src, part.placed, max) : fit(src, part, max, undefined)));
}
