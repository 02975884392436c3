/**
 * The Apply button of each code block of the answer (the reply the user keeps): "Apply to parse.ts", the file the
 * question was asked from, or "Apply to editor" (the active one when clicked) when it was asked from none. Added
 * after the markdown is rendered, so the candidates' and references' blocks keep only Copy / Insert / Open.
 */
import type { RunState } from '../shared/runState';
import { h, setAttr, setText } from './dom';

/** The button's words for a run. */
export function applyLabel(run: Pick<RunState, 'origin'>): string {
  return `Apply to ${run.origin?.name ?? 'editor'}`;
}

/** Gives every code block inside `answer` its Apply button (once), labelled for `run`. */
export function addApplyButtons(answer: HTMLElement, run: Pick<RunState, 'id' | 'origin'>): void {
  const label = applyLabel(run);
  const title = run.origin ? `Review this code as a change to ${run.origin.name}, then accept or reject it` : 'Review this code as a change to the file open in the editor, then accept or reject it';
  for (const toolbar of answer.querySelectorAll<HTMLElement>('.code-block > .code-toolbar')) {
    const existing = toolbar.querySelector<HTMLButtonElement>('[data-testid="code-apply"]');
    if (existing) {
      setText(existing, label);
      setAttr(existing, 'title', title);
      continue;
    }
    toolbar.append(h('button', { type: 'button', class: 'code-btn code-apply', 'data-action': 'code-apply', 'data-run-id': run.id, 'data-testid': 'code-apply', title, 'aria-label': title }, label));
  }
}
