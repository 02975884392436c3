/**
 * `smcs eval checks FILE.jsonl`: how far the checks reach on a set of questions (issue 26). Each line is
 * `{"question": "...", "context"?: "...", "source"?: "humaneval", "replies": ["...", "..."], "right"?: 0, "tests"?: "..."}`;
 * the question's checks are extracted as `smcs ask` extracts them and every reply is run on them in the sandbox. Prints,
 * per source and shape of examples, the questions with checks, the checks, the examples that could not be checked and,
 * where the right reply is known, how often the checks favoured it, a wrong one, or none. `tests` is a recorded reply
 * of a model to the tie-breaking tests call: when the checks tie as `smcs ask` would see it, every reply is run on those
 * tests, dual agreement picks the trusted ones, and the report says whether they favoured the right reply and whether
 * they failed it.
 */
import { MAX_TEXT_FILE_BYTES, readUserFile, utf8Text } from '../../files/userFile';
import { extractChecks } from '../../core/checks/extraction';
import { parseModelTests } from '../../core/checks/modelTests';
import { checksForReply, testShapeOf } from '../../core/checks/targets';
import { checksTie, trustedTests } from '../../core/checks/tieBreak';
import type { CheckRun, CheckRunner, QuestionChecks } from '../../core/contracts/checks';
import { checksEvalReport, type ChecksEvalRow, type QuestionOutcome } from '../../core/eval/checksEval';
import { createCheckRunner } from '../../sandbox/checkRunner';
import { printText, type GlobalOptions } from '../context';
import { UsageError } from '../errors';
import { jsonlRows } from '../jsonlRows';
import { jsonDocument } from '../../presentation/jsonDocument';

export interface EvalChecksOptions extends GlobalOptions {
  file: string;
  json?: boolean;
}

interface Row {
  question: string;
  context?: string;
  source?: string;
  replies: string[];
  right?: number;
  tests?: string;
}

/** The rows of the file; a line that is not such a row is an error naming the line and what is wrong. */
export function parseRows(text: string, file: string): Row[] {
  const rows = jsonlRows(text, file, (value, where): Row => {
    const row = value as Partial<Row> | null;
    if (typeof row !== 'object' || row === null || typeof row.question !== 'string') throw new UsageError(`${where} has no "question" string`);
    if (!Array.isArray(row.replies) || !row.replies.every((r) => typeof r === 'string')) throw new UsageError(`${where}: "replies" must be a list of strings`);
    if (row.context !== undefined && typeof row.context !== 'string') throw new UsageError(`${where}: "context" must be a string`);
    if (row.source !== undefined && typeof row.source !== 'string') throw new UsageError(`${where}: "source" must be a string`);
    if (row.tests !== undefined && typeof row.tests !== 'string') throw new UsageError(`${where}: "tests" must be a string (a model's reply to the tests call)`);
    if (row.right !== undefined && !(Number.isInteger(row.right) && row.right >= 0 && row.right < row.replies.length)) throw new UsageError(`${where}: "right" must be the index of one of its ${row.replies.length} replies`);
    return row as Row;
  });
  if (rows.length === 0) throw new UsageError(`${file} holds no rows`);
  return rows;
}

function lines(report: readonly ChecksEvalRow[]): string {
  const tieBreaks = report.some((r) => r.tieBreaks > 0);
  const header = ['source', 'shape', 'questions', 'with checks', 'checks', 'unverifiable', 'not checkable', 'favoured right', 'wrong', 'ties', ...(tieBreaks ? ['tests run', 'broke right', 'wrong', 'failed right'] : [])];
  const body = report.map((r) => [
    r.source,
    r.shape,
    String(r.questions),
    `${r.withChecks} (${((100 * r.withChecks) / r.questions).toFixed(0)}%)`,
    String(r.checks),
    String(r.unverifiableQuestions),
    String(r.uncheckedExamples),
    String(r.favouredRight),
    String(r.favouredWrong),
    String(r.ties),
    ...(tieBreaks ? [String(r.tieBreaks), String(r.brokeRight), String(r.brokeWrong), String(r.failedRight)] : []),
  ]);
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return all.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** Each reply's runs on the checks (undefined: no code that could run them). */
async function runAll(runner: CheckRunner, replies: readonly string[], checks: QuestionChecks, signal: AbortSignal): Promise<(CheckRun[] | undefined)[]> {
  return Promise.all(
    replies.map(async (reply) => {
      if (checks.checks.length === 0) return undefined;
      const own = checksForReply(checks, reply);
      return (own === null ? null : await runner.run(reply, own, signal)) ?? undefined;
    }),
  );
}

const passedCount = (runs: readonly CheckRun[] | undefined): number | null => (runs === undefined ? null : runs.filter((r) => r.status === 'passed').length);

/** The recorded tests of a row whose checks tie, run as `smcs ask` runs tie-breaking tests: the trusted ones each reply passes. */
async function tieBreakOf(runner: CheckRunner, row: Row, checks: QuestionChecks, runs: readonly (CheckRun[] | undefined)[], signal: AbortSignal): Promise<QuestionOutcome['tieBreak']> {
  if (row.tests === undefined || !checksTie(row.replies.map((text, i) => ({ text, runs: runs[i] })))) return undefined;
  const shape = checks.checks.every((c) => c.kind === 'stdio') ? ({ kind: 'stdio' } as const) : row.replies.map((r) => testShapeOf(r, row.question)).find((s) => s !== null);
  if (shape === undefined) return undefined;
  const tests = parseModelTests(row.tests, shape);
  const testRuns = await runAll(runner, row.replies, { checks: tests, rules: checks.rules, ...(checks.setup ? { setup: checks.setup } : {}) }, signal);
  const trusted = trustedTests(testRuns);
  return { passed: testRuns.map((r) => (r === undefined ? null : r.filter((run) => run.status === 'passed' && trusted.includes(run.check)).length)), trusted: trusted.length };
}

export async function evalChecksCommand(options: EvalChecksOptions): Promise<ChecksEvalRow[]> {
  const rows = parseRows(utf8Text(await readUserFile(options.file, { label: `the eval set ${options.file}`, maxBytes: MAX_TEXT_FILE_BYTES })), options.file);
  const runner = createCheckRunner();
  const signal = options.signal ?? new AbortController().signal;
  const outcomes: QuestionOutcome[] = [];
  for (const row of rows) {
    const checks = extractChecks(row.question, row.context);
    const runs = await runAll(runner, row.replies, checks, signal);
    const tieBreak = await tieBreakOf(runner, row, checks, runs, signal);
    outcomes.push({ source: row.source ?? 'unknown', checks, passed: runs.map(passedCount), ...(row.right !== undefined ? { right: row.right } : {}), ...(tieBreak ? { tieBreak } : {}) });
  }
  const report = checksEvalReport(outcomes);
  if (options.json) process.stdout.write(`${jsonDocument(report, 2)}\n`);
  else printText(lines(report));
  return report;
}
