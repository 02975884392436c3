/**
 * Model-written tests that break a tie (design-notes "Checks: tie-breaking tests"): when the question's own checks pass
 * and fail every code reply alike though the replies are different programs, a model writes tests meant to separate
 * them, every reply runs them, CodeT's dual agreement (dualAgreement.ts) picks the ones to trust, and passing them
 * adds to a reply's hybrid total — at most TIE_BREAK_WEIGHT, below one example of the question. Pure.
 */
import type { CheckRun, CheckSummary, TieBreak } from '../contracts/checks';
import { dualAgreement } from './dualAgreement';
import { runnableBlocks } from './replyCode';

/**
 * What passing every trusted tie-breaking test adds to a reply's hybrid total: how often the trusted tests picked the
 * right reply when they picked one. Measured with a *simulated* test writer (`scripts/tie-break-set.ts`, then
 * `smcs eval checks`; design-notes "Checks: tie-breaking tests"): on 14 questions whose examples pass a right and a
 * wrong solution alike (12 reference/mutant pairs from example-shapes, 2 LiveCodeBench replay pairs), five written
 * tests each with one in five given a wrong expectation, the trusted tests favoured the right reply 11 times, the
 * wrong one once and neither twice, and failed the right reply once: 11/12 = 0.92, rounded down. A hybrid total spans
 * about 0–2; the question's examples rank before it, so this never outweighs one of them.
 */
export const TIE_BREAK_WEIGHT = 0.9;

/** One reply as the tie test sees it: its text and its runs on the question's checks (undefined: not run). */
export interface CheckedReply {
  text: string;
  runs: readonly CheckRun[] | undefined;
}

/** The reply's code with its layout ignored: two replies with the same program are one program. */
export function programOf(text: string): string {
  return runnableBlocks(text)
    .map((b) => b.code.replace(/\s+/g, ' ').trim())
    .join('\n');
}

/** Whether a reply's program ran on the checks: some check passed or failed (not only errors, time-outs, unusable). */
const ran = (runs: readonly CheckRun[]): boolean => runs.some((r) => r.status === 'passed' || r.status === 'failed');

/**
 * Whether the question's checks cannot tell the code replies apart: every reply whose program ran passes exactly the
 * same checks, and at least two of them are different programs.
 */
export function checksTie(replies: readonly CheckedReply[]): boolean {
  const running = replies.filter((r): r is { text: string; runs: readonly CheckRun[] } => r.runs !== undefined && ran(r.runs));
  const vector = (runs: readonly CheckRun[]): string =>
    runs
      .filter((r) => r.status === 'passed')
      .map((r) => r.check)
      .sort((a, b) => a - b)
      .join(',');
  const vectors = new Set(running.map((r) => vector(r.runs)));
  const programs = new Set(running.map((r) => programOf(r.text)));
  return vectors.size === 1 && programs.size >= 2;
}

/** The tests to trust of tie-breaking runs (`runs[p]`: program p's runs; undefined when it could not run them). */
export function trustedTests(runs: readonly (readonly CheckRun[] | undefined)[]): number[] {
  return dualAgreement(runs.map((r) => (r === undefined || !ran(r) ? null : r.filter((run) => run.status === 'passed').map((run) => run.check)))).trusted;
}

/** How many trusted tests a reply's runs pass, for its summary. */
export function tieBreakSummary(runs: readonly CheckRun[], trusted: readonly number[]): NonNullable<CheckSummary['tieBreak']> {
  return { passed: runs.filter((r) => r.status === 'passed' && trusted.includes(r.check)).length, trusted: trusted.length };
}

/** What a reply's tie-breaking tests add to its hybrid total: the weight times the share of trusted tests it passes. */
export function tieBreakBonus(summary: CheckSummary | undefined, tieBreak: Pick<TieBreak, 'weight'> | undefined): number {
  const passed = summary?.tieBreak;
  if (tieBreak === undefined || passed === undefined || passed.trusted === 0) return 0;
  return (tieBreak.weight * passed.passed) / passed.trusted;
}
