import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasNonFinite, parseLiteral, toJson } from '../literal';

test('LeetCode literals as its statements print them', () => {
  assert.deepEqual(parseLiteral('[2,7,11,15]'), { kind: 'list', items: ['2', '7', '11', '15'].map((text) => ({ kind: 'number', text })) });
  assert.deepEqual(parseLiteral('true'), { kind: 'bool', value: true });
  assert.deepEqual(parseLiteral('null'), { kind: 'null' });
  assert.deepEqual(parseLiteral('"a,b"'), { kind: 'string', value: 'a,b' });
  assert.deepEqual(parseLiteral('1.50000'), { kind: 'number', text: '1.50000' });
  assert.deepEqual(parseLiteral(' [["1","0"],["0","1"]] '), {
    kind: 'list',
    items: [
      { kind: 'list', items: [{ kind: 'string', value: '1' }, { kind: 'string', value: '0' }] },
      { kind: 'list', items: [{ kind: 'string', value: '0' }, { kind: 'string', value: '1' }] },
    ],
  });
  assert.deepEqual(parseLiteral('[1,null,2,3]'), { kind: 'list', items: [{ kind: 'number', text: '1' }, { kind: 'null' }, { kind: 'number', text: '2' }, { kind: 'number', text: '3' }] });
});

test('Python forms: True/None, single quotes with escapes, tuples, dicts, inf, trailing commas', () => {
  assert.deepEqual(parseLiteral('[True, False, None]'), { kind: 'list', items: [{ kind: 'bool', value: true }, { kind: 'bool', value: false }, { kind: 'null' }] });
  assert.deepEqual(parseLiteral("'it\\'s\\n'"), { kind: 'string', value: "it's\n" });
  assert.deepEqual(parseLiteral('(1, 2)'), { kind: 'list', items: [{ kind: 'number', text: '1' }, { kind: 'number', text: '2' }] });
  assert.deepEqual(parseLiteral('(1,)'), { kind: 'list', items: [{ kind: 'number', text: '1' }] });
  assert.deepEqual(parseLiteral('(7)'), { kind: 'number', text: '7' });
  assert.deepEqual(parseLiteral("{'a': 1, 2: [3,],}"), { kind: 'dict', entries: [['a', { kind: 'number', text: '1' }], ['2', { kind: 'list', items: [{ kind: 'number', text: '3' }] }]] });
  assert.deepEqual(parseLiteral('-inf'), { kind: 'number', text: '-Infinity' });
  assert.deepEqual(parseLiteral('+5'), { kind: 'number', text: '5' });
});

test('anything that is not one literal is refused, nothing is evaluated', () => {
  for (const text of ['', 'nums', '__import__("os")', '[1, 2', '1 2', '"unterminated', '[1,,2]', 'Solution()', '12abc', '{1, 2}']) {
    assert.equal(parseLiteral(text), null, text);
  }
});

test('JSON for Python keeps big integers and the digits as written', () => {
  const big = parseLiteral('[1000000000000000007, 2.50000, -0.5]');
  assert.ok(big);
  assert.equal(toJson(big), '[1000000000000000007,2.50000,-0.5]');
  const odd = parseLiteral('[.5, 1., 007, 1.e3, "q\\"", None, (1, 2)]');
  assert.ok(odd);
  assert.equal(toJson(odd), '[0.5,1.0,7,1.0e3,"q\\"",null,[1,2]]');
  assert.deepEqual(JSON.parse(toJson(odd)), [0.5, 1, 7, 1000, 'q"', null, [1, 2]]);
  const inf = parseLiteral('[inf, nan]');
  assert.ok(inf);
  assert.equal(toJson(inf), '[Infinity,NaN]');
  assert.equal(hasNonFinite(inf), true);
  assert.equal(hasNonFinite(big), false);
});
