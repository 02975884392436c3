/**
 * What the candidate diff shows, without VS Code: where a candidate's read-only document lives (a path of the
 * `smcs-candidate` scheme naming the run and the candidate), its text, and the diff editor's title.
 */
import { answerView } from '../../presentation/answerView';
import { sameReply } from '../../presentation/answerNames';
import type { RunState } from '../../presentation/runState';

/** The URI scheme of the read-only candidate documents. */
export const CANDIDATE_SCHEME = 'smcs-candidate';

export interface CandidateRef {
  runId: string;
  index: number;
}

/**
 * The label of a candidate in titles and pickers: "Candidate 3", "Candidate 1 (winner)", "Candidate 2 (your choice)";
 * "Candidate 1 (best candidate)" when a reference's own reply is the answer.
 */
export function candidateTitle(run: RunState | undefined, index: number): string {
  const notes: string[] = [];
  if (run !== undefined && run.winner === index) notes.push(answerView(run).topLabel);
  if (run !== undefined && sameReply(run.choice, { kind: 'candidate', index })) notes.push('your choice');
  return `Candidate ${index + 1}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

/** The diff editor's title: "Candidate 3 ↔ Candidate 1 (winner)". */
export function diffTitle(run: RunState | undefined, left: number, right: number): string {
  return `${candidateTitle(run, left)} ↔ ${candidateTitle(run, right)}`;
}

/** The document path of a candidate: `/<run id>/<index>/Candidate <n>.md` (the file name is what the tab shows). */
export function candidatePath(ref: CandidateRef): string {
  return `/${encodeURIComponent(ref.runId)}/${ref.index}/Candidate ${ref.index + 1}.md`;
}

/** The run and candidate a document path names; undefined for a path this scheme never produces. */
export function parseCandidatePath(path: string): CandidateRef | undefined {
  const m = /^\/([^/]+)\/(\d+)\/[^/]*$/.exec(path);
  if (!m?.[1] || !m[2]) return undefined;
  let runId: string;
  try {
    runId = decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
  return { runId, index: Number(m[2]) };
}

/** The text of a candidate's document: its reply, or a line saying why there is none. */
export function candidateText(runs: readonly RunState[], ref: CandidateRef): string {
  const run = runs.find((r) => r.id === ref.runId);
  if (!run) return 'This question is no longer in the SMCS history.\n';
  const candidate = run.candidates.find((c) => c.index === ref.index);
  if (!candidate) return `This question has no candidate ${ref.index + 1}.\n`;
  if (candidate.status === 'failed') return `Candidate ${ref.index + 1} failed: ${candidate.error ?? 'no reply'}\n${candidate.text}`;
  return candidate.text;
}
