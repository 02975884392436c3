/**
 * What the question box's chips show of the editor: the current file (with its lines) and the selection, and what part
 * of the current file the question being typed sends (core/retrieval/openFileShare, as the engine decides it).
 */
import { fileItem } from '../../core/context/contextItem';
import { hashMentionsIn } from '../../core/retrieval/hashMentions';
import { openFileShare } from '../../core/retrieval/openFileShare';
import type { ParseFile } from '../../core/retrieval/parsedSource';
import { secretReason } from '../../core/secrets/secretFiles';
import { selectedLines } from '../../core/context/selectedLines';
import { formatTokenPhrase } from '../../presentation/format';
import type { ChipChoice, HostToWebview } from '../../presentation/protocol';
import { currentFile } from './currentFileProvider';
import type { Workbench } from './workbench';

/** The `editor-context` message for the editor as it is now (the first non-empty selection is the one shown). */
export function editorChips(workbench: Workbench): Extract<HostToWebview, { type: 'editor-context' }> {
  const file = currentFile(workbench);
  const editor = workbench.questionEditor();
  const selected = editor?.selections.find((s) => !s.isEmpty);
  const selection = editor && selected ? { path: editor.path, ...selectedLines(selected.start, selected.end) } : null;
  return { type: 'editor-context', currentFile: file ? { path: file.path, startLine: 1, endLine: editor?.lineCount ?? 1 } : null, selection };
}

/**
 * The current file's chip text for `question`: "lines 40–88 + outline · 1.2k tokens", "not sent: the question does
 * not refer to it", and what its click sends ("whole file · 48k tokens"). The same rules as the engine's, read without
 * the index (no embedding, nothing read but the open file): a name the file defines counts even where another file
 * defines it too, which the engine, reading the index, leaves to retrieval. Undefined without a current file.
 */
export async function currentFileShare(workbench: Workbench, question: string, choice: ChipChoice, parse: ParseFile): Promise<Extract<HostToWebview, { type: 'current-file-share' }> | undefined> {
  const file = currentFile(workbench);
  if (file === undefined) return undefined;
  const text = file.text();
  const whole = `whole file · ${formatTokenPhrase(fileItem('currentFile', file.path, text, 'current file').tokens)}`;
  const said = (share: string) => ({ type: 'current-file-share' as const, question, path: file.path, share, whole });
  const secret = secretReason(file.path, text);
  if (secret !== undefined) return said(`not sent: ${secret}`);
  const selected = choice.withoutSelection !== true && file.selections.some((s) => !s.isEmpty && s.text().trim() !== '');
  const parsed = await parse(file.path, text);
  const share = openFileShare(question, { path: file.path, text, cursorLine: file.cursor.line + 1, language: file.languageId, ...(parsed ? { parsed } : {}) }, { selectionInFile: selected, problemsMentioned: hashMentionsIn(question).problems });
  return said(share.items.length === 0 ? `not sent: ${share.reason}` : `${share.brief} · ${formatTokenPhrase(share.tokens)}`);
}
