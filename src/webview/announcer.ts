/** The panel's aria-live region: says when a run ends, how (which answer won, stopped, failed), for screen readers. */
import type { RunState } from '../presentation/runState';
import { answerReferences, answerView, candidatePhrase, referenceChooser } from '../presentation/answerView';
import { h, setText } from './dom';
import { shortModelNames } from './modelNames';

export class Announcer {
  readonly el = h('div', { class: 'visually-hidden', 'aria-live': 'polite', 'data-testid': 'announcer' });

  announce(run: RunState): void {
    let text: string;
    if (run.status === 'done') {
      const choice = answerView(run).candidate;
      const reference = answerReferences(run).checksReference;
      if (choice >= 0) text = `Answer ready: ${candidatePhrase(run, run.winner ?? choice)} won.`;
      else if (reference !== undefined) text = `Answer ready: ${shortModelNames(run.referencers.map((r) => r.model)).get(reference) ?? reference}'s reply, chosen by ${referenceChooser(run.selectedBy)}.`;
      else text = 'Answer ready.';
    } else if (run.status === 'cancelled') {
      text = 'Run stopped.';
    } else {
      text = `Run failed: ${run.error?.message ?? 'unknown error'}`;
    }
    setText(this.el, '');
    setTimeout(() => setText(this.el, text), 50);
  }
}
