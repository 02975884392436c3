import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasNonFinite, leadingLiteral, parseLiteral, splitTopLevel, toJson, toJsonLiteral } from '../literal';

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
  const odd = parseLiteral('[.5, 1., 7, 1.e3, "q\\"", None, (1, 2)]');
  assert.ok(odd);
  assert.equal(toJson(odd), '[0.5,1.0,7,1.0e3,"q\\"",null,[1,2]]');
  assert.deepEqual(JSON.parse(toJson(odd)), [0.5, 1, 7, 1000, 'q"', null, [1, 2]]);
  const inf = parseLiteral('[inf, nan]');
  assert.ok(inf);
  assert.equal(toJson(inf), '[Infinity,NaN]');
  assert.equal(hasNonFinite(inf), true);
  assert.equal(hasNonFinite(big), false);
});

test('literals become JSON with numbers kept as written', () => {
  assert.equal(toJsonLiteral('[2,7,11,15]'), '[2,7,11,15]');
  assert.equal(toJsonLiteral('12345678901234567890'), '12345678901234567890');
  assert.equal(toJsonLiteral('3.00000'), '3.00000');
  assert.equal(toJsonLiteral("'it''s'"), null);
  assert.equal(toJsonLiteral("'a\\'b'"), '"a\'b"');
  assert.equal(toJsonLiteral('(1, 2)'), '[1,2]');
  assert.equal(toJsonLiteral('(5)'), '5');
  assert.equal(toJsonLiteral('(5,)'), '[5]');
  assert.equal(toJsonLiteral("{'a': [True, None], \"b\": -.5}"), '{"a":[true,null],"b":-0.5}');
  assert.equal(toJsonLiteral('`[1, 2]`'), '[1,2]');
  assert.equal(toJsonLiteral('x + 1'), null);
  assert.equal(toJsonLiteral('range(3)'), null);
  assert.equal(toJsonLiteral('0x1F'), '31');
  assert.equal(toJsonLiteral('"\\u00e9"'), '"é"');
});

test('arguments split at top-level commas only', () => {
  assert.deepEqual(splitTopLevel('s = "a, b", k = [1, [2, 3]], t = (4, 5)'), ['s = "a, b"', 'k = [1, [2, 3]]', 't = (4, 5)']);
});

test('the forms the example writer and the runner once read differently, read as Python and JavaScript read them', () => {
  // Infinity: JavaScript's name (and json's); the writer refused it, the runner read it
  assert.equal(toJsonLiteral('Infinity'), 'Infinity');
  assert.equal(toJsonLiteral('[-Infinity, inf]'), '[-Infinity,Infinity]');
  // 1_000: both languages read a thousand; the runner refused it
  assert.equal(toJsonLiteral('1_000'), '1000');
  assert.deepEqual(parseLiteral('1_000.5'), { kind: 'number', text: '1000.5' });
  assert.equal(toJsonLiteral('1__0'), null);
  assert.equal(toJsonLiteral('1_'), null);
  // 007: an error to Python 3 (octal 7 to old JavaScript); the runner read 7
  assert.equal(parseLiteral('007'), null);
  assert.equal(parseLiteral('00.5'), null);
  assert.deepEqual(parseLiteral('0'), { kind: 'number', text: '0' });
  // {1: 2}: JavaScript's key "1", and a judge's JSON of Python's dict; the writer refused it
  assert.equal(toJsonLiteral('{1: 2}'), '{"1":2}');
  assert.equal(toJsonLiteral('{1.0: 2}'), null);
  assert.equal(toJsonLiteral('{-1: 2}'), null);
  // '\x41': "A" to both; the writer kept the backslash
  assert.equal(toJsonLiteral("'\\x41'"), '"A"');
  // escapes the two languages read differently are no literal
  for (const text of ["'\\a'", "'\\d'", "'\\U0001F600'", "'\\01'"]) assert.equal(parseLiteral(text), null, text);
  assert.equal(toJsonLiteral("'\\0'"), '"\\u0000"');
  // integers in other bases, as both languages read them
  assert.equal(toJsonLiteral('[0x1f, 0o17, 0b101, -0x10]'), '[31,15,5,-16]');
  assert.equal(toJsonLiteral('0b102'), null);
});

test('a literal followed by prose', () => {
  assert.deepEqual(leadingLiteral(" 'Yes' (the name is valid)"), { json: '"Yes"', length: 6 });
  assert.equal(leadingLiteral('because'), null);
});
