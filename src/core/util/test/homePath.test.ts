import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandHome } from '../homePath';

test('~ and ~/… are the home folder; anything else is left as it is', () => {
  assert.equal(expandHome('~', '/home/ada'), '/home/ada');
  assert.equal(expandHome('~/smcs/bank', '/home/ada'), '/home/ada/smcs/bank');
  assert.equal(expandHome('~\\smcs', 'C:\\Users\\ada'), 'C:\\Users\\ada\\smcs');
  for (const kept of ['~ada/bank', 'bank/~', './~/bank', '/abs/~/x', 'postgres://u@h/db', '']) assert.equal(expandHome(kept, '/home/ada'), kept);
});
