/**
 * How much of the file open in the editor an ask sends (issue 42): none of it when the question does not refer to the
 * file; when it does, the parts it refers to (the definition at the cursor, definitions the question names) and an
 * outline of the rest (signature lines), within a share of the context budget — never the unbounded whole file. The
 * user sends it whole on purpose (the panel's chip, `#file:`), as an attachment.
 */
import { definitionsOf, type Definition } from './chunking';
import type { ParsedSource } from './parsedSource';
import { contextItem, fenceLanguage, type ContextItem } from '../context/contextItem';
import { ASSUMED_WINDOW, CONTEXT_SHARE } from '../promptBudget/fitContext';
import { mentionsIn, pathMatches } from './mentions';
import { questionParts } from './questionCode';

/** The file open in the editor as an ask receives it: what the front end knows of the editor. */
export interface OpenFile {
  /** Workspace-relative path with `/` separators. */
  path: string;
  /** Its text, unsaved edits included. */
  text: string;
  /** 1-based line of the cursor. */
  cursorLine: number;
  /** The editor's language id, when known. */
  language?: string;
  /** What a parser (tree-sitter, src/parse) read of this very text, when one did: its definitions are then the parser's. */
  parsed?: ParsedSource;
}

/** The editor's state an ask carries (`AskOptions.editor`); the selection and chosen files travel as attachments. */
export interface EditorState {
  openFile?: OpenFile;
}

/**
 * At most this many tokens of the open file go by default: the definition at the cursor (a long function is ~150
 * lines, ~2,000 tokens) and an outline; the retrieved code keeps its own 8,000, so a file the question refers to adds
 * at most about half again to a median ask of 2,000–3,500 tokens.
 */
export const OPEN_FILE_MAX_TOKENS = 3_000;
/** And at most this share of what the context may use: on a small window the attachments and retrieved code keep two thirds. */
export const OPEN_FILE_ROOM_SHARE = 1 / 3;
/** A file this small goes whole when referred to: its outline would say nearly as much. */
const SMALL_FILE_TOKENS = 800;
/** Lines either side of the cursor sent when no definition holds it (top-level statements, a text file). */
const CURSOR_WINDOW_LINES = 30;
/** The outline takes at most this share of the open file's budget: the parts referred to come first. */
const OUTLINE_SHARE = 1 / 3;
/** A signature line is cut to this many characters. */
const SIGNATURE_CHARS = 160;

/** The room the context has when no model's window is known (core/promptBudget/fitContext). */
export const DEFAULT_CONTEXT_ROOM = Math.floor(ASSUMED_WINDOW * CONTEXT_SHARE);

/** The tokens the open file may take in a context of `room` tokens. */
export function openFileBudget(room = DEFAULT_CONTEXT_ROOM): number {
  return Math.max(0, Math.min(OPEN_FILE_MAX_TOKENS, Math.floor(room * OPEN_FILE_ROOM_SHARE)));
}

const POINTING = new RegExp(
  [
    String.raw`\b(?:this|these|the current|the open|the opened|my current)\s+(?:file|code|function|method|class|module|script|component|snippet|program|test|tests|line|lines|loop|query|error|errors|crash|bug|exception|warning|warnings|problem|traceback|stack trace|implementation|logic|struct|type|enum|trait|interface)\b`,
    String.raw`\b(?:here|above|below)\b`,
    String.raw`\b(?:this|it)\s+(?:crash(?:es)?|fails?|throws?|breaks?|returns?)\b`,
    String.raw`\b(?:refactor|optimi[sz]e|explain|document|review|fix|debug|simplify)\s+(?:it|this)\b`,
  ].join('|'),
  'i',
);

/** What else the rules read besides the question and the file. */
export interface ReferenceClues {
  /** A selection in this file goes with the question. */
  selectionInFile?: boolean;
  /** The question asks for the problems (`#problems`). */
  problemsMentioned?: boolean;
  /**
   * Whether a file of the workspace other than `path` defines `name` (the index answers); without a workspace,
   * nothing else is known to define it.
   */
  definedElsewhere?: (name: string, path: string) => boolean;
}

const baseName = (p: string): string => p.split('/').at(-1) ?? p;

/** The names a question gives: identifiers written as code, and capitalised words (`Router`). */
function namesIn(question: string): string[] {
  const capitalised = question.match(/\b[A-Z][A-Za-z0-9_]{2,}\b/g) ?? [];
  return [...new Set([...mentionsIn(question).identifiers, ...capitalised])];
}

/** The definitions of the file the question names, by their own name or as `Container.name`. */
function namedDefinitions(question: string, definitions: readonly Definition[]): Definition[] {
  const names = new Set(namesIn(question));
  return definitions.filter((d) => names.has(d.name) || (d.container !== undefined && names.has(`${d.container}.${d.name}`)));
}

