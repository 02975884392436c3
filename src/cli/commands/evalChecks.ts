/**
 * `smcs eval checks FILE.jsonl`: how far the checks reach on a set of questions (issue 26). Each line is
 * `{"question": "...", "context"?: "...", "source"?: "humaneval", "replies": ["...", "..."], "right"?: 0}`; the
 * question's checks are extracted as `smcs ask` extracts them and every reply is run on them in the sandbox. Prints,
 * per source and shape of examples, the questions with checks, the checks, the examples that could not be checked and,
 * where the right reply is known, how often the checks favoured it, a wrong one, or none.
 */
import { readFile } from 'node:fs/promises';
import { extractChecks } from '../../core/checks/extraction';
import { checksForReply } from '../../core/checks/targets';
import { checksEvalReport, type ChecksEvalRow, type QuestionOutcome } from '../../core/eval/checksEval';
import { createCheckRunner } from '../../sandbox/checkRunner';
import type { GlobalOptions } from '../context';
import { UsageError } from '../errors';
import { jsonDocument } from '../jsonDocument';

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
}

/** The rows of the file; a line that is not such a row is an error naming the line and what is wrong. */
export function parseRows(text: string, file: string): Row[] {
  const rows: Row[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(`${where} is not JSON`);
    }
    const row = value as Partial<Row> | null;
    if (typeof row !== 'object' || row === null || typeof row.question !== 'string') throw new UsageError(`${where} has no "question" string`);
    if (!Array.isArray(row.replies) || !row.replies.every((r) => typeof r === 'string')) throw new UsageError(`${where}: "replies" must be a list of strings`);
    if (row.context !== undefined && typeof row.context !== 'string') throw new UsageError(`${where}: "context" must be a string`);
    if (row.source !== undefined && typeof row.source !== 'string') throw new UsageError(`${where}: "source" must be a string`);
    if (row.right !== undefined && !(Number.isInteger(row.right) && row.right >= 0 && row.right < row.replies.length)) throw new UsageError(`${where}: "right" must be the index of one of its ${row.replies.length} replies`);
    rows.push(row as Row);
  });
  if (rows.length === 0) throw new UsageError(`${file} holds no rows`);
  return rows;
}

function lines(report: readonly ChecksEvalRow[]): string {
  const header = ['source', 'shape', 'questions', 'with checks', 'checks', 'unverifiable', 'not checkable', 'favoured right', 'wrong', 'ties'];
  const body = report.map((r) => [r.source, r.shape, String(r.questions), `${r.withChecks} (${((100 * r.withChecks) / r.questions).toFixed(0)}%)`, String(r.checks), String(r.unverifiableQuestions), String(r.uncheckedExamples), String(r.favouredRight), String(r.favouredWrong), String(r.ties)]);
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return all.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

export async function evalChecksCommand(options: EvalChecksOptions): Promise<ChecksEvalRow[]> {
  const rows = parseRows(await readFile(options.file, 'utf8'), options.file);
  const runner = createCheckRunner();
  const signal = new AbortController().signal;
  const outcomes: QuestionOutcome[] = [];
  for (const row of rows) {
    const checks = extractChecks(row.question, row.context);
    const passed = await Promise.all(
      row.replies.map(async (reply) => {
        if (checks.checks.length === 0) return null;
        const own = checksForReply(checks, reply);
        const runs = own === null ? null : await runner.run(reply, own, signal);
        return runs === null ? null : runs.filter((r) => r.status === 'passed').length;
      }),
    );
    outcomes.push({ source: row.source ?? 'unknown', checks, passed, ...(row.right !== undefined ? { right: row.right } : {}) });
  }
  const report = checksEvalReport(outcomes);
  process.stdout.write(options.json ? `${jsonDocument(report, 2)}\n` : `${lines(report)}\n`);
  return report;
}
