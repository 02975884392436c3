/**
 * Extraction of every common way a question shows its examples, on published text (test/fixtures/statements/
 * example-shapes.json): HumanEval docstrings (`==`, `=>`, `==>`, `->`, `➞`, `returns`, `should return`, `=`, "For x = …
 * the output should be …", Input/Output, doctests), MBPP asserts, edabit, JSDoc `// =>`, `console.log(f(x)) // y`,
 * jest's `expect(f(x)).toBe(y)`, node:assert and `console.assert` — fenced, unfenced and as a selection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Check } from '../../../contracts/checks';
import { extractChecks } from '..';
import { exampleShapes } from '../../../../../test/fixtures/statements';

/** A check as the fixture writes it. */
function shown(check: Check): string {
  if (check.kind === 'call') return `${check.method ? 'Solution().' : ''}${check.name}(${check.args.map((a) => a.value).join(', ')}) == ${check.expected}`;
  return check.kind === 'assert' ? `assert: ${check.code.split('\n').at(-1) ?? ''}` : `stdio: ${check.label}`;
}

const fixtures = exampleShapes();

for (const f of fixtures) {
  test(`${f.site}: ${f.id} (${f.shape})`, () => {
    const found = extractChecks(f.question, f.context);
    assert.deepEqual(found.checks.map(shown), f.expect.checks, f.source);
    assert.equal(found.setup !== undefined, f.expect.setup === true, `${f.id}: setup`);
  });
}

test('the same stub fenced in a chat message, or selected in the editor, gives the same checks', () => {
  for (const f of fixtures.filter((x) => x.site === 'humaneval')) {
    const plain = extractChecks(f.question).checks.map(shown);
    assert.deepEqual(extractChecks(`Complete this function:\n\n\`\`\`python\n${f.question}\`\`\`\n`).checks.map(shown), plain, `${f.id}: fenced`);
    assert.deepEqual(extractChecks('Complete the selected function.', f.question).checks.map(shown), plain, `${f.id}: selection`);
  }
});

test('every shape of the issue is among the fixtures, and each but the example-less ones yields checks', () => {
  const withChecks = fixtures.filter((f) => f.expect.checks.length > 0).length;
  assert.ok(withChecks / fixtures.length >= 0.9, `${withChecks}/${fixtures.length}`);
  for (const shape of ['==', '=>', '==>', '->', '➞', 'returns', 'should return', '= y', 'For ', 'Input:', 'doctest', 'assert', 'expect(', '// =>', 'console.log']) {
    assert.ok(fixtures.some((f) => f.shape.includes(shape) && f.expect.checks.length > 0), shape);
  }
});

test('a docstring that defines the function as mathematics gives only its real example (HumanEval tri)', () => {
  const tri = fixtures.find((f) => f.id === 'humaneval-130-tri');
  assert.ok(tri);
  assert.deepEqual(extractChecks(tri.question).checks.map(shown), ['tri(3) == [1,3,2,8]']);
});

test('code in a body is no example: `if f(3) == 5:` in a helper is logic', () => {
  const q = 'def helper(x):\n    if double(3) == 6:\n        return x\n    return 0\n\ndef double(n):\n    """Double n.\n    double(2) == 4\n    """\n';
  assert.deepEqual(extractChecks(q).checks.map(shown), ['double(2) == 4']);
});

test('examples that cannot become checks are counted by why (HumanEval/80 is_happy, HumanEval/158 find_max as published)', () => {
  const isHappy = 'def is_happy(s):\n    """You are given a string s.\n    Your task is to check if the string is happy or not.\n    A string is happy if its length is at least 3 and every 3 consecutive letters are distinct\n    For example:\n    is_happy(a) => False\n    is_happy(aa) => False\n    is_happy(abcd) => True\n    is_happy(aabb) => False\n    is_happy(adb) => True\n    is_happy(xyy) => False\n    """\n';
  const happy = extractChecks(isHappy);
  assert.deepEqual(happy.checks, []);
  assert.deepEqual(happy.unchecked, [{ reason: 'arguments that are not literals', count: 6 }]);
  const findMax = 'def find_max(words):\n    """Write a function that accepts a list of strings.\n    The list contains different words. Return the word with maximum number\n    of unique characters. If multiple strings have maximum number of unique\n    characters, return the one which comes first in lexicographical order.\n\n    find_max(["name", "of", "string"]) == "string"\n    find_max(["name", "enam", "game"]) == "enam"\n    find_max(["aaaaaaa", "bb" ,"cc"]) == ""aaaaaaa"\n    """\n';
  const max = extractChecks(findMax);
  assert.equal(max.checks.length, 2);
  assert.deepEqual(max.unchecked, [{ reason: 'prose results', count: 1 }]);
  // a description with parameter names is no example
  assert.equal(extractChecks('Write `count_ways(n)`. count_ways(n) returns the number of ways to climb n stairs.').unchecked, undefined);
});
