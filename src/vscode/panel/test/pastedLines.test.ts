import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { withPastedLines } from '../pastedLines';

const PROMPT = 'def add(a, b):\n    """Add two numbers.\n\n    >>> add(2, 3)\n    5\n    >>> add(-1, 1)\n    0\n    """\n';

test('a pasted multi-line prompt, flattened by the one-line box (breaks as spaces or dropped), gets its lines back', () => {
  assert.equal(withPastedLines(PROMPT.replace(/\n/g, ' '), PROMPT), PROMPT.trim());
  assert.equal(withPastedLines(PROMPT.replace(/\n/g, ''), PROMPT), PROMPT.trim());
  assert.equal(withPastedLines(PROMPT.replace(/\r?\n/g, ' '), PROMPT.replace(/\n/g, '\r\n')), PROMPT.replace(/\n/g, '\r\n').trim());
});

test('words typed before and after the paste are kept around its lines', () => {
  const typed = `Complete this: ${PROMPT.replace(/\n/g, ' ')} thanks`;
  assert.equal(withPastedLines(typed, PROMPT), `Complete this: ${PROMPT.trim()} thanks`);
});

test('nothing changes when the clipboard has one line, is not what the box holds, or the box already has lines', () => {
  assert.equal(withPastedLines('What is a closure?', 'What is a closure?'), 'What is a closure?');
  assert.equal(withPastedLines('What is a closure?', PROMPT), 'What is a closure?');
  assert.equal(withPastedLines('a\nb', 'a\nb\nc'), 'a\nb');
  assert.equal(withPastedLines('x', ' \n '), 'x');
});
