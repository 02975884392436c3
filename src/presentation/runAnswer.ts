/**
 * The answer text a run shows, by the name the SMCS chat model's test (vscode/languageModel/test) still imports: a
 * field of the one answer view (./answerView.ts), which every front end reads.
 */
import { answerView } from './answerView';
import type { RunState } from './runState';

/** The answer text currently shown for a run: the chosen candidate's or referencer's text, else the run's answer's. */
export function shownAnswer(run: RunState): string | undefined {
  return answerView(run).text;
}
