/**
 * How a run reads in VS Code's chat (the `@smcs` participant): one progress line as the run goes ("asking 3 models · 2
 * of 3 in · writing 4 candidates · checks 5"), read from the run's progress (runProgress.ts, the reading the panel, the
 * CLI and the server share), and the line under the answer: which candidate answered and how many agree, and the
 * checks it passes (checkText.ts's wording).
 */
import { agreementLine, agreementLineText } from './agreementLine';
import { winnerPhrase } from './candidateGroups';
import { checkLine } from './checkText';
import { formatQuantity } from './format';
import { keptReplyChecks } from './runAnswer';
import { ended, type RunProgress } from './runProgress';
import type { RunState } from './runState';

/** The run's progress as the chat shows it while it runs. */
export function chatProgressLine(progress: RunProgress): string {
  if (progress.phase === 'embedding') return 'choosing the models for this question';
  const { referencers, aggregations } = progress;
  const parts = [`asking ${formatQuantity(referencers.total, 'model')}`, `${ended(referencers)} of ${referencers.total} in`];
  if (aggregations.total > 0 && progress.phase !== 'referencers') {
    parts.push(`writing ${formatQuantity(aggregations.total, 'candidate')}`);
    // Kept once all are written: the line going back to "writing 4 candidates" read as the run going backwards.
    if (ended(aggregations) > 0) parts.push(`${ended(aggregations)} of ${aggregations.total} written`);
  }
  if (progress.checks && (progress.phase === 'checks' || progress.phase === 'scored')) parts.push(`checks ${progress.checks.count}`);
  if (progress.waiting) parts.push(`${progress.waiting.who} waits ${Math.ceil(progress.waiting.ms / 1000)} s (${progress.waiting.reason})`);
  return parts.join(' · ');
}

/**
 * The line under a finished run's answer: where the models' final answers agree, in the panel's and the CLI's words
 * ("2 of 3 models answer (D); 1 gives no final answer"); otherwise "candidates 1 and 3 (2 of 4 agree) · passes 5/5
 * examples", or "candidate 2 of 4" without checks; undefined when neither applies (a referencer's reply answered).
 */
export function chatAnswerLine(run: RunState): string | undefined {
  const agreed = agreementLine(run.agreement);
  if (agreed) return agreementLineText(agreed);
  const written = run.candidates.filter((c) => c.status === 'done').length;
  if (written === 0 || run.winner === undefined) return undefined;
  const checks = keptReplyChecks(run);
  return [winnerPhrase(run), ...(checks ? [checkLine(checks, run.checkSet)] : [])].join(' · ');
}
