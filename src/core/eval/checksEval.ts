/**
 * `smcs eval checks` in the pure (design-notes "Checks: coverage"): per source and shape of the questions' examples,
 * how many questions had checks, how many checks were extracted and how many examples could not be checked, and — where
 * the right reply is known — whether the checks favoured the right reply, a wrong one, or none (a tie), and, where the
 * row recorded a model's tests for the tie, whether the tests dual agreement trusts broke it rightly and whether they
 * failed the right reply.
 */
import type { QuestionChecks } from '../contracts/checks';

/** What running the replies of one question on its checks gave. */
export interface QuestionOutcome {
  /** Where the question comes from (the row's `source`, else "unknown"). */
  source: string;
  checks: QuestionChecks;
  /** Checks each reply passed (null: no code the checks could run); empty when nothing was run. */
  passed: (number | null)[];
  /** The index of the right reply, when known. */
  right?: number;
  /** The checks tied and recorded tests were run: the trusted tests each reply passed (null: not run), of how many. */
  tieBreak?: { passed: (number | null)[]; trusted: number };
}

/** One row of the report: a source and a shape of examples, or a source's total (`shape` "all"). */
export interface ChecksEvalRow {
  source: string;
  /** "stdio", "call", "assert", "call+assert", "none", or "all". */
  shape: string;
  questions: number;
  withChecks: number;
  checks: number;
  /** Questions whose statement accepts any valid answer (nothing run). */
  unverifiableQuestions: number;
  /** Examples seen that could not become checks. */
  uncheckedExamples: number;
  /** Of the questions whose right reply is known and that had checks: the checks favoured it, another, or none. */
  favouredRight: number;
  favouredWrong: number;
  ties: number;
  /** Of those ties, the ones with model-written tests run (a row's `tests`), and what the trusted tests did. */
  tieBreaks: number;
  /** The trusted tests favoured the right reply, a wrong one, or none. */
  brokeRight: number;
  brokeWrong: number;
  /** The right reply failed a trusted test (whatever they favoured). */
  failedRight: number;
}

/** The kinds of checks a question has, as one word. */
export function shapeOf(checks: QuestionChecks): string {
  if (checks.unverifiable !== undefined) return 'unverifiable';
  const kinds = [...new Set(checks.checks.map((c) => c.kind))].sort();
  return kinds.length === 0 ? 'none' : kinds.join('+');
}

/** The reply the checks favour: the only one passing the most; null on a tie or when nothing ran. */
export function favoured(passed: readonly (number | null)[]): number | null {
  const scores = passed.map((p) => p ?? 0);
  if (scores.length === 0) return null;
  const best = Math.max(...scores);
  const top = scores.flatMap((s, i) => (s === best ? [i] : []));
  return top.length === 1 && scores.some((s) => s < best) ? (top[0] ?? null) : null;
}

/** The report rows: each source's shapes, then the source's total, sources in the order they first appear. */
export function checksEvalReport(outcomes: readonly QuestionOutcome[]): ChecksEvalRow[] {
  const rows = new Map<string, ChecksEvalRow>();
  const add = (source: string, shape: string, o: QuestionOutcome): void => {
    const key = `${source}\u0000${shape}`;
    const row = rows.get(key) ?? { source, shape, questions: 0, withChecks: 0, checks: 0, unverifiableQuestions: 0, uncheckedExamples: 0, favouredRight: 0, favouredWrong: 0, ties: 0, tieBreaks: 0, brokeRight: 0, brokeWrong: 0, failedRight: 0 };
    rows.set(key, row);
    row.questions++;
    if (o.checks.checks.length > 0) row.withChecks++;
    row.checks += o.checks.checks.length;
    if (o.checks.unverifiable !== undefined) row.unverifiableQuestions++;
    row.uncheckedExamples += (o.checks.unchecked ?? []).reduce((n, u) => n + u.count, 0);
    if (o.right === undefined || o.checks.checks.length === 0) return;
    const pick = favoured(o.passed);
    if (pick === null) row.ties++;
    else if (pick === o.right) row.favouredRight++;
    else row.favouredWrong++;
    if (pick !== null || o.tieBreak === undefined) return;
    row.tieBreaks++;
    const broken = o.tieBreak.trusted === 0 ? null : favoured(o.tieBreak.passed);
    if (broken === o.right) row.brokeRight++;
    else if (broken !== null) row.brokeWrong++;
    if ((o.tieBreak.passed[o.right] ?? 0) < o.tieBreak.trusted) row.failedRight++;
  };
  for (const o of outcomes) add(o.source, shapeOf(o.checks), o);
  for (const o of outcomes) add(o.source, 'all', o);
  return [...rows.values()].sort((a, b) => {
    const sources = [...new Set(outcomes.map((o) => o.source))];
    return sources.indexOf(a.source) - sources.indexOf(b.source) || Number(a.shape === 'all') - Number(b.shape === 'all') || a.shape.localeCompare(b.shape);
  });
}
