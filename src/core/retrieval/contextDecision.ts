/**
 * The one line each ask's context notes carry saying what decided what went (issue 42): whether the workspace was
 * searched and on what evidence, and what part of the open file went. Every front end's ask reaches it through the
 * engine (engine/workspaceContext), so the panel, the palette and the CLI say the same for the same question.
 */
import { workspaceEvidence, type Attached, type SearchEvidence, type WorkspaceLookup } from './searchEvidence';
import type { OpenFileShare } from './openFileShare';

/** Whether the workspace was searched, and why in words. */
export interface SearchDecision {
  searched: boolean;
  why: string;
}

/** What shows that an ask concerns the workspace, or why nothing does; and the earlier question the evidence is in, if any. */
export interface AskEvidence extends SearchEvidence {
  /** The conversation's earlier question the evidence is in, when the question itself holds none: retrieval reads both. */
  leansOn?: string;
}

/**
 * The evidence that an `auto` ask concerns the workspace (core/retrieval/searchEvidence): the question's own, else — a
 * follow-up that says little ("And how do I keep old tokens valid?") — the newest earlier question of its conversation
 * that holds some, so the code the conversation is about goes again. When neither holds any, the question's own reason.
 */
export function askEvidence(question: string, earlierQuestions: readonly string[], attached: readonly Attached[], workspace: WorkspaceLookup): AskEvidence {
  const own = workspaceEvidence(question, attached, workspace);
  if (own.found) return own;
  for (let i = earlierQuestions.length - 1; i >= 0; i--) {
    const earlier = earlierQuestions[i] as string;
    const found = workspaceEvidence(earlier, attached, workspace);
    if (found.found) return { found: true, why: `a follow-up: ${found.why.replace(/^the question\b/, 'an earlier question').replace(/^its words\b/, "an earlier question's words")}`, leansOn: earlier };
  }
  return own;
}

/** The search decision of an `auto` or `always` ask from the workspace's evidence. */
export function searchDecision(retrieval: 'always' | 'auto', evidence: SearchEvidence | undefined): SearchDecision {
  if (retrieval === 'always') return { searched: true, why: '#codebase asks for it' };
  return evidence === undefined ? { searched: false, why: 'only what the user attached was asked for' } : { searched: evidence.found, why: evidence.why };
}

/**
 * "searched: the question names Router, which the workspace defines; open file: lines 40–88 of router.rs (the
 * definition at the cursor), 1,210 tokens; what the selection calls: set_cell_size (rich/cells.py)" — the search part
 * only with a workspace, the file part only with one open, the last only when definitions were looked up and found
 * (`found`: their items, each `defines <name>`), so a question not searched still says why files of the workspace went.
 */
export function decisionLine(search: SearchDecision | undefined, open: Pick<OpenFileShare, 'summary'> | string | undefined, found: readonly { path: string; reason: string }[] = []): string {
  const definitions = found.map((item) => `${item.reason.replace(/^defines /, '')} (${item.path})`);
  const parts = [
    ...(search ? [`${search.searched ? 'searched' : 'not searched'}: ${search.why}`] : []),
    ...(open === undefined ? [] : [`open file: ${typeof open === 'string' ? open : open.summary}`]),
    ...(definitions.length === 0 ? [] : [`what the selection calls: ${[...new Set(definitions)].join(', ')}`]),
  ];
  return parts.join('; ');
}
