/**
 * Where a reply's code block goes in the file a question was asked from (Apply): over the selection the question was
 * about; else over the definition the block redefines, matched by name (function, class, method, Go func); else at the
 * cursor. The target keeps the text it was made against, so an edit the user made meanwhile is seen, not guessed over.
 */
import { definitionsOf, type Definition } from '../retrieval/chunking';
import type { ParsedSource } from '../retrieval/parsedSource';

/** Where the question was asked in the file: the selection it was about (when any) and the cursor, as offsets. */
export interface AskAnchor {
  selection?: { start: number; end: number; text: string };
  cursor: number;
}

/** The change: replace [start, end) with `text`; `guard` is the file's text the change was made against. */
export interface ApplyTarget {
  kind: 'selection' | 'definition' | 'cursor';
  start: number;
  end: number;
  text: string;
  /** The definition replaced (`parseScores`, `Cells.width`). */
  name?: string;
  /** 1-based lines of the file the change replaces, or the line it is inserted at. */
  startLine: number;
  endLine: number;
  /** The range and text that must still be in the file for the change to apply: the replaced text, or the cursor's line. */
  guard: { start: number; end: number; text: string };
}

const indentOf = (line: string): string => /^[ \t]*/.exec(line)?.[0] ?? '';

/** The code without its common indentation and without trailing blank lines. */
function dedent(code: string): string {
  const lines = code.replace(/\s+$/, '').split('\n');
  const widths = lines.filter((l) => l.trim() !== '').map((l) => indentOf(l).length);
  const common = widths.length > 0 ? Math.min(...widths) : 0;
  return lines.map((l) => l.slice(Math.min(common, indentOf(l).length))).join('\n');
}

/** The code indented by `indent` (the first line goes where the replaced text starts, so it is not indented again). */
function indentAfterFirst(code: string, indent: string): string {
  return code
    .split('\n')
    .map((l, i) => (i === 0 || l.trim() === '' ? l : indent + l))
    .join('\n');
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const next = text.indexOf('\n', offset);
  return next < 0 ? text.length : next;
}

const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

/** Offset of the start of 1-based line `line`. */
function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}

function replacement(kind: ApplyTarget['kind'], file: string, start: number, end: number, text: string, name?: string): ApplyTarget {
  return { kind, start, end, text, ...(name !== undefined ? { name } : {}), startLine: lineAt(file, start), endLine: lineAt(file, end), guard: { start, end, text: file.slice(start, end) } };
}

/** The selection where it was, or its only place in the file now; undefined when it is gone or ambiguous. */
function selectionRange(file: string, selection: NonNullable<AskAnchor['selection']>): { start: number; end: number } | undefined {
  if (selection.text.trim() === '') return undefined;
  if (file.slice(selection.start, selection.end) === selection.text) return { start: selection.start, end: selection.end };
  const at = file.indexOf(selection.text);
  if (at < 0 || file.indexOf(selection.text, at + 1) >= 0) return undefined;
  return { start: at, end: at + selection.text.length };
}

/** The file's definition a block's definition redefines: the same name, in the same class when the block names one. */
function redefined(fileDefs: readonly Definition[], blockDefs: readonly Definition[]): Definition | undefined {
  // The block's outermost definitions (a Go method is outermost though its receiver names a container).
  const outermost = blockDefs.filter((d) => !blockDefs.some((o) => o !== d && o.startLine <= d.startLine && d.endLine <= o.endLine && (o.startLine < d.startLine || d.endLine < o.endLine)));
  for (const def of outermost) {
    const same = fileDefs.filter((f) => f.name === def.name);
    const best = same.find((f) => f.container === def.container) ?? same.find((f) => f.container === undefined) ?? same[0];
    if (best) return best;
  }
  return undefined;
}

/** An import line: Python's `import` / `from … import`, JavaScript's and TypeScript's `import`, Java's and Go's `import`, Rust's `use`. */
const IMPORT_LINE = /^(?:import\s|from\s+\S+\s+import\s|use\s+[\w:{}, *]+;)/;

