/** The note on a reference or candidate card when SMCS stopped reading its reply and kept it as far as it got. */
import type { ReferencerState } from '../presentation/runState';
import { stoppedNote } from '../presentation/stoppedNote';
import { h, setText } from './dom';

/** The note's element, hidden until a stop is shown. */
export function stoppedNoteElement(): HTMLElement {
  const el = h('p', { class: 'stopped-note', 'data-testid': 'stopped-note', role: 'note' });
  el.hidden = true;
  return el;
}

/** Shows `stop` in `el` ("Stopped after 1 m 00 s, the most one call may take (maxCallMs): …"), or hides it. */
export function showStoppedNote(el: HTMLElement, stop: ReferencerState['stopped']): void {
  el.hidden = stop === undefined;
  const note = stop === undefined ? '' : stoppedNote(stop);
  setText(el, note.charAt(0).toUpperCase() + note.slice(1));
}
