/**
 * Writes the rows that measure tie-breaking tests (`smcs eval checks`, design-notes "Checks: tie-breaking tests"):
 * questions whose published examples pass a right and a wrong solution alike, each with a *simulated* model's reply to
 * the tests call. The repo holds no recorded model-written tests, so the test writer is simulated, deterministically:
 *
 * - `shapes-mutant`: each Python statement of test/fixtures/statements/example-shapes.json whose examples hold; the
 *   right reply is its published reference, the wrong one a mutant of it (a flipped comparison, an off-by-one, min for
 *   max, …) that passes every extracted example yet returns something else on an input below (up to three per
 *   statement, a row each). The writer's
 *   inputs are the examples' arguments taken to the edges (empty, one element, duplicated, negated, zero, one more);
 *   the expected results are the reference's.
 * - `lcb-replay`: the LiveCodeBench pairs of test/fixtures/lcbReplay.ts whose failing solution passes the published
 *   samples; the writer's tests are the samples and then the judge's hidden tests, with their published results.
 *
 * Then every WRONG_EVERY-th test (the 4th, the 8th) gets a wrong expected result: what the wrong solution returns
 * there when that differs (the writer made the wrong solution's mistake, the case that hurts), else the right result
 * altered — one test in five of a five-test reply.
 *
 * Usage: `node --import tsx scripts/tie-break-set.ts > rows.jsonl && smcs eval checks rows.jsonl`.
 */
import { spawnSync } from 'node:child_process';
import { extractChecks } from '../src/core/checks/extraction';
import { MODEL_TESTS_WANTED } from '../src/core/checks/modelTests';
import type { CallCheck, CheckRun } from '../src/core/contracts/checks';
import { createCheckRunner } from '../src/sandbox/checkRunner';
import { exampleShapes, type ShapeStatement } from '../test/fixtures/statements';
import { examplesOf, judge, MODELS, PROBLEMS, replyOf, statementOf, type HiddenTest, type ReplayProblem } from '../test/fixtures/lcbReplay';

