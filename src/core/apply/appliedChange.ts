/**
 * Undo Apply: an accepted change remembered as the file's text before and after it, so it can be taken back exactly —
 * and only while the file still holds the text it had right after the change (taking it back later would overwrite
 * what the user typed since). Pure.
 */

/** An accepted change: the file's text before and right after it (as the editor holds it), and the range of `before` it replaced. */
export interface AppliedChange {
  before: string;
  after: string;
  start: number;
  end: number;
}

/** Replace [start, end) of the file's current text with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** How to take a change back from the file's current text: an edit; nothing, when it holds `before` again; or not at all. */
export type Undo = { kind: 'edit'; edit: TextEdit } | { kind: 'already-undone' } | { kind: 'changed-since' };

/**
 * How to put the file back to `before`: `changed-since` when it holds neither `after` nor `before` (the user edited it
 * since the change). The edit spans only what the change inserted, found from the unchanged text around it, so an editor that
 * normalised the inserted line breaks is undone too; when `after` does not keep that text, the whole file is replaced.
 */
export function undoOf(change: AppliedChange, current: string): Undo {
  const { before, after, start, end } = change;
  if (current === before) return { kind: 'already-undone' };
  if (current !== after) return { kind: 'changed-since' };
  const head = before.slice(0, start);
  const tail = before.slice(end);
  if (after.length < head.length + tail.length || !after.startsWith(head) || !after.endsWith(tail)) return { kind: 'edit', edit: { start: 0, end: after.length, text: before } };
  return { kind: 'edit', edit: { start, end: after.length - tail.length, text: before.slice(start, end) } };
}
