/**
 * Function examples as LeetCode publishes them ("Example 1:", "Input: nums = [2,7,11,15], target = 9",
 * "Output: [0,1]", "Explanation: …"), as LiveCodeBench renders them (the same text, with the `class Solution`
 * starter after "### Format:") and as they reach a chat: markdown bold, fences around the block, the output on the
 * line after "Output:", blank lines between Input and Output (LeetCode's newer layout), single-quoted strings.
 */
import type { CallCheck } from '../../contracts/checks';
import { leadingLiteral, splitTopLevel, toJsonLiteral } from '../literal';
import { uncommented } from './statementText';

const EXAMPLE_HEADER = /^\s*(?:#{1,6}\s*)?(?:example|示例)\s*(\d+)?\s*[:：]?\s*$/i;
/** Where an example's block ends besides the next example. */
const BLOCK_END = /^\s*(?:#{1,6}\s*)?(?:constraints?|follow[- ]?up|note|notes|hints?|### format|提示)\s*[:：]?/i;
const INPUT = /^\s*(?:input|输入)\s*[:：]\s*/i;
const OUTPUT = /^\s*(?:output|输出)\s*[:：]\s*/i;
const EXPLANATION = /^\s*(?:explanation|解释)\s*[:：]/i;

/** One example's input and output text, before they are read as values. */
interface RawExample {
  label: string;
  input: string;
  output: string;
}

/** "Input:"/"Output:" pairs of one block of lines; the output runs to "Explanation:", a blank line or the block's end. */
function pairsIn(lines: readonly string[], label: (n: number) => string): RawExample[] {
  const found: RawExample[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (!INPUT.test(line)) {
      i++;
      continue;
    }
    const input = [line.replace(INPUT, '')];
    let j = i + 1;
    while (j < lines.length && !OUTPUT.test(lines[j] ?? '') && !INPUT.test(lines[j] ?? '') && !EXPLANATION.test(lines[j] ?? '')) input.push(lines[j++] ?? '');
    if (j >= lines.length || !OUTPUT.test(lines[j] ?? '')) {
      i = j;
      continue;
    }
    const output = [(lines[j] ?? '').replace(OUTPUT, '')];
    let k = j + 1;
    // "Output:" alone on its line: the value is on the next lines
    if ((output[0] ?? '').trim() === '') while (k < lines.length && (lines[k] ?? '').trim() === '') k++;
    while (k < lines.length) {
      const next = lines[k] ?? '';
      if (next.trim() === '' && output.some((o) => o.trim() !== '')) break;
      if (EXPLANATION.test(next) || INPUT.test(next) || EXAMPLE_HEADER.test(next)) break;
      output.push(next);
      k++;
    }
    found.push({ label: label(found.length), input: input.join(' ').trim(), output: output.join(' ').trim() });
    i = k;
  }
  return found;
}

/** The examples of a statement: each "Example k:" block's Input/Output, or the bare pairs when there are no headers. */
function rawExamples(lines: readonly string[]): RawExample[] {
  const headers = lines.flatMap((line, i) => {
    const m = EXAMPLE_HEADER.exec(line);
    return m ? [{ line: i, number: m[1] }] : [];
  });
  if (headers.length === 0) return pairsIn(lines, (n) => `Example ${n + 1}`);
  return headers.flatMap((h, index) => {
    const next = headers[index + 1]?.line ?? lines.length;
    const block: string[] = [];
    for (let i = h.line + 1; i < next && !BLOCK_END.test(lines[i] ?? ''); i++) block.push(lines[i] ?? '');
    const name = `Example ${h.number ?? index + 1}`;
    return pairsIn(block, (n) => (n === 0 ? name : `${name}.${n + 1}`));
  });
}

/** `nums = [2,7,11,15], target = 9` → named arguments; a bare `[[1],[2]]` → one positional; null when unreadable. */
export function readArguments(input: string): CallCheck['args'] | null {
  const text = input.trim();
  if (text === '') return null;
  const parts = splitTopLevel(text);
  const named = parts.map((p) => /^([A-Za-z_]\w*)\s*=\s*([\s\S]+)$/.exec(p));
  if (named.every((m) => m !== null)) {
    const args = named.map((m) => ({ name: m?.[1] ?? '', value: toJsonLiteral(m?.[2] ?? '') }));
    return args.every((a) => a.value !== null) ? args.map((a) => ({ name: a.name, value: a.value ?? '' })) : null;
  }
  if (named.some((m) => m !== null)) return null;
  const values = parts.map((p) => toJsonLiteral(p));
  return values.every((v) => v !== null) ? values.map((v) => ({ value: v ?? '' })) : null;
}

/**
 * A design problem ("Input: ["LRUCache","put",…] / [[2],[1,1],…]", "Output: [null,null,…]") calls a sequence of
 * methods on an object, which these checks do not model.
 */
function isDesignExample(example: RawExample): boolean {
  return /^\[\s*"[A-Z]\w*"\s*,/.test(example.input) || /^\[\s*null\b/.test(example.output);
}

/** The function to call: the one the starter names, else left for each reply to supply (`name` empty). */
export interface CallTarget {
  name: string;
  method: boolean;
}

/** An output with a note after it (`24 # sum of 21 + 3`, `[2, 1] (the first even value)`): its value. */
function annotated(output: string): string | null {
  const value = leadingLiteral(output);
  return value && /^\s+(?:#|\/\/|\()/.test(output.slice(value.length)) ? value.json : null;
}

/** The LeetCode-style examples of a statement (plain text) as call checks on `target`. */
export function callExamples(statement: string, target: CallTarget): CallCheck[] {
  const lines = uncommented(statement.split('\n')).map((l) => (/^\s*(`{3,}|~{3,})[\w+-]*\s*$/.test(l) ? '' : l));
  return rawExamples(lines).flatMap((example) => {
    if (isDesignExample(example)) return [];
    const args = readArguments(example.input);
    const expected = toJsonLiteral(example.output) ?? annotated(example.output);
    if (args === null || expected === null) return [];
    return [{ kind: 'call', source: 'question', label: example.label, name: target.name, method: target.method, args, expected }];
  });
}
