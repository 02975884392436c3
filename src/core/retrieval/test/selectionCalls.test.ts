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

test('a name the selection only reads, assigns or takes as a parameter is no call', () => {
  const python = 'def render(self, size, width, group=None):\n    self.width = width\n    n = x.size + options.group\n    return n';
  assert.deepEqual(definitionsToFind(python, []), []);
  const ts = 'function layout(size: number, width = 3): number {\n  this.width = width;\n  return box.size * width;\n}';
  assert.deepEqual(definitionsToFind(ts, []), []);
  // Prose in comments and strings is not code: "the width (in cells)" calls nothing.
  assert.deepEqual(calledNames('# the width (in cells)\nlabel = "size (bytes)"  # group (optional)\n// size (px)\n/* width (em) */'), []);
});

test('a call of a function, bare or on an object, is looked up; a method the selection declares is not', () => {
  assert.deepEqual(definitionsToFind('cells = size(text)\nparts = match.group(1)', []), ['size', 'group']);
  assert.deepEqual(definitionsToFind('label = f"{x}" + width(text)  # width (cells)', []), ['width']);
  assert.deepEqual(definitionsToFind('this.#group(items);', []), ['group']);
  const cls = 'class Box {\n  get width(): number { return measure(this.text); }\n  async size(items: Item[]): Promise<number> {\n    return this.width + items.length;\n  }\n}';
  assert.deepEqual(definitionsToFind(cls, []), ['measure']);
});
