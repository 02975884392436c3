/**
 * Extraction on statements as the sites publish them (test/fixtures/statements/real-statements.json: AtCoder,
 * Codeforces, LeetCode as LiveCodeBench renders them and as pages copy, plus prose, doctests and asserts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Check, OutputRules } from '../../../contracts/checks';
import { extractChecks } from '..';
import { realStatements } from '../../../../../test/fixtures/statements';

interface ExpectedCheck {
  kind: Check['kind'];
  label: string;
  input?: string;
  expected?: string;
  name?: string;
  method?: boolean;
  args?: string[];
  language?: string;
  code?: string;
}

interface Fixture {
  id: string;
  site: string;
  source: string;
  question: string;
  context?: string;
  expect: { checks: ExpectedCheck[]; rules: OutputRules; unverifiable?: boolean };
}

const fixtures = realStatements<Fixture>();

/** A check in the fixtures' shape (call arguments as their JSON texts). */
function shape(check: Check): ExpectedCheck {
  switch (check.kind) {
    case 'stdio':
      return { kind: 'stdio', label: check.label, input: check.input, expected: check.expected };
    case 'call':
      return { kind: 'call', label: check.label, name: check.name, method: check.method, args: check.args.map((a) => a.value), expected: check.expected };
    case 'assert':
      return { kind: 'assert', label: check.label, language: check.language, code: check.code };
  }
}

function roundRules(rules: OutputRules): OutputRules {
  // An inferred tolerance carries a tiny margin (core/checks/extraction/outputRules); the stated power is what counts.
  return rules.tolerance === undefined ? rules : { ...rules, tolerance: Number(rules.tolerance.toPrecision(3)) };
}

for (const fixture of fixtures) {
  test(`${fixture.site}: ${fixture.id}`, () => {
    const found = extractChecks(fixture.question, fixture.context);
    assert.deepEqual(found.checks.map(shape), fixture.expect.checks, fixture.source);
    assert.deepEqual(roundRules(found.rules), fixture.expect.rules, `${fixture.id}: rules`);
    assert.equal(found.unverifiable !== undefined, fixture.expect.unverifiable === true, `${fixture.id}: unverifiable (${found.unverifiable ?? 'none'})`);
  });
}

test('every site has several real statements, quirks included', () => {
  const bySite = new Map<string, number>();
  for (const f of fixtures) bySite.set(f.site, (bySite.get(f.site) ?? 0) + 1);
  for (const site of ['atcoder', 'codeforces', 'leetcode']) assert.ok((bySite.get(site) ?? 0) >= 5, `${site}: ${bySite.get(site) ?? 0} statements`);
});
