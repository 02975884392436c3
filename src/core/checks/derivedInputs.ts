/**
 * Inputs derived from a question's call examples (design-notes "Checks: agreement on derived inputs"): when the
 * examples cannot tell code replies apart, each reply also runs on the examples' calls with one argument changed to
 * an edge value of its own type and shape — empty, zero, negative, one element, reversed, doubled — and the replies'
 * outputs there are compared with each other (behaviour.ts), as MBR-exec and AlphaCode's clustering compare
 * programs. No expected output is known: a derived check's `expected` is a value no reply returns, and only what the
 * reply returned (`CheckRun.actual`) or that it crashed counts. Pure.
 */
import type { CallCheck, Check } from '../contracts/checks';
import { parseLiteral, toJson, type Value } from './literal';

/** At most this many derived calls per question: enough to separate programs, few enough to run in a second or two. */
export const DERIVED_INPUTS_MAX = 12;

/** The expected value of a derived call: no program returns it, so its run records what the reply returned. */
export const NO_EXPECTATION = JSON.stringify('\u0000smcs: derived input, no expected value');

const number = (text: string): Value => ({ kind: 'number', text });

/** Edge values of the type and shape of `value`, other than `value` itself, most telling first. */
function variants(value: Value): { value: Value; what: string }[] {
  switch (value.kind) {
    case 'number': {
      const n = Number(value.text);
      if (!Number.isFinite(n)) return [];
      const integer = Number.isInteger(n) && !/[.eE]/.test(value.text);
      const out = integer
        ? [
            { value: number('0'), what: 'zero' },
            { value: number('1'), what: 'one' },
            { value: number(String(-Math.abs(n) || -1)), what: 'negative' },
            { value: number(String(n + 1)), what: 'one more' },
          ]
        : [
            { value: number('0.0'), what: 'zero' },
            { value: number(String(-Math.abs(n) || -1.5)), what: 'negative' },
            { value: number(String(n * 2.5)), what: 'larger' },
          ];
      return out.filter((v) => v.value.kind === 'number' && Number(v.value.text) !== n && Number.isSafeInteger(Math.trunc(Number(v.value.text))));
    }
    case 'string': {
      const chars = [...value.value];
      const out = [
        { value: { kind: 'string', value: '' } as Value, what: 'empty' },
        { value: { kind: 'string', value: chars[0] ?? 'a' } as Value, what: 'one character' },
        { value: { kind: 'string', value: [...chars].reverse().join('') } as Value, what: 'reversed' },
        { value: { kind: 'string', value: value.value + value.value } as Value, what: 'doubled' },
      ];
      return out.filter((v) => v.value.kind === 'string' && v.value.value !== value.value);
    }
    case 'list': {
      const { items } = value;
      const out: { value: Value; what: string }[] = [
        { value: { kind: 'list', items: [] }, what: 'empty' },
        ...(items.length > 1 ? [{ value: { kind: 'list', items: items.slice(0, 1) } as Value, what: 'one element' }] : []),
        { value: { kind: 'list', items: [...items].reverse() }, what: 'reversed' },
        { value: { kind: 'list', items: [...items, ...items] }, what: 'doubled' },
      ];
      return out.filter((v) => toJson(v.value) !== toJson(value));
    }
    case 'bool':
      return [{ value: { kind: 'bool', value: !value.value }, what: 'negated' }];
    default:
      return [];
  }
}

/**
 * Calls derived from the question's call checks, each changing one argument of one example to an edge value:
 * distinct calls only (an example's own call is not repeated), round-robin over examples and arguments so that every
 * argument is varied before any gets a second variant, at most DERIVED_INPUTS_MAX.
 */
export function deriveInputs(checks: readonly Check[]): CallCheck[] {
  const calls = checks.filter((c): c is CallCheck => c.kind === 'call');
  const seen = new Set(calls.map((c) => callKey(c.name, c.args.map((a) => a.value))));
  const queues = calls.flatMap((call) =>
    call.args.map((arg, position) => {
      const parsed = parseLiteral(arg.value);
      return (parsed === null ? [] : variants(parsed)).map((v) => ({ call, position, value: toJson(v.value), what: v.what }));
    }),
  );
  const out: CallCheck[] = [];
  for (let round = 0; out.length < DERIVED_INPUTS_MAX && queues.some((q) => q.length > round); round++) {
    for (const queue of queues) {
      const next = queue[round];
      if (next === undefined || out.length >= DERIVED_INPUTS_MAX) continue;
      const args = next.call.args.map((a, i) => (i === next.position ? { ...a, value: next.value } : a));
      const key = callKey(next.call.name, args.map((a) => a.value));
      if (seen.has(key)) continue;
      seen.add(key);
      const name = next.call.args[next.position]?.name ?? `argument ${next.position + 1}`;
      out.push({ kind: 'call', source: 'model', label: `derived input ${out.length + 1} (${name} ${next.what})`, name: next.call.name, method: next.call.method, args, expected: NO_EXPECTATION });
    }
  }
  return out;
}

const callKey = (name: string, args: readonly string[]): string => `${name}(${args.join(',')})`;