/**
 * Why the question refers to the open file, in words for the notes; undefined when it does not: it points at it
 * ("this function", "here"), a selection of it or its problems go, it names the file, or it names a definition of the
 * file that the workspace defines nowhere else.
 */
export function openFileReference(asked: string, file: Pick<OpenFile, 'path' | 'text' | 'parsed'>, clues: ReferenceClues = {}): string | undefined {
  if (clues.selectionInFile === true) return 'a selection of it goes with the question';
  if (clues.problemsMentioned === true) return 'the question asks for its problems';
  // A question that brings its own code (an exercise, a snippet) speaks of that code: "this function" in its docstring,
  // the names it defines. Only its prose can refer to the open file.
  const question = questionParts(asked).prose;
  const pointing = POINTING.exec(question);
  if (pointing) return `the question points at it ("${pointing[0]}")`;
  const named = mentionsIn(question).files.find((f) => pathMatches(file.path, f));
  if (named !== undefined) return `the question names ${baseName(file.path)}`;
  const own = namedDefinitions(question, definitionsOf(file.path, file.text, file.parsed)).find((d) => !(clues.definedElsewhere?.(d.name, file.path) ?? false));
  return own === undefined ? undefined : `the question names ${own.name}, which it defines`;
}

/** What goes of the open file, and the words that say so. */
export interface OpenFileShare {
  /** The parts sent (source `currentFile`), the outline last; none when the question does not refer to the file. */
  items: ContextItem[];
  tokens: number;
  /** "lines 40–88 of router.rs (the definition at the cursor), 1,210 tokens", or "router.rs not sent: …". */
  summary: string;
  /** What goes, as the chip says it: "lines 40–88 + outline", "outline"; empty when nothing goes. */
  brief: string;
  /** Why it goes or not. */
  reason: string;
  /**
   * The words of the question that point at the open file ("this function"): they are about it, not evidence that
   * the rest of the workspace is meant.
   */
  pointing?: string;
}

interface Part {
  start: number;
  end: number;
  why: string;
}

/** "lines 141–153, 43–55", "line 7". */
function lineRanges(parts: readonly Pick<Part, 'start' | 'end'>[]): string {
  const spans = parts.map((p) => (p.start === p.end ? `${p.start}` : `${p.start}–${p.end}`));
  return `${parts.length === 1 && parts[0]?.start === parts[0]?.end ? 'line' : 'lines'} ${spans.join(', ')}`;
}

/** "lines 40–88 + outline", "outline": the parts of the items, and whether an outline goes. */
function briefOf(items: readonly ContextItem[]): string {
  const parts = items.filter((i) => i.outline !== true).map((i) => ({ start: i.startLine, end: i.endLine }));
  const outlined = items.some((i) => i.outline === true);
  if (parts.length === 0) return outlined ? 'outline' : '';
  return `${lineRanges(parts)}${outlined ? ' + outline' : ''}`;
}

/** The innermost definition holding the line. */
function definitionAt(definitions: readonly Definition[], line: number): Definition | undefined {
  return definitions.filter((d) => d.startLine <= line && line <= d.endLine).sort((a, b) => a.endLine - a.startLine - (b.endLine - b.startLine))[0];
}

/** Lines [start, end] narrowed around `focus` until their text fits `tokens`. */
function narrowed(lines: readonly string[], start: number, end: number, focus: number, tokens: number): { start: number; end: number } {
  const chars = tokens * 3;
  let a = Math.min(Math.max(focus, start), end);
  let b = a;
  let used = (lines[a - 1] ?? '').length;
  for (let grew = true; grew; ) {
    grew = false;
    if (b < end && used + (lines[b] ?? '').length + 1 <= chars) { used += (lines[b] ?? '').length + 1; b++; grew = true; }
    if (a > start && used + (lines[a - 2] ?? '').length + 1 <= chars) { used += (lines[a - 2] ?? '').length + 1; a--; grew = true; }
  }
  return { start: a, end: b };
}

/** The signature lines of the definitions outside the parts, outermost first, within `tokens`, in line order. */
function outline(lines: readonly string[], definitions: readonly Definition[], parts: readonly Part[], tokens: number): string | undefined {
  const inside = (line: number) => parts.some((p) => p.start <= line && line <= p.end);
  const rows: { line: number; text: string }[] = [];
  let used = 0;
  // definitionsOf lists the top-level ones before any member: the outline keeps the file's shape first.
  for (const d of [...definitions].sort((x, y) => Number(x.container !== undefined) - Number(y.container !== undefined))) {
    if (inside(d.startLine)) continue;
    const text = `${d.startLine}: ${(lines[d.startLine - 1] ?? '').trimEnd().slice(0, SIGNATURE_CHARS)}`;
    if (used + text.length + 1 > tokens * 3) break;
    rows.push({ line: d.startLine, text });
    used += text.length + 1;
  }
  return rows.length === 0 ? undefined : rows.sort((x, y) => x.line - y.line).map((r) => r.text).join('\n');
}

