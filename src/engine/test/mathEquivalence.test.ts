import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latexToMath, mathEquivalence } from '../mathEquivalence';

test('LaTeX is read into mathjs syntax', () => {
  assert.equal(latexToMath('\\dfrac{x^{2}}{2} \\cdot \\sqrt{y}'), '((x^(2))/(2)) * sqrt(y)');
  assert.equal(latexToMath('$\\sqrt[3]{8}$'), 'nthRoot(8, 3)');
  assert.equal(latexToMath('3\\,\\text{m/s}'), '3 m/s');
});

test('answers are equal as mathematics, quantities in SI; what mathjs cannot read gives no verdict', () => {
  const same = mathEquivalence;
  const table: [string, string, boolean | null][] = [
    ['\\frac{1}{2}', '0.5', true],
    ['\\frac{x^2-1}{x-1}', 'x+1', true],
    ['(x+1)^2', 'x^2+2x+1', true],
    ['x^2', 'x^3', false],
    ['2\\sqrt{2}', '\\sqrt{8}', true],
    ['\\pi r^2', 'r^2 \\pi', true],
    ['12 km', '12000 m', true],
    ['12 km', '12 m', false],
    ['3 \\text{ m/s}', '10.8 km/h', true],
    ['5 kg', '5 m', false],
    ['}{', 'x', null],
  ];
  for (const [a, b, verdict] of table) assert.equal(same(a, b), verdict, `${a} vs ${b}`);
});
