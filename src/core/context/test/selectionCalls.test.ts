import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calledNames, definitionsToFind, MAX_LOOKED_UP } from '../selectionCalls';

test('the names a selection calls, first seen first, without keywords and language builtins', () => {
  const python = 'total = 0\nfor ch in text:\n    total += get_character_cell_size(ch) if len(ch) else 0\nreturn Segment.split_cells(total, width)';
  assert.deepEqual(calledNames(python), ['get_character_cell_size', 'split_cells']);
  const ts = 'if (isWide(ch)) { widths.push(measure(ch)); console.log(new Cells(ch)); }';
  assert.deepEqual(calledNames(ts), ['isWide', 'measure', 'Cells']);
});

test('what the attached code or the selection itself defines is not looked up; at most a few names are', () => {
  const selection = 'def cell_len(text):\n    return sum(char_width(c) for c in text) + _cached(text)';
  const attached = [{ path: 'rich/cells.py', text: 'def _cached(text):\n    return 0\n' }];
  assert.deepEqual(definitionsToFind(selection, attached), ['char_width']);
  const many = Array.from({ length: MAX_LOOKED_UP + 5 }, (_, i) => `helper_${i}(x)`).join('\n');
  assert.equal(definitionsToFind(many, []).length, MAX_LOOKED_UP);
});
