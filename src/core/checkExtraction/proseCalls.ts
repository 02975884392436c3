/**
 * Calls stated in prose: "f(3) should return 6", "`is_prime(7)` returns True", "fib(10) → 55",
 * "`Solution().climbStairs(2)` should give 2". Only calls whose arguments and result are literals count; a bare
 * `=` is mathematics ("f(2) = 3" in a statement), not a check.
 */
import type { CallCheck } from '../checks';
import { readArguments } from './callExamples';
import { closingBracket, leadingLiteral } from './literals';

/** Built-ins and keywords that look like calls in prose but are not the function asked for. */
const NOT_THE_FUNCTION = new Set([
  'print', 'if', 'while', 'for', 'return', 'len', 'sum', 'max', 'min', 'range', 'sorted', 'str', 'int', 'float', 'list',
  'dict', 'set', 'tuple', 'type', 'isinstance', 'abs', 'round', 'assert', 'console', 'O', 'Math',
]);

const CONNECTOR = /^\s*`?\s*(?:should\s+(?:return|give|be|output|evaluate\s+to|equal)|must\s+(?:return|be|give)|is\s+expected\s+to\s+(?:return|be)|returns?|gives?|evaluates\s+to|yields?|outputs?|==+|→|->|=>)\s*:?\s*`?/i;

/** The prose calls of a text with code removed (fenced code is read by `pastedTests`). */
export function proseCalls(prose: string): CallCheck[] {
  const checks: CallCheck[] = [];
  for (const m of prose.matchAll(/(?<![\w.$])(Solution\(\)\.)?([A-Za-z_]\w*)\s*\(/g)) {
    const name = m[2] ?? '';
    if (NOT_THE_FUNCTION.has(name)) continue;
    const start = m.index ?? 0;
    const open = start + m[0].length - 1;
    const close = closingBracket(prose, open);
    if (close < 0) continue;
    const rest = prose.slice(close + 1);
    const connector = CONNECTOR.exec(rest);
    if (!connector) continue;
    const afterConnector = rest.slice(connector[0].length);
    const value = leadingLiteral(afterConnector);
    // The value must end there ("6.", "6,", "6`", end of line), not continue as an expression ("6 + x").
    if (!value || !/^\s*(?:[`.,;:!?)]|$|\s+(?:and|or|but|for|when|if|because|since|as)\b|\n)/.test(afterConnector.slice(value.length))) continue;
    const inside = prose.slice(open + 1, close);
    const args = inside.trim() === '' ? [] : readArguments(inside);
    if (args === null) continue;
    const label = prose.slice(start, close + 1 + connector[0].length + value.length).replace(/`/g, '').replace(/\s+/g, ' ').trim();
    checks.push({ kind: 'call', source: 'question', label: label.length > 60 ? `${label.slice(0, 57)}…` : label, name, method: m[1] !== undefined, args, expected: value.json });
  }
  return checks;
}
