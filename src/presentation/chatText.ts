/**
 * How a run reads in VS Code's chat (the `@smcs` participant): one progress line as the run goes ("asking 3 models · 1
 * of 3 in · 1 failed · waiting for c"), read from the run's progress (runProgress.ts, the reading the panel, the CLI and the
 * server share); the line under the answer (answerView.ts: where the final answers agree, which reply answered and why,
 * its checks); the stages it went through, kept once the progress lines fold away; a stopped run's replies and cost;
 * and the replies "Use Another Candidate" offers, each with its checks and final answer.
 */
import type { ReplyRef } from '../core/contracts/checks';
import { replyAnswerLabel } from './agreementLine';
import { answerView, candidateNote } from './answerView';
import { checkLine } from './checkText';
import { costSummary } from './costSummary';
import { formatQuantity } from './format';
import { ended, type RunProgress } from './runProgress';
import type { ReplyCounts, RunState } from './runState';
import { partNotes, withheldSummary } from './withheldFiles';

/** "1 of 3 in · 1 failed": what of a stage's replies arrived, and apart from them, those that failed or were stopped. */
function arrivals(counts: ReplyCounts, arrived: string): string {
  const parts = [`${counts.ok} of ${counts.total} ${arrived}`];
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  if (counts.stopped > 0) parts.push(`${counts.stopped} stopped`);
  if (counts.late > 0) parts.push(`${counts.late} left out late`);
  return parts.join(' · ');
}

/** The run's progress as the chat shows it while it runs: arrivals and failures counted apart, and who is still awaited. */
export function chatProgressLine(progress: RunProgress, run?: Pick<RunState, 'referencers'>): string {
  if (progress.phase === 'embedding') return 'choosing the models for this question';
  const { referencers, aggregations } = progress;
  const parts = [`asking ${formatQuantity(referencers.total, 'model')}`, arrivals(referencers, 'in')];
  const awaited = run?.referencers.filter((r) => r.status === 'waiting' || r.status === 'streaming').map((r) => r.model) ?? [];
  if (progress.phase === 'referencers' && awaited.length > 0 && ended(referencers) > 0) parts.push(`waiting for ${awaited.join(', ')}`);
  if (aggregations.total > 0 && progress.phase !== 'referencers') {
    parts.push(`writing ${formatQuantity(aggregations.total, 'candidate')}`);
    // Kept once all are written: the line going back to "writing 4 candidates" read as the run going backwards.
    if (ended(aggregations) > 0) parts.push(arrivals(aggregations, 'written'));
  }
  if (progress.checks && (progress.phase === 'checks' || progress.phase === 'scored')) parts.push(`checks ${progress.checks.count}`);
  if (progress.waiting) parts.push(`${progress.waiting.who} waits ${Math.ceil(progress.waiting.ms / 1000)} s (${progress.waiting.reason})`);
  return parts.join(' · ');
}

/**
 * The lines under a finished run's answer: where the models' final answers agree ("2 of 3 models answer (D)"), then
 * which reply answered and why, with its checks ("candidates 1 and 3 (2 of 4 agree), the highest score · passes 5/5
 * examples") — the panel's and the CLI's reading (answerView.ts).
 */
export function chatAnswerLines(run: RunState): string[] {
  const view = answerView(run);
  return [view.agreement, view.reason].filter((line): line is string => line !== undefined);
}

/**
 * What the run says of its context, as the panel's notes line says it: the decision ("searched: the question names
 * parse_row, which the workspace defines"; "not searched: its words are every code base's: …"), what did not fit, and
 * the files withheld summed up in one line ("2 files withheld: secrets and certificates").
 */
export function chatContextLines(run: Pick<RunState, 'contextNotes'>): string[] {
  const { withheld, others } = partNotes(run.contextNotes ?? []);
  return [...others, ...[withheldSummary(withheld)].filter((line): line is string => line !== undefined)];
}

/** What the run went through, kept under the answer once the chat folds its progress lines away: "asked 3 models: 3 of 3 in · 4 candidates: 4 of 4 written · checks 5 · 12.4 s". */
export function chatStagesLine(run: RunState, progress: RunProgress): string {
  const parts = [`asked ${formatQuantity(progress.referencers.total, 'model')}: ${arrivals(progress.referencers, 'in')}`];
  if (progress.aggregations.total > 0) parts.push(`${formatQuantity(progress.aggregations.total, 'candidate')}: ${arrivals(progress.aggregations, 'written')}`);
  else if (run.status === 'done') parts.push('no aggregation ran');
  if (progress.checks) parts.push(`checks ${progress.checks.count}`);
  if (run.finishedAt !== undefined) parts.push(`${((run.finishedAt - run.startedAt) / 1000).toFixed(1)} s`);
  return parts.join(' · ');
}

/** A reply that arrived before the run stopped: who wrote it, and its text. */
export interface ReceivedReply {
  title: string;
  text: string;
}

