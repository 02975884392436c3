/**
 * Compare candidates: each candidate of a run is a read-only virtual document (scheme `smcs-candidate`), and
 * `smcs.compareCandidates` opens VS Code's own diff editor on two of them, titled with both. Called with a run id
 * and two candidate indices (the panel's Compare buttons), or with none: then it asks which candidates of the
 * latest answer to compare.
 */
import * as vscode from 'vscode';
import type { RunState } from '../../presentation/runState';
import { CANDIDATE_SCHEME, candidatePath, candidateText, candidateTitle, diffTitle, parseCandidatePath } from './candidateDocs';

/** Serves the candidates' texts from the runs the panel shows (the documents are read-only by construction). */
export class CandidateDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly runs: () => readonly RunState[]) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const ref = parseCandidatePath(uri.path);
    if (!ref) return `Not an SMCS candidate: ${uri.toString()}\n`;
    return candidateText(this.runs(), ref);
  }
}

/** The document URI of candidate `index` of run `runId`. */
function candidateUri(runId: string, index: number): vscode.Uri {
  return vscode.Uri.from({ scheme: CANDIDATE_SCHEME, path: candidatePath({ runId, index }) });
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Opens the diff of candidates `left` ↔ `right` of run `runId`. */
async function openCandidateDiff(runs: readonly RunState[], runId: string, left: number, right: number): Promise<void> {
  const run = runs.find((r) => r.id === runId);
  await vscode.commands.executeCommand('vscode.diff', candidateUri(runId, left), candidateUri(runId, right), diffTitle(run, left, right), { preview: true });
}

/** Asks for two candidates of the latest finished run that has at least two; undefined when the user cancels. */
async function pickCandidates(runs: readonly RunState[]): Promise<{ run: RunState; left: number; right: number } | undefined> {
  const run = [...runs].reverse().find((r) => r.status === 'done' && r.candidates.filter((c) => c.status === 'done').length >= 2);
  if (!run) {
    void vscode.window.showInformationMessage('SMCS: no answer with two candidates to compare yet.');
    return undefined;
  }
  const items = run.candidates.filter((c) => c.status === 'done').map((c) => ({ label: candidateTitle(run, c.index), index: c.index }));
  const first = await vscode.window.showQuickPick(items, { title: 'SMCS: Compare Candidates (1/2)', placeHolder: `Question: ${run.question.slice(0, 80)}` });
  if (!first) return undefined;
  const second = await vscode.window.showQuickPick(items.filter((i) => i.index !== first.index), { title: 'SMCS: Compare Candidates (2/2)', placeHolder: `Compare ${first.label} with…` });
  if (!second) return undefined;
  return { run, left: first.index, right: second.index };
}

/** The command: with a run id and two indices opens their diff; without, asks which candidates to compare. */
export async function compareCandidatesCommand(runs: readonly RunState[], runId?: unknown, left?: unknown, right?: unknown): Promise<void> {
  if (typeof runId === 'string' && isIndex(left) && isIndex(right)) {
    await openCandidateDiff(runs, runId, left, right);
    return;
  }
  const picked = await pickCandidates(runs);
  if (picked) await openCandidateDiff(runs, picked.run.id, picked.left, picked.right);
}