const WRONG_EVERY = 4;
/** Wrong solutions kept per statement (different mutants, each its own row). */
const MUTANTS_PER_STATEMENT = 3;
/** Mutations a hasty solution makes, each tried at every place it applies. */
const MUTATIONS: [RegExp, string][] = [
  [/<=/g, '<'],
  [/>=/g, '>'],
  [/(?<![<>=!])<(?!=)/g, '<='],
  [/(?<![<>=!-])>(?!=)/g, '>='],
  [/ \+ 1\b/g, ''],
  [/ - 1\b/g, ''],
  [/\brange\((\w+)\)/g, 'range(1, $1)'],
  [/\bmin\(/g, 'max('],
  [/\bmax\(/g, 'min('],
  [/ and /g, ' or '],
  [/ or /g, ' and '],
  [/==/g, '!='],
  [/\[1:\]/g, '[2:]'],
  [/\[:-1\]/g, ''],
  [/\breturn True\b/g, 'return False'],
  [/\bsorted\((\w+)\)/g, 'sorted($1, reverse=True)'],
  [/(?<![\w.])0(?![\w.])/g, '1'],
  [/(?<![\w.])1(?![\w.])/g, '0'],
  [/(?<![\w.])2(?![\w.])/g, '1'],
  [/ \+ /g, ' - '],
  [/ - /g, ' + '],
  [/\[::-1\]/g, ''],
  [/\.lower\(\)/g, ''],
  [/\.strip\(\)/g, ''],
  [/\blen\((\w+)\)/g, '(len($1) - 1)'],
  [/\bset\((\w+)\)/g, '$1'],
  [/\babs\(/g, '('],
];
/** Mutants tried per statement (the sandbox runs each once or twice). */
const MUTANTS_TRIED = 30;

const runner = createCheckRunner();
const signal = new AbortController().signal;
const fence = (code: string): string => `\`\`\`python\n${code}\n\`\`\``;

function mutants(code: string): string[] {
  const found: string[] = [];
  for (const [pattern, replacement] of MUTATIONS) {
    for (const m of code.matchAll(pattern)) {
      const at = m.index ?? 0;
      const mutant = code.slice(0, at) + m[0].replace(new RegExp(pattern.source), replacement) + code.slice(at + m[0].length);
      if (mutant !== code) found.push(mutant);
    }
  }
  return found;
}

/** The values an edge-minded test writer tries in place of one argument. */
function edges(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    const list: unknown[] = value;
    const negated = list.every((v) => typeof v === 'number') ? [list.map((v) => -v)] : [];
    return [[], list.slice(0, 1), [...list, ...list], [...list].reverse(), ...negated];
  }
  if (typeof value === 'number') return [0, 1, -value, value + 1];
  if (typeof value === 'string') return ['', value.slice(0, 1), value + value, value.toUpperCase()];
  if (typeof value === 'boolean') return [!value];
  return [];
}

/** What the reply returns on each argument list (undefined where it raised or returned nothing readable). */
async function outputs(code: string, name: string, argLists: readonly unknown[][]): Promise<(string | undefined)[]> {
  const checks: CallCheck[] = argLists.map((args, i) => ({ kind: 'call', source: 'model', label: `probe ${i}`, name, method: false, args: args.map((a) => ({ value: JSON.stringify(a) })), expected: 'null' }));
  const runs = (await runner.run(fence(code), { checks, rules: {} }, signal)) ?? [];
  return argLists.map((_, i) => {
    const run: CheckRun | undefined = runs.find((r) => r.check === i);
    return run && (run.status === 'passed' || run.status === 'failed') ? run.actual : undefined;
  });
}

/** A wrong expected result: the wrong solution's where it differs, else the right one altered. */
function wrongExpectation(right: unknown, wrong: unknown): unknown {
  if (wrong !== undefined && JSON.stringify(wrong) !== JSON.stringify(right)) return wrong;
  if (typeof right === 'number') return right + 1;
  if (typeof right === 'boolean') return !right;
  if (typeof right === 'string') return `${right}x`;
  if (Array.isArray(right)) return right.length > 0 ? right.slice(1) : [0];
  return 0;
}

async function passesAll(code: string, question: string, context: string | undefined): Promise<boolean> {
  const checks = extractChecks(question, context);
  const runs = await runner.run(fence(code), checks, signal);
  return runs !== null && runs.length > 0 && runs.every((r) => r.status === 'passed');
}

interface Row {
  source: string;
  id: string;
  question: string;
  context?: string;
  replies: string[];
  right: number;
  tests: string;
}

/** The writer's inputs: the first edge of every example's arguments, then the second, … (each kind of edge early). */
function edgeInputs(calls: readonly CallCheck[]): unknown[][] {
  const ranked = calls.flatMap((call) => {
    const args = call.args.map((a) => JSON.parse(a.value) as unknown);
    return args.flatMap((arg, i) => edges(arg).map((edge, rank) => ({ rank, variant: args.map((a, j) => (j === i ? edge : a)) })));
  });
  const seen = new Set<string>();
  return ranked
    .sort((a, b) => a.rank - b.rank)
    .map((r) => r.variant)
    .filter((variant) => {
      const key = JSON.stringify(variant);
      const fresh = !seen.has(key);
      seen.add(key);
      return fresh;
    });
}

/** Up to MUTANTS_PER_STATEMENT rows of one statement: its reference against mutants its examples cannot tell apart. */
async function statementRows(s: ShapeStatement): Promise<Row[]> {
  if (s.language !== 'python' || s.examplesHold === false) return [];
  const calls = extractChecks(s.question, s.context).checks.filter((c): c is CallCheck => c.kind === 'call' && c.name !== '');
  const name = calls[0]?.name;
  if (name === undefined || !(await passesAll(s.reference, s.question, s.context))) return [];
  const probes = edgeInputs(calls).slice(0, 16);
  const rightOut = await outputs(s.reference, name, probes);
  const rows: Row[] = [];
  for (const mutant of mutants(s.reference).slice(0, MUTANTS_TRIED)) {
    if (rows.length >= MUTANTS_PER_STATEMENT) break;
    if (!(await passesAll(mutant, s.question, s.context))) continue;
    const wrongOut = await outputs(mutant, name, probes);
    if (!probes.some((_, i) => rightOut[i] !== undefined && rightOut[i] !== wrongOut[i])) continue;
    const valid = probes.flatMap((args, i) => (rightOut[i] === undefined ? [] : [{ args, right: JSON.parse(rightOut[i] ?? 'null') as unknown, wrong: wrongOut[i] === undefined ? undefined : (JSON.parse(wrongOut[i] ?? 'null') as unknown) }]));
    const tests = valid.slice(0, MODEL_TESTS_WANTED).map((t, i) => ({ args: t.args, expected: (i + 1) % WRONG_EVERY === 0 ? wrongExpectation(t.right, t.wrong) : t.right }));
    rows.push({ source: 'shapes-mutant', id: `${s.id}#${rows.length + 1}`, question: s.question, ...(s.context ? { context: s.context } : {}), replies: [fence(s.reference), fence(mutant)], right: 0, tests: JSON.stringify({ tests }) });
  }
  return rows;
}

/** Every statement's rows, the right reply first in every other row. */
async function shapeRows(): Promise<Row[]> {
  const rows = (await Promise.all(exampleShapes().map((s) => statementRows(s)))).flat();
  return rows.map((row, n) => (n % 2 === 0 ? row : { ...row, replies: [...row.replies].reverse(), right: 1 }));
}

/** What a replay solution prints or returns on a test (plain python3, as the replay's judge runs it). */
function outputOf(problem: ReplayProblem, code: string, t: HiddenTest): unknown {
  const program = 'input' in t ? code : `from typing import *\nimport json, sys\n${code}\nprint(json.dumps(Solution().${problem.method ?? ''}(*json.loads(sys.stdin.read()))))`;
  const run = spawnSync('python3', ['-c', program], { input: 'input' in t ? t.input : JSON.stringify(t.args), encoding: 'utf8', timeout: 20_000 });
  if (run.status !== 0) return undefined;
  return 'input' in t ? run.stdout : (JSON.parse(run.stdout) as unknown);
}

function replayRows(): Row[] {
  return PROBLEMS.flatMap((problem, n) => {
    const failing = MODELS.find((m) => m !== problem.passing) ?? MODELS[0];
    const examples = examplesOf(problem);
    if (!judge(problem, problem.code[failing], examples).every(Boolean)) return [];
    const tests = [...examples, ...problem.hidden].slice(0, MODEL_TESTS_WANTED).map((t, i) => {
      const wrong = (i + 1) % WRONG_EVERY === 0;
      if ('input' in t) {
        const output = wrong ? String(wrongExpectation(t.output.trim(), (outputOf(problem, problem.code[failing], t) as string | undefined)?.trim())) : t.output;
        return { input: t.input, output };
      }
      return { args: t.args, expected: wrong ? wrongExpectation(t.returns, outputOf(problem, problem.code[failing], t)) : t.returns };
    });
    const replies = MODELS.map((m) => replyOf(problem, m));
    return [{ source: 'lcb-replay', id: `${problem.statement}#${n}`, question: statementOf(problem).question, replies, right: MODELS.indexOf(problem.passing), tests: JSON.stringify({ tests }) }];
  });
}

void shapeRows().then((shapes) => {
  const rows = [...shapes, ...replayRows()];
  process.stdout.write(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
});
