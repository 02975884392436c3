/**
 * Why an import skipped a record: a small fixed set of stable ids (they appear in `smcs bank import --json`),
 * and the per-reason summary with the first few locations that the CLI and the panel show.
 */

/** Stable ids of the reasons a record (or a whole file) cannot be imported. */
export const SKIP_REASONS = {
  'not-a-record': 'the entry is not a JSON object',
  'bad-json': 'the line is not valid JSON',
  'unreadable-file': 'the whole file cannot be read as its format',
  'no-model': 'the model that produced the file cannot be told',
  'bad-id': 'the id is missing or malformed',
  'duplicate-id': 'the id repeats an earlier entry of the same file',
  'conflicting-question': 'the id names a different question in another file',
  'missing-question': 'no question text',
  'bad-options': 'the options are not a list of 1 to 10 strings',
  'bad-answer': 'the answer is missing or names no option',
  'bad-label': 'the correctness label cannot be read',
  'bad-embedding': 'the embedding cannot be used',
  'bad-field': 'another field has the wrong type',
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

/** One record (or file) left out of an import. */
export interface SkippedRecord {
  reason: SkipReason;
  /** The file's base name. */
  file: string;
  /** Where in the file: `index N` (JSON list), `line N` (JSONL) or `file`. */
  at: string;
  /** The field at fault and what is wrong with it. */
  field: string;
  message: string;
}

/** The skipped records of one reason: how many, and where the first ones are. */
export interface SkipSummary {
  reason: SkipReason;
  count: number;
  examples: { file: string; at: string }[];
}

/** Per reason (in order of first appearance): the count and the first `maxExamples` locations. */
export function summarizeSkips(skipped: readonly SkippedRecord[], maxExamples: number): SkipSummary[] {
  const byReason = new Map<SkipReason, SkipSummary>();
  for (const s of skipped) {
    let summary = byReason.get(s.reason);
    if (!summary) {
      summary = { reason: s.reason, count: 0, examples: [] };
      byReason.set(s.reason, summary);
    }
    summary.count++;
    if (summary.examples.length < maxExamples) summary.examples.push({ file: s.file, at: s.at });
  }
  return [...byReason.values()];
}

/**
 * One line per reason: `skipped N <reason> (<what it means>): file at, file at, file at (and M more)`;
 * locations in the same file as the one before name only the place.
 */
export function formatSkipLines(summaries: readonly SkipSummary[], shown = 3): string[] {
  return summaries.map((s) => {
    let lastFile = '';
    const places = s.examples.slice(0, shown).map((e) => {
      const place = e.file === lastFile ? e.at : `${e.file} ${e.at}`;
      lastFile = e.file;
      return place;
    });
    const more = s.count > places.length ? ` (and ${s.count - places.length} more)` : '';
    return `skipped ${s.count} ${s.reason} (${SKIP_REASONS[s.reason]}): ${places.join(', ')}${more}`;
  });
}
