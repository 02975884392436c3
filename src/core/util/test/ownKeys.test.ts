import assert from 'node:assert/strict';
import { test } from 'node:test';
import { own, setOwn } from '../ownKeys';

test('a name the record lacks reads as absent, whatever the prototype holds; a stored one reads as stored', () => {
  const labels: Record<string, number> = JSON.parse('{"m1": 1, "__proto__": 0}') as Record<string, number>;
  for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) assert.equal(own(labels, name), undefined, name);
  assert.equal(own(labels, '__proto__'), 0);
  assert.equal(own(labels, 'm1'), 1);
  assert.equal(own(undefined, 'm1'), undefined);
});

test('every name is stored as a key, __proto__ included, and the prototype stays', () => {
  const record: Record<string, number> = {};
  for (const [i, name] of ['__proto__', 'constructor', 'toString'].entries()) setOwn(record, name, i);
  assert.equal(Object.getPrototypeOf(record), Object.prototype);
  assert.deepEqual(Object.entries(record), [['__proto__', 0], ['constructor', 1], ['toString', 2]]);
  assert.equal(JSON.stringify(record), '{"__proto__":0,"constructor":1,"toString":2}');
  assert.deepEqual(Object.entries({ ...record }), Object.entries(record));
});
