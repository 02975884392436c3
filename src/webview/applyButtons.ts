/**
 * The Apply button of each code block of the answer (the reply the user keeps): "Apply to parse.ts", the file the
 * question was asked from, or "Apply to editor" (the active one when clicked) when it was asked from none. A block
 * whose fence language does not fit that file's (a Python block, asked from a .ts file) has none: it keeps Copy,
 * Insert and Open. Added after the markdown is rendered, so the candidates' and references' blocks keep only those.
 */
import { fenceFitsLanguage } from '../presentation/languageIds';
import type { RunState } from '../presentation/runState';
import { h, setAttr, setText } from './dom';

/** The button's words for a run. */
export function applyLabel(run: Pick<RunState, 'origin'>): string {
  return `Apply to ${run.origin?.name ?? 'editor'}`;
}

/** Gives every code block inside `answer` its Apply button (once), labelled for `run`. */
export function addApplyButtons(answer: HTMLElement, run: Pick<RunState, 'id' | 'origin'>): void {
  const label = applyLabel(run);
  const title = run.origin ? `Review this code as a change to ${run.origin.name}, then accept or reject it` : 'Review this code as a change to the file open in the editor, then accept or reject it';
  const fileLanguage = run.origin?.languageId;
  for (const toolbar of answer.querySelectorAll<HTMLElement>('.code-block > .code-toolbar')) {
    const fence = toolbar.closest<HTMLElement>('.code-block')?.getAttribute('data-lang') ?? '';
    if (fileLanguage !== undefined && !fenceFitsLanguage(fence, fileLanguage)) continue;
    const existing = toolbar.querySelector<HTMLButtonElement>('[data-testid="code-apply"]');
    if (existing) {
      setText(existing, label);
      setAttr(existing, 'title', title);
      continue;
    }
    toolbar.append(h('button', { type: 'button', class: 'code-btn code-apply', 'data-action': 'code-apply', 'data-run-id': run.id, 'data-testid': 'code-apply', title, 'aria-label': title }, label));
  }
}
