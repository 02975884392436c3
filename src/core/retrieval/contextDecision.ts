/**
 * The one line each ask's context notes carry saying what decided what went (issue 42): whether the workspace was
 * searched and on what evidence, and what part of the open file went. Every front end's ask reaches it through the
 * engine (engine/workspaceContext), so the panel, the palette and the CLI say the same for the same question.
 */
import type { Attached, WorkspaceLookup } from './retrievalWanted';
import { notSearchedReason, workspaceEvidence } from './retrievalWanted';
import type { OpenFileShare } from './openFileShare';

/** Whether the workspace was searched, and why in words. */
export interface SearchDecision {
  searched: boolean;
  why: string;
}

/** A workspace that holds every name: evidence under it is every word that could be evidence in some workspace. */
const HOLDS_EVERYTHING: WorkspaceLookup = { defines: () => true, uses: () => true, hasFile: () => true, names: () => true };

/**
 * Whether any workspace could hold what the question names or points at: when not, an index never built is not built
 * for this question (a plain question does not wait for it).
 */
export function mayConcernAWorkspace(question: string, attached: readonly Attached[]): boolean {
  return workspaceEvidence(question, attached, HOLDS_EVERYTHING) !== undefined;
}

/** What shows that an ask concerns the workspace: the evidence in words, and the earlier question it came from, if any. */
export interface AskEvidence {
  why: string;
  /** The conversation's earlier question the evidence is in, when the question itself holds none: retrieval reads both. */
  leansOn?: string;
}

/**
 * The evidence that an `auto` ask concerns the workspace: the question's own, else — a follow-up that names nothing
 * ("And how do I keep old tokens valid?") — the newest earlier question of its conversation that holds some, so the
 * code the conversation is about goes again. Undefined when neither holds any.
 */
export function askEvidence(question: string, earlierQuestions: readonly string[], attached: readonly Attached[], workspace: WorkspaceLookup): AskEvidence | undefined {
  const own = workspaceEvidence(question, attached, workspace);
  if (own !== undefined) return { why: own };
  for (let i = earlierQuestions.length - 1; i >= 0; i--) {
    const earlier = earlierQuestions[i] as string;
    const found = workspaceEvidence(earlier, attached, workspace);
    if (found !== undefined) return { why: `a follow-up: ${found.replace(/^the question\b/, 'an earlier question')}`, leansOn: earlier };
  }
  return undefined;
}

/** The search decision of an `auto` or `always` ask from the workspace's evidence (core/retrieval/retrievalWanted). */
export function searchDecision(retrieval: 'always' | 'auto', evidence: string | undefined, question: string): SearchDecision {
  if (retrieval === 'always') return { searched: true, why: '#codebase asks for it' };
  return evidence === undefined ? { searched: false, why: notSearchedReason(question) } : { searched: true, why: evidence };
}

/**
 * "searched: the question names Router, which the workspace defines; open file: lines 40–88 of router.rs (the
 * definition at the cursor), 1,210 tokens" — the search part only with a workspace, the file part only with one open.
 */
export function decisionLine(search: SearchDecision | undefined, open: Pick<OpenFileShare, 'summary'> | string | undefined): string {
  const parts = [
    ...(search ? [`${search.searched ? 'searched' : 'not searched'}: ${search.why}`] : []),
    ...(open === undefined ? [] : [`open file: ${typeof open === 'string' ? open : open.summary}`]),
  ];
  return parts.join('; ');
}