/**
 * What a stopped run says in the chat, as the panel says it ("Stopped. Replies received so far are kept below."; `kept`
 * says where, for a notification outside the panel and the chat): the replies that had arrived (the referencers', then
 * the candidates written), then what the replies cut short had written, and what it cost until then. A run stopped
 * while models were still writing says so, not that nothing had arrived.
 */
export function chatStopped(run: RunState, kept: 'below' | 'in the SMCS panel' = 'below'): { text: string; replies: ReceivedReply[]; cost: string | undefined } {
  const written = (r: { text: string }): boolean => r.text.trim() !== '';
  const cut = (r: { status: string; text: string }): boolean => r.status === 'abandoned' && written(r);
  const complete: ReceivedReply[] = [
    ...run.referencers.filter((r) => r.status === 'done').map((r) => ({ title: `${r.model}'s reply`, text: r.text })),
    ...run.candidates.filter((c) => c.status === 'done').map((c) => ({ title: `Candidate ${c.index + 1}`, text: c.text })),
  ];
  const cutShort: ReceivedReply[] = [
    ...run.referencers.filter(cut).map((r) => ({ title: `${r.model}'s reply, cut short`, text: r.text })),
    ...run.candidates.filter(cut).map((c) => ({ title: `Candidate ${c.index + 1}, cut short`, text: c.text })),
  ];
  const replies = [...complete, ...cutShort];
  const total = run.referencers.length;
  const arrived = run.referencers.filter((r) => r.status === 'done').length;
  const partial = cutShort.length;
  const text =
    replies.length === 0
      ? `Stopped. No reply had arrived${total > 0 ? ` from the ${formatQuantity(total, 'model')} asked` : ''}.`
      : complete.length === 0
        ? `Stopped while the models were writing: what ${partial === 1 ? 'one reply' : `${partial} replies`} had so far is kept ${kept}${total > 0 ? ` (0 of ${total} models had finished)` : ''}.`
        : `Stopped. Replies received so far are kept ${kept}${total > 0 ? ` (${arrived} of ${total} models had answered)` : ''}.`;
  return { text, replies, cost: costSummary(run) };
}

/** One reply "Use Another Candidate" offers: its name, its final answer and checks, its opening in plain words. */
export interface ReplyChoiceItem {
  reply: ReplyRef;
  label: string;
  description: string;
  detail: string;
}

/**
 * Every finished reply of a run the user can take instead of the answer shown — the candidates, then the referencers'
 * own replies — each with its final answer where the final answers were read, its checks where they ran, and whether
 * it is the answer shown now. The reply shown comes first.
 */
export function replyChoiceItems(run: RunState): ReplyChoiceItem[] {
  const view = answerView(run);
  const describe = (ref: ReplyRef, checks: Parameters<typeof checkLine>[0] | undefined, behaviour?: Parameters<typeof checkLine>[2]): string => {
    const said = replyAnswerLabel(run.agreement, ref);
    const isShown = ref.kind === 'candidate' ? view.reference === undefined && view.candidate === ref.index : view.reference === ref.model;
    const note = ref.kind === 'candidate' ? candidateNote(run, ref.index) : undefined;
    return [isShown ? 'the answer shown' : undefined, said !== undefined ? `answers ${said}` : undefined, checks ? checkLine(checks, run.checkSet, behaviour) : undefined, note].filter((p): p is string => p !== undefined).join(' · ');
  };
  const items: ReplyChoiceItem[] = [
    ...run.candidates
      .filter((c) => c.status === 'done')
      .map((c) => ({ reply: { kind: 'candidate' as const, index: c.index }, label: `Candidate ${c.index + 1}${c.index === run.winner ? ` (${view.topLabel})` : ''}`, description: describe({ kind: 'candidate', index: c.index }, c.checks, c.behaviour), detail: replyPreview(c.text) })),
    ...run.referencers
      .filter((r) => r.status === 'done')
      .map((r) => ({ reply: { kind: 'referencer' as const, model: r.model }, label: `${r.model}'s reply`, description: describe({ kind: 'referencer', model: r.model }, r.checks, r.behaviour), detail: replyPreview(r.text) })),
  ];
  return [...items.filter((i) => i.description.startsWith('the answer shown')), ...items.filter((i) => !i.description.startsWith('the answer shown'))];
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

/**
 * Text of ours (a cost line, a notice, a reason) as chat markdown that shows it as written: its markdown punctuation
 * escaped, and at the start of a line only what would begin a list, a heading or a quote ("1. ", "- ", "# ") — a line
 * that starts "12.4k tokens" is not a list, and a backslash before a digit would show.
 */
export function literalMarkdown(text: string): string {
  return text
    .replace(/([\\`*_[\]<>|~])/g, '\\$1')
    .replace(/^(\s*)(\d+)([.)])(?=\s|$)/gm, '$1$2\\$3')
    .replace(/^(\s*)([#+-])(?=\s|$)/gm, '$1\\$2');
}
