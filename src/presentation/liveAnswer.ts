/**
 * The panel's answer card as the answer is written (issue 68): while the run runs, the first aggregation to write
 * (runState `answerStream`, streamedAnswer `followStream`) shows in it as it grows, said plainly to be not yet chosen;
 * once the run is done the card shows the chosen answer, with a line in the chat's words (streamedAnswer
 * `chosenInstead`) when that is not what it showed. A stopped or failed run has no answer: the card hides, and what the
 * candidate wrote stays on its card, cut short.
 */
import { comparedText } from './candidateGroups';
import type { RunState } from './runState';
import { chosenInstead } from './streamedAnswer';

/** What the answer card shows while the run runs. */
export interface LiveAnswer {
  /** The candidate writing it. */
  index: number;
  /**
   * `writing`: words still coming; `written`: its reply is whole, the others still being written or scored; `broken`: its
   * words stopped before the reply was complete (it failed, or the subsets were drawn again).
   */
  state: 'writing' | 'written' | 'broken';
  /** What it has written so far; empty once broken (its words no longer stand for a reply). */
  text: string;
  /** The line under the card's title: who writes it, and that the choice is still to come. */
  head: string;
}

const CHOICE_TO_COME = 'the choice comes when every candidate is scored';

/** The answer card of a running run whose first aggregation has written; undefined otherwise (nothing written yet, or the run ended). */
export function liveAnswer(run: Pick<RunState, 'status' | 'answerStream' | 'candidates'>): LiveAnswer | undefined {
  const stream = run.answerStream;
  if (run.status !== 'running' || stream === undefined) return undefined;
  // Unnamed once broken: after a redraw, its number is another aggregation's.
  if (stream.broken) return { index: stream.index, state: 'broken', text: '', head: `The reply being written stopped before it was complete; ${CHOICE_TO_COME}` };
  const candidate = run.candidates.find((c) => c.index === stream.index);
  const written = candidate?.status === 'done';
  return { index: stream.index, state: written ? 'written' : 'writing', text: candidate?.text ?? '', head: `${written ? 'Written' : 'Being written'} by candidate ${stream.index + 1}; ${CHOICE_TO_COME}` };
}

/**
 * The line above a finished run's answer when the card showed another reply while it was written — "Chosen instead:
 * candidate 2, which passes more of the checks; candidate 1, shown while it was written, was not chosen." — or one whose
 * words broke off ("…: the reply shown while it was written stopped before it was complete."). Undefined when the
 * answer is the reply it showed (the same text), when nothing was shown, and once the user took a reply of their own
 * (the card then says so).
 */
export function chosenInsteadLine(run: Pick<RunState, 'status' | 'answerStream' | 'answer' | 'selectedBy' | 'choice' | 'candidates' | 'referencers'>): string | undefined {
  const { answerStream: stream, answer } = run;
  if (run.status !== 'done' || stream === undefined || answer === undefined || run.choice !== undefined) return undefined;
  const reply = answer.reply;
  const shown = run.candidates.find((c) => c.index === stream.index);
  const chosen = reply.kind === 'referencer' ? run.referencers.find((r) => r.model === reply.model) : run.candidates.find((c) => c.index === reply.index);
  if (!stream.broken && shown !== undefined && chosen !== undefined && comparedText(chosen.text) === comparedText(shown.text)) return undefined;
  return `Chosen instead: ${chosenInstead({ answer, selectedBy: run.selectedBy ?? 'score' }, stream, 'replaced')}.`;
}
