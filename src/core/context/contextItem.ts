/** The unit of context a question carries — a file, a selection, problems, terminal text or a retrieved chunk — and how it reads in the prompt. */
import { estimateTokens } from '../util/tokens';
import type { ContextReport, ContextSource } from '../contracts/contextReport';

/** An item as the ask sends it: what a result reports of it, and its text and how to send it. */
export interface ContextItem extends ContextReport {
  text: string;
  /** A line the user is at (the cursor): when the item must be cut, the lines around it are kept. */
  focusLine?: number;
  /** The editor's language id or the fence's language, when known. */
  language?: string;
  /** The user chose to send this attachment's secrets as they are (`--allow-secrets`, "Send anyway"): it is not redacted. */
  sendSecrets?: boolean;
  /** Its text is the signature lines of a file's definitions (core/retrieval/openFileShare), not its lines: it covers none of them. */
  outline?: boolean;
}

/** The fence language for a path's extension (what a model reads best), or '' when unknown. */
export function fenceLanguage(path: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  const names: Readonly<Record<string, string>> = { py: 'python', ts: 'typescript', tsx: 'tsx', js: 'javascript', jsx: 'jsx', mjs: 'javascript', cjs: 'javascript', go: 'go', java: 'java', rs: 'rust', rb: 'ruby', md: 'markdown', yml: 'yaml', sh: 'bash' };
  return names[ext] ?? ext;
}

/** A path of letters, digits and the punctuation file names use, with single spaces inside: it reads as it is. */
const PLAIN_PATH = /^[\p{L}\p{N}\p{M}_./@+~,=#%&!'()[\]{}$-]+(?: [\p{L}\p{N}\p{M}_./@+~,=#%&!'()[\]{}$-]+)*$/u;

/** Characters that could end a line, open a fence or hide: written as a `\u` escape of four hex digits (JSON already escapes C0 controls). */
const UNSAFE = /[`\p{C}\p{Zl}\p{Zp}]|(?! )\p{Zs}/gu;

const unicodeEscape = (c: string): string => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');

/**
 * A path as a prompt header names it: as it is when it is plain, else as a JSON string with every character that could
 * break the line or the fence escaped — a file named `a\nFile: /etc/passwd` or `` ```x `` cannot forge another item.
 */
export function promptPath(path: string): string {
  return PLAIN_PATH.test(path) ? path : JSON.stringify(path).replace(UNSAFE, unicodeEscape);
}

/** Text kept on the header's one line: line breaks, controls and backticks escaped. */
const oneLine = (text: string): string => text.replace(UNSAFE, unicodeEscape);

/** "cells.py lines 1–120 (attached)": the header line of an item in the prompt and the panel. */
export function itemLabel(item: Pick<ContextItem, 'path' | 'startLine' | 'endLine' | 'source' | 'reason'>): string {
  const where = item.source === 'problems' || item.source === 'terminal' ? '' : ` lines ${item.startLine}–${item.endLine}`;
  return `${promptPath(item.path)}${where} (${oneLine(item.reason)})`;
}

/** A code fence longer than any run of backticks in `text`, so the text cannot close it. */
export function fenceFor(text: string): string {
  return '`'.repeat(Math.max(2, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length)) + 1);
}

/** An item as it reads in the prompt: its label, then its text in a fence long enough not to be closed by the text. */
export function itemBlock(item: Pick<ContextItem, 'path' | 'startLine' | 'endLine' | 'source' | 'reason' | 'text' | 'language'>): string {
  const fence = fenceFor(item.text);
  const language = item.language ?? (item.source === 'problems' || item.source === 'terminal' ? '' : fenceLanguage(item.path));
  return `${itemLabel(item)}:\n${fence}${language}\n${item.text}\n${fence}`;
}

/** Makes an item, its token count taken from how it reads in the prompt. */
export function contextItem(fields: Omit<ContextItem, 'tokens'>): ContextItem {
  return { ...fields, tokens: estimateTokens(itemBlock(fields)) + 1 };
}

/** The item made from a whole file's text. */
export function fileItem(source: ContextSource, path: string, text: string, reason: string, extra: Pick<ContextItem, 'focusLine' | 'language'> = {}): ContextItem {
  const lines = text.split(/\r?\n/);
  const endLine = lines.length > 1 && lines.at(-1) === '' ? lines.length - 1 : lines.length;
  return contextItem({ source, path, startLine: 1, endLine, text: lines.slice(0, endLine).join('\n'), reason, ...extra });
}

/**
 * What the user selected among `items`, as the prompt reads it (each selection's label and fenced text; '' without
 * one): with the question, where an ask's checks are read — a file's doctests are not the question's examples.
 */
export function selectionText(items: readonly ContextItem[]): string {
  return items.filter((i) => i.source === 'selection').map(itemBlock).join('\n\n');
}

/** What follows the question in the user message: the items in order, under one heading. */
export function contextText(items: readonly ContextItem[], notes: readonly string[] = []): string {
  if (items.length === 0) return '';
  const heading = 'Context from the user\'s workspace (code the question is about; paths are relative to the workspace):';
  const cut = notes.length > 0 ? `\n\n(${notes.join('; ')})` : '';
  return `${heading}\n\n${items.map(itemBlock).join('\n\n')}${cut}`;
}

/** The report of an item, without its text. */
export function reportOf(item: ContextItem): ContextReport {
  return { source: item.source, path: item.path, startLine: item.startLine, endLine: item.endLine, tokens: item.tokens, reason: item.reason, ...(item.score !== undefined ? { score: item.score } : {}) };
}

/**
 * `item` without the lines `covered` already sends of its file (a selection sent beside the open file's part at the
 * cursor): the pieces before and after each covered range, each made again with its token count; none when covered
 * whole. An outline covers no lines, so it is kept as it is.
 */
export function withoutCovered(item: ContextItem, covered: readonly Pick<ContextReport, 'path' | 'startLine' | 'endLine'>[]): ContextItem[] {
  const ranges = covered.filter((c) => c.path === item.path && c.startLine <= item.endLine && c.endLine >= item.startLine).sort((a, b) => a.startLine - b.startLine);
  if (item.outline === true || ranges.length === 0) return [item];
  const lines = item.text.split('\n');
  const pieces: ContextItem[] = [];
  let from = item.startLine;
  for (const range of [...ranges, { startLine: item.endLine + 1, endLine: item.endLine + 1 }]) {
    const to = Math.min(range.startLine - 1, item.endLine);
    if (to >= from) {
      const { tokens: _tokens, ...fields } = item;
      const focus = item.focusLine !== undefined && item.focusLine >= from && item.focusLine <= to ? { focusLine: item.focusLine } : {};
      const { focusLine: _focus, ...rest } = fields;
      pieces.push(contextItem({ ...rest, ...focus, startLine: from, endLine: to, text: lines.slice(from - item.startLine, to - item.startLine + 1).join('\n') }));
    }
    from = Math.max(from, range.endLine + 1);
  }
  return pieces;
}
