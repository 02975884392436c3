/**
 * What a run shows as its answer, read from the one answer type (core/contracts/answer): the run's own answer, or
 * the reply the user took instead — for the panel's cards, the answer section, Apply and the feedback it learns from.
 */
import type { Answer } from '../core/contracts/answer';
import { answeringModel, referenceFields } from './answerNames';
import type { CheckSummary } from '../core/contracts/checks';
import type { RunState } from './runState';

/** The answer shown: the reply the user took (`because: user`), else the run's own; undefined before the run is done. */
export function shownReply(run: Pick<RunState, 'answer' | 'choice'>): Answer | undefined {
  return run.choice !== undefined ? { reply: run.choice, because: 'user' } : run.answer;
}

/**
 * The referencer whose reply the run itself answered with: no aggregation ran, every aggregation failed, the checks
 * ranked it above every candidate, or it holds the final answer the models' answers chose. Undefined when a candidate
 * is the answer.
 */
export function answeringReference(run: Pick<RunState, 'answer'>): string | undefined {
  return answeringModel(run.answer);
}

/** The run's answer by the names the result document gives it: `checksReference`, `fallbackReference`, `directReference`, `agreementReference`. */
export function answerReferences(run: Pick<RunState, 'answer' | 'selectedBy'>): ReturnType<typeof referenceFields> {
  return run.answer === undefined ? {} : referenceFields(run.answer, run.selectedBy);
}

/** The candidate the user chose instead of the run's answer (undefined: none, or a referencer's reply). */
export function chosenCandidate(run: Pick<RunState, 'choice'>): number | undefined {
  return run.choice?.kind === 'candidate' ? run.choice.index : undefined;
}

/** The referencer whose reply the user took instead of the run's answer. */
export function chosenReference(run: Pick<RunState, 'choice'>): string | undefined {
  return run.choice?.kind === 'referencer' ? run.choice.model : undefined;
}

/** What the winning candidate is, in the user's words: the winner, or only the best candidate when the checks or the final answers chose a reference instead. */
export function winnerName(run: Pick<RunState, 'answer' | 'selectedBy'>): 'winner' | 'best candidate' {
  const { checksReference, agreementReference } = answerReferences(run);
  return checksReference === undefined && agreementReference === undefined ? 'winner' : 'best candidate';
}

/** Index of the candidate whose text is the shown answer: the user's choice, else the run's (-1 = none, or a referencer's reply). */
export function effectiveChoice(run: Pick<RunState, 'answer' | 'choice' | 'winner'>): number {
  const shown = shownReply(run);
  if (shown === undefined) return run.winner ?? -1;
  return shown.reply.kind === 'candidate' ? shown.reply.index : -1;
}

/** The referencer whose reply is shown as the answer: the one the user took, else the one the run answered with (undefined: a candidate's). */
export function keptReference(run: Pick<RunState, 'answer' | 'choice'>): string | undefined {
  const shown = shownReply(run);
  return shown?.reply.kind === 'referencer' ? shown.reply.model : undefined;
}

/** The answer text currently shown for a run: the chosen candidate's or referencer's text, else the run's answer's. */
export function shownAnswer(run: RunState): string | undefined {
  const reply = shownReply(run)?.reply;
  if (reply === undefined) return undefined;
  return reply.kind === 'referencer' ? run.referencers.find((r) => r.model === reply.model)?.text : run.candidates.find((c) => c.index === reply.index)?.text;
}

/** The checks of the reply the user keeps (the chosen or winning candidate, or the referencer's reply shown). */
export function keptReplyChecks(run: RunState): CheckSummary | undefined {
  const reference = keptReference(run);
  if (reference !== undefined) return run.referencers.find((r) => r.model === reference)?.checks;
  return run.candidates.find((c) => c.index === effectiveChoice(run))?.checks;
}
