/**
 * What the front ends show of a choice by the final answers (issue 44, item 3), beside the vote itself: each reply's
 * final answer worded as the split entry it falls in (so "1/2" and "0.5" read as one answer wherever the vote counted
 * them as one), every entry's support, whether the bank kept top-1's answer or the replies' working decided, whether
 * the answers are options, and which replies worked their option out. Pure.
 */
import { compareFinalAnswers, describeAnswer, type FinalAnswer, type MathEquivalence } from '../grading/finalAnswer';
import type { AnswerVote, Voter } from '../posterior/answerVote';
import type { ReplyRef } from '../contracts/checks';
import type { AgreementSummary } from '../contracts/events';

/** A reply, the final answer it states (null: none), and whether its working arrives at that option's value. */
export interface StatedAnswer {
  reply: ReplyRef;
  answer: FinalAnswer | null;
  worked: boolean;
}

/** The split with its supports, the bank's verdict, whether the answers are options and each reply's answer, for the agreement summary. */
export function voteDetail(vote: AnswerVote, voters: readonly Voter[], stated: readonly StatedAnswer[], same?: MathEquivalence): Pick<AgreementSummary, 'split' | 'keptTop1' | 'options' | 'answers' | 'byWorking'> {
  // An entry is worded as its first voter's answer (posterior/answerVote groups by each group's first answer).
  const first = (entry: AnswerVote['split'][number]): FinalAnswer | null => voters.find((v) => v.model === entry.models[0] && v.answer !== null && describeAnswer(v.answer) === entry.answer)?.answer ?? null;
  const entries = vote.split.map((entry) => ({ entry, first: first(entry) }));
  const worded = (answer: FinalAnswer): string => entries.find((e) => e.first !== null && compareFinalAnswers(e.first, answer, undefined, same) === 1)?.entry.answer ?? describeAnswer(answer);
  return {
    split: vote.split.map((s) => ({ answer: s.answer, models: s.models, support: s.support })),
    ...(vote.fallback ? { keptTop1: true } : {}),
    ...(vote.byWorking ? { byWorking: true } : {}),
    ...(stated.every((s) => s.answer === null || s.answer.kind === 'choice') ? { options: true } : {}),
    answers: stated.map((s) => ({ reply: s.reply, answer: s.answer === null ? null : worded(s.answer), ...(s.worked ? { worked: true as const } : {}) })),
  };
}
