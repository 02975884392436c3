/**
 * A turn's notice about the models it asked without knowing them: the run's unprofiled models — exactly those "Why these
 * models" marks (presentation/unprofiled) — when it left some of them out, with Profile them and Use them anyway, which asks
 * the question again with the left-out ones added to the referencers. A run asked again that way shows no notice, and
 * the new run says which models it added.
 */
import type { RunState } from '../presentation/runState';
import { leftOutUnprofiled, unprofiledModels } from '../presentation/unprofiled';
import { commandButton, h, setAttr } from './dom';

/** "a", "a and b", "a, b and c": each name a span the UI tests can read. */
function nameList(models: readonly string[], testId: string): (HTMLElement | string)[] {
  return models.flatMap((m, i) => [...(i === 0 ? [] : [i === models.length - 1 ? ' and ' : ', ']), h('span', { class: 'unprofiled-name', 'data-testid': testId, 'data-model': m }, m)]);
}

/** The notice's sentence: which models had no label among the similar questions, and which of them the run left out. */
function noticeText(run: RunState, unprofiled: readonly string[], left: readonly string[]): (HTMLElement | string)[] {
  const one = unprofiled.length === 1;
  const names = nameList(unprofiled, 'unprofiled-model');
  if (run.selectionFallback !== undefined) {
    const answered = unprofiled.length - left.length;
    return [...names, `: no label among the similar questions, so the first ${answered} configured answered and `, ...nameList(left, 'unprofiled-left-out'), ` ${left.length === 1 ? 'was' : 'were'} left out.`];
  }
  // Far from the bank they were ranked with the best profiled model (core/routing/exploration): only a tie, or more of them than seats, leaves one out.
  const ranked = run.routing?.far ? "the best of the others, the bank having nothing close to this question" : "the others' mean";
  if (left.length === unprofiled.length) return [...names, ` ${one ? 'has' : 'have'} no label among the similar questions, so ${one ? 'it was' : 'they were'} ranked with ${ranked} and left out.`];
  return [...names, ` ${one ? 'has' : 'have'} no label among the similar questions (ranked with ${ranked}); `, ...nameList(left, 'unprofiled-left-out'), ` ${left.length === 1 ? 'was' : 'were'} left out.`];
}

export class UnprofiledNotice {
  readonly el = h('div', { class: 'unprofiled-notice', 'data-testid': 'unprofiled-notice', role: 'status' });
  private askedAgain = false;
  private key = '';

  constructor() {
    this.el.hidden = true;
  }

  /** Another run asked this one's question again with its left-out models: the notice has done its work. */
  markAskedAgain(): void {
    this.askedAgain = true;
    this.el.hidden = true;
  }

  update(run: RunState): void {
    const unprofiled = unprofiledModels(run);
    const left = leftOutUnprofiled(run);
    const added = run.askedAgain?.models ?? [];
    const key = JSON.stringify([run.status, unprofiled, left, added, this.askedAgain]);
    if (key === this.key) return;
    this.key = key;
    const offer = run.status === 'done' && left.length > 0 && !this.askedAgain;
    this.el.hidden = !offer && added.length === 0;
    setAttr(this.el, 'data-kind', offer ? 'offer' : 'added');
    if (!offer) {
      this.el.replaceChildren(h('p', { class: 'unprofiled-line' }, 'Asked again with ', ...nameList(added, 'unprofiled-added'), ' added to the referencers (no label among the similar questions).'));
      return;
    }
    const them = left.length === 1 ? 'it' : 'them';
    this.el.replaceChildren(
      h(
        'p',
        { class: 'unprofiled-line' },
        ...noticeText(run, unprofiled, left),
        ' ',
        commandButton('smcs.profileModels', `Profile ${unprofiled.length === 1 ? 'it' : 'them'}`, 'unprofiled-profile', { secondary: false, size: 'small' }),
        h('span', { 'aria-hidden': 'true' }, ' · '),
        h(
          'button',
          { type: 'button', class: 'link-button', 'data-action': 'ask-again-with', 'data-run-id': run.id, 'data-models': JSON.stringify(left), 'data-testid': 'unprofiled-use-anyway', title: `Ask this question again with ${left.join(', ')} added to the referencers` },
          `Use ${them} anyway`,
        ),
      ),
    );
  }
}
