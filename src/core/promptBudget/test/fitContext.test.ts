import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ASSUMED_WINDOW, contextRoom, fitContext, RETRIEVED_MAX_TOKENS } from '../fitContext';
import { contextItem, fileItem, type ContextItem } from '../../context/contextItem';

const numbered = (n: number, width = 40): string => Array.from({ length: n }, (_, i) => `line ${String(i + 1).padEnd(width, '.')}`).join('\n');
const chunk = (path: string, startLine: number, lines: number, reason = 'similar to the question'): ContextItem =>
  contextItem({ source: 'retrieved', path, startLine, endLine: startLine + lines - 1, text: numbered(lines), reason });

test('the room is a share of the smallest known window after the prompt that is always sent', () => {
  assert.equal(contextRoom([8192, undefined, 32768], 1000, 1024), Math.min(4096, 8192 - 1000 - 2048));
  assert.equal(contextRoom([undefined], 0, 512), ASSUMED_WINDOW / 2, 'no known window: the assumed one');
  assert.equal(contextRoom([4096], 5000, 512), 0, 'a conversation that fills the window leaves no room, never less');
});

test('everything fits: nothing is cut and nothing is said', () => {
  const items = [fileItem('file', 'a.py', numbered(10), 'attached'), chunk('b.py', 1, 5)];
  const fitted = fitContext(items, 10_000);
  assert.deepEqual(fitted.items.map((i) => i.path), ['a.py', 'b.py']);
  assert.deepEqual(fitted.notes, []);
});

test('the order is attachments, selection, current file, problems, retrieved — whatever order they came in', () => {
  const items: ContextItem[] = [
    chunk('found.py', 1, 3),
    contextItem({ source: 'problems', path: 'problems', startLine: 1, endLine: 1, text: 'x.py:3 error', reason: '1 problem' }),
    fileItem('currentFile', 'current.py', numbered(3), 'current file'),
    contextItem({ source: 'selection', path: 'current.py', startLine: 2, endLine: 2, text: 'line 2', reason: 'selected' }),
    fileItem('file', 'attached.py', numbered(3), 'attached'),
  ];
  assert.deepEqual(fitContext(items, 10_000).items.map((i) => i.source), ['file', 'selection', 'currentFile', 'problems', 'retrieved']);
});

test('a file too long is cut to the lines that fit, and the note says which lines were left out', () => {
  const big = fileItem('file', 'utils.py', numbered(900), 'attached');
  const room = Math.floor(big.tokens / 4);
  const fitted = fitContext([big, chunk('other.py', 1, 10)], room);
  const [kept] = fitted.items;
  assert.ok(kept && kept.startLine === 1 && kept.endLine < 900, `kept ${kept?.startLine}–${kept?.endLine}`);
  assert.ok(kept.tokens <= room);
  // No chunk was kept, so none is "more".
  assert.deepEqual(fitted.notes, [`utils.py lines ${kept.endLine + 1}–900 left out: context window`, '1 retrieved chunk left out: context window']);
  assert.equal(fitted.items.length, 1, 'the chunk did not fit after the attachment');
});

test('the current file is cut around the cursor', () => {
  const current = fileItem('currentFile', 'app.ts', numbered(1000), 'current file', { focusLine: 500 });
  const fitted = fitContext([current], Math.floor(current.tokens / 10));
  const [kept] = fitted.items;
  assert.ok(kept && kept.startLine < 500 && kept.endLine > 500 && kept.startLine > 1 && kept.endLine < 1000, `${kept?.startLine}–${kept?.endLine}`);
  assert.deepEqual(fitted.notes, [`app.ts lines 1–${kept.startLine - 1} left out: context window`, `app.ts lines ${kept.endLine + 1}–1000 left out: context window`]);
});

test('retrieved chunks stop at their own cap, and a chunk inside an attached file is not sent twice', () => {
  const attached = fileItem('file', 'cells.py', numbered(50), 'attached');
  const inside = chunk('cells.py', 10, 5);
  const many = Array.from({ length: 100 }, (_, i) => chunk(`f${i}.py`, 1, 40));
  const fitted = fitContext([inside, attached, ...many], 1_000_000);
  assert.equal(fitted.items.filter((i) => i.path === 'cells.py').length, 1);
  const retrieved = fitted.items.filter((i) => i.source === 'retrieved');
  assert.ok(retrieved.reduce((n, i) => n + i.tokens, 0) <= RETRIEVED_MAX_TOKENS);
  assert.ok(retrieved.length > 0 && retrieved.length < 100);
  // The window had room for them all: retrieval's share, not the window, left them out.
  assert.deepEqual(fitted.notes, [`${100 - retrieved.length} more retrieved chunks left out: retrieval share`]);
});

test('a selection inside a file attached whole is still sent: it says which lines the question is about', () => {
  const attached = fileItem('file', 'cells.py', numbered(50), 'attached');
  const selected = contextItem({ source: 'selection', path: 'cells.py', startLine: 10, endLine: 12, text: numbered(3), reason: 'selected' });
  const current = fileItem('currentFile', 'cells.py', numbered(50), 'current file');
  const fitted = fitContext([current, selected, attached], 1_000_000);
  assert.deepEqual(fitted.items.map((i) => [i.source, i.startLine, i.endLine]), [['file', 1, 50], ['selection', 10, 12]], 'the current file repeats the attached one; the selection does not');
});

test('each retrieved chunk left out is counted under the limit that left it out', () => {
  const [first, second, third] = [chunk('a.py', 1, 60), chunk('b.py', 1, 40), chunk('c.py', 1, 60)];
  // After the first, the window has room for the second but the share has not; the third fits neither.
  const fitted = fitContext([first, second, third], first.tokens + second.tokens, first.tokens + 1);
  assert.deepEqual(fitted.items.map((i) => i.path), ['a.py']);
  assert.deepEqual(fitted.notes, ['1 more retrieved chunk left out: retrieval share', '1 more retrieved chunk left out: context window']);
});

test('an item that cannot keep even a few lines is left out whole, and said so', () => {
  const fitted = fitContext([fileItem('file', 'a.py', numbered(100), 'attached')], 10);
  assert.deepEqual(fitted.items, []);
  assert.deepEqual(fitted.notes, ['a.py lines 1–100 left out: context window']);
});

test('a chunk whose lines the kept items carry together is not sent again: a selection and the open file\'s parts around it', () => {
  const selection = contextItem({ source: 'selection', path: 'src/cells.py', startLine: 4, endLine: 6, text: numbered(3), reason: 'selected' });
  const before = contextItem({ source: 'currentFile', path: 'src/cells.py', startLine: 1, endLine: 3, text: numbered(3), reason: 'current file: whole' });
  const after = contextItem({ source: 'currentFile', path: 'src/cells.py', startLine: 7, endLine: 7, text: numbered(1), reason: 'current file: whole' });
  const spanning = chunk('src/cells.py', 1, 7, 'uses char_width');
  const beyond = chunk('src/cells.py', 5, 5, 'similar to the question');
  const fitted = fitContext([selection, before, after, spanning, beyond], 100_000);
  assert.deepEqual(
    fitted.items.map((i) => [i.source, i.startLine, i.endLine]),
    [['selection', 4, 6], ['currentFile', 1, 3], ['currentFile', 7, 7], ['retrieved', 5, 9]],
    'lines 1–7 go once; the chunk that reaches past them is kept',
  );
});
