import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applied, applyTarget } from '../applyTarget';
import { undoOf, type AppliedChange, type TextEdit } from '../appliedChange';

const FILE = ['/** Scores. */', 'export function parseScores(text: string): number[] {', "  return text.split(' ').map(Number);", '}', '', 'export const N = 1;', ''].join('\n');
const CODE = ['export function parseScores(text: string): number[] {', "  return text.split('\\n').map(Number);", '}'].join('\n');

/** The edit of an undo that must be one. */
function editOf(change: AppliedChange, current: string): TextEdit {
  const undo = undoOf(change, current);
  if (undo.kind !== 'edit') assert.fail(`expected an edit, got ${undo.kind}`);
  return undo.edit;
}

const edited = (file: string, edit: TextEdit): string => file.slice(0, edit.start) + edit.text + file.slice(edit.end);

function acceptedChange(file: string): AppliedChange {
  const target = applyTarget('parse.ts', file, CODE, { cursor: 0 });
  return { before: file, after: applied(file, target), start: target.start, end: target.end };
}

test('undoing an accepted change restores the file exactly, with an edit spanning only what it inserted', () => {
  const change = acceptedChange(FILE);
  const edit = editOf(change, change.after);
  assert.equal(edited(change.after, edit), FILE);
  assert.equal(change.after.slice(edit.start, edit.end), CODE, 'the edit replaces the inserted function, nothing around it');
});

test('an editor that turned the inserted line breaks into CRLF is undone too', () => {
  const crlf = FILE.replace(/\n/g, '\r\n');
  const change = acceptedChange(crlf);
  const normalised = { ...change, after: change.after.slice(0, change.start) + CODE.replace(/\n/g, '\r\n') + crlf.slice(change.end) };
  const edit = editOf(normalised, normalised.after);
  assert.equal(edited(normalised.after, edit), crlf);
});

test('a file changed since the change is not undone (what was typed since would be lost)', () => {
  const change = acceptedChange(FILE);
  assert.deepEqual(undoOf(change, `// typed\n${change.after}`), { kind: 'changed-since' });
  assert.deepEqual(undoOf(change, change.after.replace('Number', 'parseFloat')), { kind: 'changed-since' });
});

test('a change the editor already undid needs no edit', () => {
  const change = acceptedChange(FILE);
  assert.deepEqual(undoOf(change, FILE), { kind: 'already-undone' });
});

test('an after text that does not keep the text around the change is put back whole', () => {
  const change: AppliedChange = { before: 'abc', after: 'xyz', start: 1, end: 2 };
  assert.deepEqual(editOf(change, 'xyz'), { start: 0, end: 3, text: 'abc' });
});
