/**
 * A cheap look at the start of an input file, so that a file given with the wrong `--format` is refused with
 * what it looks like ("looks like JSON Lines: did you mean --format jsonl?") instead of a parse error deep
 * inside it.
 */
import { parsePythonJson, type ImportFormat } from './common';
import { looksLikeLmEvalSample } from './lmEval';
import { looksLikeMmluPro } from './mmluPro';

/** What the start of a file looks like, with the format that reads it (null when no importer does). */
interface Look {
  what: string;
  format: ImportFormat | null;
  /** The first line as a JSON object, when it is one. */
  first: Record<string, unknown> | null;
}

/** The first non-blank line of `text`, trimmed. */
export function firstLine(text: string): string {
  const start = text.search(/\S/);
  if (start < 0) return '';
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).trim();
}

/** The first line as a JSON object, or null when it is not one on its own (a pretty-printed object, say). */
function objectLine(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{') || !line.endsWith('}')) return null;
  try {
    const value = parsePythonJson(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : null;
  } catch {
    return null;
  }
}

function look(text: string): Look | null {
  const line = firstLine(text);
  if (line.startsWith('[')) {
    const mmluPro = looksLikeMmluPro(text.slice(0, 65536));
    return { what: mmluPro ? 'an MMLU-Pro output list' : 'a JSON list', format: mmluPro ? 'mmlu-pro' : null, first: null };
  }
  const first = objectLine(line);
  if (first === null) return null;
  if (looksLikeLmEvalSample(line)) return { what: 'lm-eval samples (JSON Lines with doc_id, doc and resps)', format: 'lm-eval', first };
  return { what: 'JSON Lines', format: 'jsonl', first };
}

/**
 * Why `text` is not input of `format`, or null when it may be (then the importer checks every record). Only the
 * two whole-file formats are checked: an MMLU-Pro file must be a JSON list, an lm-eval samples file JSON Lines
 * whose first line names a `doc_id` or `doc` (a bank JSONL file's lines are checked one by one anyway).
 */
export function formatMismatch(format: ImportFormat, text: string): string | null {
  const seen = look(text);
  if (seen === null || seen.format === format) return null;
  if (format === 'mmlu-pro' && seen.format !== null) return mismatch(format, 'a JSON list of records', seen);
  if (format === 'lm-eval') {
    if (seen.first !== null && ('doc_id' in seen.first || 'doc' in seen.first)) return null;
    return mismatch(format, 'JSON Lines with doc_id, doc and resps', seen);
  }
  return null;
}

function mismatch(format: ImportFormat, expected: string, seen: Look): string {
  const hint = seen.format !== null ? `: did you mean --format ${seen.format}?` : '';
  return `does not look like ${format} input (--format ${format} reads ${expected}); it looks like ${seen.what}${hint}`;
}
