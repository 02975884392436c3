/** The "waiting 45 s — rate limited" note of a call that waits before its next attempt, counting down. */
import type { Waiting } from '../presentation/runState';
import { h, setText } from './dom';
import { formatCountdown } from '../presentation/format';

/** The note's text at `now`; empty once the wait is over. */
export function waitingText(waiting: Waiting | undefined, now: number): string {
  if (!waiting) return '';
  const left = waiting.at + waiting.ms - now;
  if (left <= 0) return waiting.reason === '' ? 'retrying…' : `retrying — ${waiting.reason}`;
  return waiting.reason === '' ? `waiting ${formatCountdown(left)}` : `waiting ${formatCountdown(left)} — ${waiting.reason}`;
}

/** A chip showing the countdown; `update` sets the wait, `tick` refreshes the time left. */
export class WaitingChip {
  readonly el = h('span', { class: 'chip waiting', 'data-testid': 'waiting', role: 'timer', 'aria-live': 'off' });
  private waiting: Waiting | undefined;

  constructor() {
    this.el.hidden = true;
  }

  update(waiting: Waiting | undefined, now: number): void {
    this.waiting = waiting;
    this.tick(now);
  }

  tick(now: number): void {
    const text = waitingText(this.waiting, now);
    this.el.hidden = text === '';
    setText(this.el, text);
    if (this.waiting) this.el.title = `The server asked to wait ${Math.round(this.waiting.ms / 1000)} s before the next attempt; Stop cancels the wait.`;
  }
}
