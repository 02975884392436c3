/**
 * The rows of a JSONL set file for `smcs eval` (checks, context, e2e): each non-empty line parsed as JSON and handed to
 * `row` with where it stands ("set.jsonl line 3"), so every error names the line; blank lines are skipped.
 */
import { UsageError } from './errors';

export function jsonlRows<T>(text: string, file: string, row: (value: unknown, where: string, line: number) => T): T[] {
  const rows: T[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UsageError(`${where} is not JSON`);
    }
    rows.push(row(value, where, i + 1));
  });
  return rows;
}
