/**
 * Where the models agree, in the panel (issue 44): the line above the answer ("3 of 3 models answer (D)", or how they
 * split and why the answer was chosen) with its "models disagree" note when the choice was close, and the badge of a
 * reply's final answer on its card. The words are presentation/agreementLine's, which the CLI and the server print too.
 */
import { agreementLine } from '../presentation/agreementLine';
import type { RunState } from '../presentation/runState';
import { h, setAttr, setText } from './dom';

/** A reply's final answer as a badge ("(D)", "42", "yes"); null when it states none. */
export function finalAnswerBadge(label: string | undefined): HTMLElement | null {
  return label === undefined ? null : h('span', { class: 'badge final-answer', 'data-testid': 'final-answer', title: `Final answer read from this reply: ${label}` }, label);
}

/** The line above the answer; hidden when no final answers were read. */
export class AgreementView {
  private readonly text = h('span', { class: 'agreement-text', 'data-testid': 'agreement-text' });
  private readonly disagree = h('span', { class: 'chip disagree', 'data-testid': 'models-disagree' });
  readonly el = h('p', { class: 'agreement-line', 'data-testid': 'agreement-line' }, this.text, this.disagree);

  /** `name` shortens model keys as the run's cards do. */
  update(run: RunState, name: (model: string) => string): void {
    const line = agreementLine(run.agreement, name);
    this.el.hidden = line === undefined;
    setText(this.text, line?.text ?? '');
    this.disagree.hidden = line?.disagree === undefined;
    setText(this.disagree, line?.disagree ?? '');
    setAttr(this.disagree, 'title', line?.disagree === undefined ? undefined : 'The chosen answer leads the next by less than 3 to 1 by the models’ weights on similar questions: compare the replies before relying on it.');
  }
}
