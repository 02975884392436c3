/**
 * Model-written tests (design-notes "Checks: model-written tests"): when a code question publishes no examples, or its
 * examples cannot tell different code replies apart (tieBreak.ts), one extra call asks the aggregator for a few tests
 * in a strict JSON form. Its reply is untrusted text: it is read
 * defensively (the JSON may sit in a fence, after prose, with trailing commas), anything malformed is dropped, and
 * what remains is labelled model-written.
 */
import type { Check, CallCheck, StdioCheck } from '../contracts/checks';
import type { TestShape } from './targets';
import type { ChatMessage } from '../contracts/types';
import { stripReasoning } from '../util/reasoning';

/** Output limit of the tests call (a reasoning model needs room before its JSON). */
export const MODEL_TESTS_MAX_TOKENS = 4096;
/** Tests asked for. */
export const MODEL_TESTS_WANTED = 5;
/** At most this many are kept, however many the model writes. */
const MAX_MODEL_TESTS = 8;
/** A test larger than this (characters) is left out: a model test is a small example. */
const MAX_TEST_CHARS = 20_000;

const SHAPE_INSTRUCTIONS: Record<TestShape['kind'], string> = {
  stdio:
    'The solution is a program that reads standard input and writes standard output. Give each test as {"input": "<the whole standard input>", "output": "<the exact expected standard output>"}, newlines written as \\n.',
  call: 'The solution is a function. Give each test as {"args": [<each argument as a JSON value, in order>], "expected": <the JSON value it must return>}.',
};

/**
 * Why tests are asked for: the question has no examples (`cover`: typical inputs and an edge case or two), or its
 * examples pass different solutions alike (`separate`: the edges its statement names, where solutions differ).
 */
export type TestsPurpose = 'cover' | 'separate';

const PURPOSE_INSTRUCTIONS: Record<TestsPurpose, string> = {
  cover: 'Prefer small, typical inputs and one or two edge cases; never tests whose answer is not unique.',
  separate:
    "The question's own examples are passed by several different solutions, so they cannot tell a right one from a subtly wrong one: write tests that would. Take the edges the statement names — empty input, a single element, the smallest and largest values its constraints allow (kept small enough to write out), duplicates, negative numbers, zero, ties — and the cases a hasty solution gets wrong; never tests whose answer is not unique.",
};

/** The messages of the tests call: what to write, the strict format, and the question (with the context it carries). */
export function modelTestsMessages(question: string, shape: TestShape, purpose: TestsPurpose = 'cover'): ChatMessage[] {
  const target = shape.kind === 'call' ? ` The function is \`${shape.name}(${shape.params.join(', ')})\`${shape.method ? ', a method of `class Solution`' : ''}.` : '';
  const system = [
    `Write ${MODEL_TESTS_WANTED} small tests for a correct solution of the programming question the user gives, each with the exact expected result.`,
    'Work out every expected result carefully by hand: a wrong expected result is worse than a missing test.',
    PURPOSE_INSTRUCTIONS[purpose],
    `${SHAPE_INSTRUCTIONS[shape.kind]}${target}`,
    'Reply with one JSON object and nothing else: {"tests": [ ... ]}.',
    'If the question does not ask for a program or function whose result is unique, reply with {"tests": []}.',
  ].join(' ');
  return [
    { role: 'system', content: system },
    { role: 'user', content: question },
  ];
}

/** The first JSON object of a reply that parses: a fenced block, else the text from the first `{` to its last `}`. */
function jsonObject(reply: string): unknown {
  const text = stripReasoning(reply);
  const candidates = [...text.matchAll(/```(?:json)?\s*\n([\s\S]*?)```/gi)].map((m) => m[1] ?? '');
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start >= 0 && end > start) candidates.push(text.slice(start, end + 1));
  for (const candidate of candidates) {
    for (const attempt of [candidate, candidate.replace(/,(\s*[\]}])/g, '$1')]) {
      try {
        return JSON.parse(attempt) as unknown;
      } catch {
        // not JSON; try the next reading
      }
    }
  }
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stdioTest(raw: Record<string, unknown>, label: string): StdioCheck | null {
  const input = raw.input;
  const output = raw.output ?? raw.expected;
  if (typeof input !== 'string' || (typeof output !== 'string' && typeof output !== 'number')) return null;
  const expected = String(output);
  if (expected.trim() === '') return null;
  const ended = (s: string): string => (s.endsWith('\n') ? s : `${s}\n`);
  return { kind: 'stdio', source: 'model', label, input: ended(input), expected: ended(expected) };
}

function callTest(raw: Record<string, unknown>, shape: Extract<TestShape, { kind: 'call' }>, label: string): CallCheck | null {
  const args = raw.args ?? raw.arguments ?? raw.input;
  if (!Array.isArray(args) || !('expected' in raw || 'output' in raw)) return null;
  if (shape.params.length > 0 && args.length !== shape.params.length) return null;
  const expected = raw.expected !== undefined ? raw.expected : raw.output;
  return {
    kind: 'call',
    source: 'model',
    label,
    name: shape.name,
    method: shape.method,
    args: args.map((value, i) => ({ ...(shape.params[i] !== undefined ? { name: shape.params[i] } : {}), value: JSON.stringify(value) })),
    expected: JSON.stringify(expected ?? null),
  };
}

/** The tests of a reply to the tests call, in the shape asked for; malformed ones are dropped. */
export function parseModelTests(reply: string, shape: TestShape): Check[] {
  const parsed = jsonObject(reply);
  const list = isObject(parsed) && Array.isArray(parsed.tests) ? parsed.tests : Array.isArray(parsed) ? parsed : [];
  const checks: Check[] = [];
  for (const raw of list) {
    if (checks.length >= MAX_MODEL_TESTS) break;
    if (!isObject(raw)) continue;
    const label = `model-written test ${checks.length + 1}`;
    const check = shape.kind === 'stdio' ? stdioTest(raw, label) : callTest(raw, shape, label);
    if (check && JSON.stringify(check).length <= MAX_TEST_CHARS) checks.push(check);
  }
  return checks;
}
