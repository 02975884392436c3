import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refersToCurrentFile } from '../currentFileWanted';

const file = { path: 'src/cells.py', text: 'def cell_len(text):\n    return sum(char_width(c) for c in text)\n' };

test('a palette question carries the current file only when it is about it', () => {
  for (const q of ['Why does this function return 0 for emoji?', 'What does this code do?', 'Refactor this', 'Is there a bug here?', 'Why does this crash?', 'Why is cell_len slow?', 'Explain `char_width` in cells.py', 'What is wrong in the current file?']) {
    assert.equal(refersToCurrentFile(q, file, false), true, q);
  }
  for (const q of ['What is the capital of Australia?', 'Explain big-O notation, e.g. for sorting.', 'How do I read a CSV in pandas?', 'What does cells.Sample mean in statistics?', 'Why does my Rust borrow checker complain?']) {
    assert.equal(refersToCurrentFile(q, file, false), false, q);
  }
  assert.equal(refersToCurrentFile('What could go wrong? ', file, true), true, '#problems brings the current file\'s problems');
});
