/**
 * The answer of an ask (core/contracts/answer) by the names documents and messages give it: the referencer that
 * answered, and the fields `smcs ask --json` and `smcs serve` have always carried. Pure.
 */
import type { Answer } from '../core/contracts/answer';
import type { ReplyRef, SelectedBy } from '../core/contracts/checks';

/** The referencer whose own reply is the answer; undefined when a candidate is. */
export function answeringModel(answer: Answer | undefined): string | undefined {
  return answer?.reply.kind === 'referencer' ? answer.reply.model : undefined;
}

/** Whether two replies are the same one. */
export function sameReply(a: ReplyRef | undefined, b: ReplyRef | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return a.kind === 'referencer' ? b.kind === 'referencer' && a.model === b.model : b.kind === 'candidate' && a.index === b.index;
}

/**
 * The fields `smcs ask --json` and `smcs serve`'s `smcs` field have always named a referencer's answer with
 * (docs/answers-and-checks.md): `checksReference` (the checks ranked its reply above every candidate), `fallbackReference`
 * (every aggregation failed), `directReference` (no aggregation ran), `agreementReference` (the models' final answers
 * chose its reply, `selectedBy: "agreement"`) — mapped from the answer and how it was selected, never stored.
 */
export function referenceFields(answer: Answer, selectedBy: SelectedBy | undefined): { checksReference?: string; fallbackReference?: string; directReference?: string; agreementReference?: string } {
  const model = answeringModel(answer);
  if (model === undefined) return {};
  switch (answer.because) {
    case 'checks':
      return { checksReference: model };
    case 'fallback':
      return { fallbackReference: model };
    case 'agreement':
      return selectedBy === 'agreement' ? { agreementReference: model } : { directReference: model };
    case 'routed':
      return { directReference: model };
    case 'score':
    case 'user':
      return {};
  }
}
