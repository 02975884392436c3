/**
 * The document `smcs ask --json` prints (docs/cli-and-server.md; docs/design-notes.md "Contracts" lists what it adds): the ask's result,
 * its answer as text with the reply it is (`answeredBy`) and the reference fields named from it; for a code question every referencer
 * and candidate carries `checks` — a reply that was not run counts 0 passed and says why in `notRun` — and
 * `checksTie` says whether the checks ran and favoured no reply (the hybrid score decided).
 */
import type { CheckSummary } from '../core/contracts/checks';
import type { CheckSet } from '../core/contracts/checks';
import { answerText, type Answer } from '../core/contracts/answer';
import { referenceFields } from '../presentation/answerNames';
import type { AskResult, CandidateOutcome, ReferenceOutcome } from '../core/contracts/events';

/** A reply's checks in the document: the counts, and why nothing ran when nothing did. */
export type ReplyCheckSummary = CheckSummary & { notRun?: string };

export type AskDocument = Omit<AskResult, 'referencers' | 'candidates' | 'answer'> & {
  referencers: (ReferenceOutcome & { checks?: ReplyCheckSummary })[];
  candidates: (CandidateOutcome & { checks?: ReplyCheckSummary })[];
  /** The answer's text. */
  answer: string;
  /** The reply that is the answer and why (`{reply: {kind, model | index}, because}`, core/contracts/answer). */
  answeredBy: Answer;
  /** A referencer's reply answers: chosen by the checks over every candidate, every aggregation failed, none ran. */
  checksReference?: string;
  fallbackReference?: string;
  directReference?: string;
  /** Present for a code question: true when replies were run and the checks favour none of them. */
  checksTie?: boolean;
};

/** Why a reply has no runs: the reply failed, the checks could not run at all, or it had no code they could run. */
function notRunReason(reply: { ok: boolean }, set: CheckSet): string {
  if (!reply.ok) return 'the reply failed';
  if (set.unverifiable !== undefined) return set.unverifiable;
  if (set.checks.length === 0) return set.error ?? 'no tests were written';
  return set.error ?? 'no code the checks could run';
}

function withChecks<T extends ReferenceOutcome | CandidateOutcome>(reply: T, set: CheckSet): T & { checks: ReplyCheckSummary } {
  if (reply.checks) return { ...reply, checks: reply.checks };
  return { ...reply, checks: { total: set.checks.length, passed: 0, failed: 0, errored: 0, timedOut: 0, source: set.source, notRun: notRunReason(reply, set) } };
}

/** Whether the checks ran on some reply and favoured none (a tie: the hybrid score chose the winner). */
export function isChecksTie(result: Pick<AskResult, 'referencers' | 'candidates' | 'bestByChecks'>): boolean {
  return result.bestByChecks === null && [...result.referencers, ...result.candidates].some((r) => r.checks !== undefined);
}

export function askDocument(result: AskResult): AskDocument {
  const document = { ...result, answer: answerText(result), answeredBy: result.answer, ...referenceFields(result.answer, result.selectedBy) };
  const set = result.checkSet;
  if (set === undefined) return document;
  return {
    ...document,
    referencers: result.referencers.map((r) => withChecks(r, set)),
    candidates: result.candidates.map((c) => withChecks(c, set)),
    checksTie: isChecksTie(result),
  };
}
