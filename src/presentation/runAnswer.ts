/**
 * Two fields of the one answer view (./answerView.ts), by the names the chat's code and tests (presentation/chatText,
 * vscode/chat, vscode/languageModel) still import; every other front end reads the view itself.
 */
import type { CheckSummary } from '../core/contracts/checks';
import { answerView } from './answerView';
import type { RunState } from './runState';

/** The answer text currently shown for a run: the chosen candidate's or referencer's text, else the run's answer's. */
export function shownAnswer(run: RunState): string | undefined {
  return answerView(run).text;
}

/** The checks of the reply the user keeps (the chosen or winning candidate, or the referencer's reply shown). */
export function keptReplyChecks(run: RunState): CheckSummary | undefined {
  return answerView(run).checks;
}
