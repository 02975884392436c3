/**
 * Who answered an ask, and why: the one value every front end reads (the CLI, the panel, `smcs serve`, VS Code's
 * chat), instead of the optional reference fields each used to resolve its own way (issue 43).
 */
import type { ReplyRef } from './checks';

/**
 * Why a reply is the answer: `score` the hybrid score ranked it first among the candidates; `checks` the checks'
 * ranking did (a candidate, or a referencer's own reply above every candidate) — the checks, or on a tie what broke it,
 * which the result's `selectedBy` names; `fallback` every aggregation failed, so a reference
 * answers; `agreement` the referencers agreed, so no aggregation ran, or the models' final answers chose it
 * (`selectedBy: "agreement"`, core/ask/answerChoice); `routed` the routing (the cost limit) left no aggregation;
 * `user` the user took this reply in the panel instead of the run's answer.
 */
export type Because = 'score' | 'checks' | 'fallback' | 'agreement' | 'routed' | 'user';

/** The reply that is the answer, and why it is. */
export interface Answer {
  reply: ReplyRef;
  because: Because;
}

/** The replies an answer can name: an ask's result, or the panel's state of a run. */
export interface AnswerReplies {
  referencers: readonly { model: string; text: string }[];
  candidates: readonly { index: number; text: string }[];
}

/** The text of one reply; undefined when the replies have no such reply. */
export function replyText(replies: AnswerReplies, ref: ReplyRef): string | undefined {
  return ref.kind === 'referencer' ? replies.referencers.find((r) => r.model === ref.model)?.text : replies.candidates.find((c) => c.index === ref.index)?.text;
}

/** The answer's text: the named reply's (empty when the replies lack it). */
export function answerText(result: AnswerReplies & { answer: Answer }): string {
  return replyText(result, result.answer.reply) ?? '';
}
