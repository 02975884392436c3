/**
 * Where the panel scrolls to keep a run in view: while it streams, the answer as it is written (or the end, where its
 * replies stream) for as long as the user has not scrolled away; when a turn ends or a conversation is reopened, its
 * answer's first lines (see docs/design-notes.md, "The panel after a run").
 */
import type { RunView } from './runView';

/** Lines of a finished answer that must show when the panel brings it into view, and the room left above it. */
const ANSWER_LINES_SHOWN = 4;
const ANSWER_MARGIN_PX = 4;
/** How near the place following a live run keeps the view (its end, or its answer as it is written) the user still follows it. */
const FOLLOW_PX = 120;

export class RunFollower {
  /** `composer`: the question box, fixed at the foot of the view (what is under it is hidden). */
  constructor(private readonly composer: HTMLElement) {}

  /** Whether the user follows a live run: at the end of the conversation, or where following its answer as it is written put them. */
  isFollowing(view: RunView | undefined): boolean {
    const top = this.answerFollowTop(view);
    const el = document.scrollingElement ?? document.documentElement;
    return this.isNearBottom() || (top !== undefined && Math.abs(top - el.scrollTop) < FOLLOW_PX);
  }

  /** Keeps a live run in view: the answer as it is written, when the card shows one, else the end where its replies stream. */
  follow(view: RunView | undefined): void {
    const top = this.answerFollowTop(view);
    if (top === undefined) return this.scrollToEnd();
    (document.scrollingElement ?? document.documentElement).scrollTop = top;
  }

  /**
   * Shows a turn's answer at the top of the view: from the turn's question when the answer's first lines still fit
   * below it (above the question box), else from the answer itself. A turn without an answer (running, failed,
   * stopped) shows the end of the conversation instead, where its banner and replies are.
   */
  showAnswer(view: RunView): void {
    if (view.answer.hidden) {
      this.scrollToEnd();
      return;
    }
    const el = document.scrollingElement ?? document.documentElement;
    const room = window.innerHeight - this.composer.offsetHeight;
    const runTop = view.root.getBoundingClientRect().top + el.scrollTop;
    const answerTop = view.answer.getBoundingClientRect().top + el.scrollTop;
    const firstLines = ANSWER_LINES_SHOWN * (parseFloat(getComputedStyle(view.answer).lineHeight) || 20);
    el.scrollTop = answerTop - runTop + firstLines <= room ? runTop : answerTop - ANSWER_MARGIN_PX;
  }

  scrollToEnd(): void {
    const el = document.scrollingElement ?? document.documentElement;
    el.scrollTop = el.scrollHeight;
  }

  private isNearBottom(): boolean {
    const el = document.scrollingElement ?? document.documentElement;
    return el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_PX;
  }

  /**
   * Where following a run puts the view while its answer is written: the answer's end just above the question box, but
   * never its head under the live run's stage strip — a long answer is read from its top as it grows. Undefined when
   * the run's answer card shows no candidate being written.
   */
  private answerFollowTop(view: RunView | undefined): number | undefined {
    if (view === undefined || !view.writing) return undefined;
    const el = document.scrollingElement ?? document.documentElement;
    const room = window.innerHeight - this.composer.offsetHeight;
    const answer = view.answer.getBoundingClientRect();
    const shift = Math.min(answer.bottom + ANSWER_MARGIN_PX - room, answer.top - view.stripHeight - ANSWER_MARGIN_PX);
    return Math.max(0, Math.min(el.scrollTop + shift, el.scrollHeight - el.clientHeight));
  }
}
