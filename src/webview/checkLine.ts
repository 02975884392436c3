/**
 * A reply card's check line: "✓ passes 3/3 examples", "running 3 examples…", "not checked", or — when the reply fails
 * some — a disclosure whose summary is the line and whose body shows each failed check: what the reply was given,
 * the expected and the actual output, and its error output, in blocks that wrap and scroll inside the card.
 */
import { h, setAttr } from './dom';
import { visibleOutput, type CheckLineView, type FailedCheck } from './checkReport';

const ICONS: Record<CheckLineView['state'], string> = { passed: '✓', failed: '✗', running: '○', none: '–' };

/** One labelled block of program text (`testId` for UI tests); nothing when there is no text. */
function outputBlock(name: string, text: string | undefined, testId: string): HTMLElement[] {
  if (text === undefined) return [];
  const shown = text === '' ? h('span', { class: 'muted' }, '(nothing)') : h('pre', { class: 'check-output', 'data-testid': testId, tabindex: 0 }, visibleOutput(text));
  return [h('dt', {}, name), h('dd', {}, shown)];
}

function failureItem(f: FailedCheck): HTMLElement {
  return h(
    'li',
    { class: 'check-failure', 'data-testid': 'check-failure' },
    h('div', { class: 'check-failure-head' }, h('span', { class: 'check-label' }, f.label), ` — ${f.outcome}`),
    h(
      'dl',
      { class: 'check-io' },
      ...(f.given ? outputBlock(f.given.name, f.given.text, 'check-given') : []),
      ...outputBlock('Expected', f.expected, 'check-expected'),
      ...outputBlock('Got', f.actual, 'check-actual'),
      ...outputBlock('Error', f.error, 'check-error'),
    ),
  );
}

export class CheckLine {
  readonly el = h('div', { class: 'check-line', 'data-testid': 'check-line' });

  update(view: CheckLineView | undefined): void {
    this.el.hidden = view === undefined;
    setAttr(this.el, 'data-state', view?.state);
    const key = JSON.stringify(view ?? null);
    if (this.el.getAttribute('data-key') === key) return;
    this.el.setAttribute('data-key', key);
    if (view === undefined) {
      this.el.replaceChildren();
      return;
    }
    const line = [h('span', { class: 'check-icon', 'aria-hidden': 'true' }, ICONS[view.state]), h('span', { class: 'check-text', 'data-testid': 'check-text' }, view.text)];
    if (view.state !== 'failed' || view.failed.length === 0) {
      this.el.replaceChildren(...line);
      setAttr(this.el, 'title', view.state === 'none' ? view.why : undefined);
      if (view.state === 'none' && view.why !== undefined) this.el.append(h('span', { class: 'visually-hidden' }, `: ${view.why}`));
      return;
    }
    setAttr(this.el, 'title', undefined);
    const count = view.failed.length;
    this.el.replaceChildren(
      h(
        'details',
        { class: 'check-details', 'data-testid': 'check-details' },
        h('summary', { 'data-testid': 'check-summary', title: `Show the ${count === 1 ? 'check' : `${count} checks`} it does not pass: expected and actual output` }, ...line),
        h('ol', { class: 'check-failures', 'aria-label': 'Checks it does not pass' }, ...view.failed.map(failureItem)),
      ),
    );
  }
}
