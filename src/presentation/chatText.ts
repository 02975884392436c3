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

/** The most code points a reply's preview keeps (a quick pick's detail line). */
const PREVIEW_POINTS = 120;

/**
 * A reply's opening in plain words, for a list that shows no markdown (the "Use Another Candidate" quick pick): its
 * first line outside code blocks, without heading, list and quote marks, backticks, emphasis or link targets, cut to
 * PREVIEW_POINTS code points; a reply of code alone reads "code, N lines".
 */
export function replyPreview(text: string): string {
  let fence: string | undefined;
  let codeLines = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const marker = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line === marker) fence = undefined;
      else codeLines++;
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      continue;
    }
    const words = plainLine(line);
    if (words !== '') return cut(words);
  }
  return codeLines > 0 ? `code, ${formatQuantity(codeLines, 'line')}` : '';
}

/** One markdown line's words: block marks, inline code's backticks, emphasis and link targets dropped. */
function plainLine(line: string): string {
  return line
    .replace(/^(?:>\s*)+/, '')
    .replace(/^#{1,6}\s+/, '')
    .replace(/^(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?/, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(`+)(.+?)\1/g, '$2')
    .replace(/(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])/g, '$1$2')
    .replace(/^(?:[-*_]\s*){3,}$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function cut(text: string): string {
  const points = Array.from(text);
  return points.length <= PREVIEW_POINTS ? text : `${points.slice(0, PREVIEW_POINTS - 1).join('').trimEnd()}…`;
}