/** Joins parts that overlap or touch. */
function merged(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const p of [...parts].sort((x, y) => x.start - y.start)) {
    const last = out.at(-1);
    if (last && p.start <= last.end + 1) out[out.length - 1] = { start: last.start, end: Math.max(last.end, p.end), why: last.why };
    else out.push({ ...p });
  }
  return out;
}

/**
 * What goes of `file` for `question` within `budget` tokens (openFileBudget): nothing when the question does not
 * refer to it; else the whole file when it is small, or the definition at the cursor and the definitions the question
 * names, then an outline of the rest.
 */
export function openFileShare(question: string, file: OpenFile, clues: ReferenceClues = {}, budget = openFileBudget()): OpenFileShare {
  const reason = openFileReference(question, file, clues);
  if (reason === undefined) return { items: [], tokens: 0, summary: `${file.path} not sent: the question does not refer to it`, brief: '', reason: 'the question does not refer to it' };
  const lines = file.text.split(/\r?\n/);
  while (lines.length > 1 && lines.at(-1) === '') lines.pop();
  const language = file.language ?? fenceLanguage(file.path);
  const item = (start: number, end: number, why: string, focusLine?: number): ContextItem =>
    contextItem({ source: 'currentFile', path: file.path, startLine: start, endLine: end, text: lines.slice(start - 1, end).join('\n'), reason: `current file: ${why}`, language, ...(focusLine !== undefined ? { focusLine } : {}) });
  const cursor = Math.min(Math.max(file.cursorLine, 1), lines.length);
  const whole = item(1, lines.length, 'whole', cursor);
  if (whole.tokens <= Math.min(SMALL_FILE_TOKENS, budget)) return share([whole], `all of ${file.path} (a small file)`, reason, pointingWords(question));
  const definitions = definitionsOf(file.path, file.text, file.parsed);
  const atCursor = definitionAt(definitions, cursor);
  const wanted: Part[] = [
    atCursor ? { start: atCursor.startLine, end: atCursor.endLine, why: 'the definition at the cursor' } : { start: Math.max(1, cursor - CURSOR_WINDOW_LINES), end: Math.min(lines.length, cursor + CURSOR_WINDOW_LINES), why: 'the lines at the cursor' },
    ...namedDefinitions(question, definitions).map((d) => ({ start: d.startLine, end: d.endLine, why: `defines ${d.name}` })),
  ];
  const partsBudget = Math.floor(budget * (1 - OUTLINE_SHARE));
  const items: ContextItem[] = [];
  const parts: Part[] = [];
  let left = partsBudget;
  const holdsCursor = (p: Part): boolean => p.start <= cursor && cursor <= p.end;
  // The part at the cursor first: it is narrowed to fit when it must; the named ones go whole or not at all.
  const ordered = merged(wanted).sort((x, y) => Number(holdsCursor(y)) - Number(holdsCursor(x)));
  for (const [i, p] of ordered.entries()) {
    const range = i === 0 ? narrowed(lines, p.start, p.end, holdsCursor(p) ? cursor : p.start, left - 40) : p;
    const it = item(range.start, range.end, p.why, holdsCursor(p) ? cursor : undefined);
    if (it.tokens > left) continue;
    items.push(it);
    parts.push({ ...range, why: p.why });
    left -= it.tokens;
  }
  const rest = outline(lines, definitions, parts, budget - (partsBudget - left) - 40);
  if (rest !== undefined) {
    items.push(contextItem({ source: 'currentFile', path: file.path, startLine: 1, endLine: lines.length, text: rest, reason: 'current file: outline of the rest (line: signature)', language, outline: true }));
  }
  const first = parts[0];
  const what = first === undefined ? `an outline of ${file.path}` : `${lineRanges(parts)} of ${file.path} (${first.why}${rest === undefined ? '' : ', and an outline'})`;
  return share(items, what, reason, pointingWords(question));
}

/** The words of the question's prose that point at a file ("this function", "here"), if any. */
function pointingWords(question: string): string | undefined {
  return POINTING.exec(questionParts(question).prose)?.[0];
}

function share(items: ContextItem[], what: string, reason: string, pointing: string | undefined): OpenFileShare {
  const tokens = items.reduce((n, i) => n + i.tokens, 0);
  return { items, tokens, summary: `${what}, ${tokens.toLocaleString('en-US')} tokens`, brief: briefOf(items), reason, ...(pointing !== undefined ? { pointing } : {}) };
}