/**
 * The block without the import lines at its top that the file already has, word for word: Apply never adds an import
 * twice (a reply often repeats the file's `from typing import List, Optional` above the function it rewrites).
 */
function withoutKnownImports(block: string, file: string): string {
  const known = new Set(file.split('\n').map((l) => l.trim()).filter((l) => IMPORT_LINE.test(l)));
  const lines = block.split('\n');
  let head = 0;
  while (head < lines.length && ((lines[head] ?? '').trim() === '' || IMPORT_LINE.test((lines[head] ?? '').trim()))) head++;
  const kept = lines.slice(0, head).filter((l) => l.trim() === '' || !known.has(l.trim()));
  const top = kept.some((l) => l.trim() !== '') ? kept : [];
  return [...top, ...lines.slice(head)].join('\n');
}

/** The block Apply puts into `file`: a reply's code dedented, without the import lines the file has already. */
export const applyBlock = (code: string, file: string): string => withoutKnownImports(dedent(code), file);

/**
 * Where `code` (a reply's code block) goes in `file` (the text of the file at `path`, whose extension names its
 * language), asked about at `anchor`; the block's import lines the file has already are left out. `parsed`: what the
 * parser read of the file and of the block (`applyBlock`), where one did — the definitions are then the parser's
 * (core/retrieval/chunking definitionsOf), as the index reads them.
 */
export function applyTarget(path: string, file: string, code: string, anchor: AskAnchor, parsed: { file?: ParsedSource; block?: ParsedSource } = {}): ApplyTarget {
  const block = applyBlock(code, file);
  const selected = anchor.selection ? selectionRange(file, anchor.selection) : undefined;
  if (selected) {
    const start = selected.start;
    const indent = start === lineStart(file, start) ? '' : indentOf(file.slice(lineStart(file, start)));
    const ownIndent = start === lineStart(file, start) ? indentOf(file.slice(start)) : '';
    const trailingNewline = file.slice(selected.start, selected.end).endsWith('\n') ? '\n' : '';
    return replacement('selection', file, selected.start, selected.end, ownIndent + indentAfterFirst(block, ownIndent || indent) + trailingNewline);
  }
  const def = redefined(definitionsOf(path, file, parsed.file), definitionsOf(path, block, parsed.block));
  if (def) {
    const start = offsetOfLine(file, def.startLine);
    const end = lineEnd(file, offsetOfLine(file, def.endLine));
    const indent = indentOf(file.slice(start));
    return replacement('definition', file, start + indent.length, end, indentAfterFirst(block, indent), def.container !== undefined ? `${def.container}.${def.name}` : def.name);
  }
  const cursor = Math.min(Math.max(anchor.cursor, 0), file.length);
  const from = lineStart(file, cursor);
  const to = lineEnd(file, cursor);
  const atLineStart = cursor === from;
  const text = atLineStart ? `${block}\n` : block;
  const line = lineAt(file, cursor);
  return { kind: 'cursor', start: cursor, end: cursor, text, startLine: line, endLine: line, guard: { start: from, end: to, text: file.slice(from, to) } };
}

/** The file with the change made. */
export function applied(file: string, target: ApplyTarget): string {
  return file.slice(0, target.start) + target.text + file.slice(target.end);
}

/** Whether the file no longer holds the text the change was made against (the user edited it meanwhile). */
export function isStale(file: string, target: ApplyTarget): boolean {
  return file.slice(target.guard.start, target.guard.end) !== target.guard.text;
}

/** What the change does, in a few words: "replaces parseScores (lines 3–5)", "inserts at line 12". */
export function targetPhrase(target: ApplyTarget): string {
  const lines = target.startLine === target.endLine ? `line ${target.startLine}` : `lines ${target.startLine}–${target.endLine}`;
  switch (target.kind) {
    case 'selection':
      return `replaces the selection (${lines})`;
    case 'definition':
      return `replaces ${target.name ?? 'the definition'} (${lines})`;
    case 'cursor':
      return `inserts at ${lines}`;
  }
}
