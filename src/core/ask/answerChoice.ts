/**
 * The answer by the models' final answers (issue 44), for a question that has one and no code checks: each reply's
 * final answer read (grading/finalAnswer), the referencers' votes weighted by their reliability on the support set
 * (routing/reliability) and by whether their working arrives at the value of the option they pick
 * (grading/derivedOption), the margin the bank chose (posterior/answerVote) — and the reply shown: the best-scored
 * candidate holding the chosen answer (its hybrid total, log-probabilities included, compares only replies with that
 * answer), else the highest-prior referencer holding it; either way a reply that states no other answer on the way
 * before one that does, and then one written in the form the question asks for ("The answer is (X)") before one that is
 * not. Pure.
 */
import { askedAnswerForm } from '../grading/askedForm';
import { derivesOption } from '../grading/derivedOption';
import { answerShape, compareFinalAnswers, finalAnswer, statedAnswers, type FinalAnswer, type MathEquivalence } from '../grading/finalAnswer';
import { voteOnAnswers, type AnswerVote, type Voter } from '../posterior/answerVote';
import { reliabilities } from '../routing/reliability';
import { voteDetail, type StatedAnswer } from './voteDetail';
import type { PriorShrinkage } from '../routing/shrinkage';
import type { ReplyRef } from '../contracts/checks';
import type { AgreementSummary, CandidateOutcome, ReferenceOutcome } from '../contracts/events';
import type { PriorInfo, SupportSet } from '../contracts/priorSource';

export interface AnswerChoiceInput {
  question: string;
  /** The referencers that answered. */
  arrived: readonly ReferenceOutcome[];
  candidates: readonly CandidateOutcome[];
  priors: readonly PriorInfo[];
  aggregator: string;
  support?: SupportSet;
  shrinkage?: PriorShrinkage;
  same?: MathEquivalence;
}

/** The vote and the replies it puts first in the ranking: the reply shown (a referencer's or a candidate's), then the best candidate holding the answer. */
export interface AnswerChoice {
  vote: AnswerVote;
  picks: ReplyRef[];
  agreement: AgreementSummary;
}

const EMPTY_SUPPORT: SupportSet = { bankSize: 0, ids: [], similarities: [], columns: new Map() };

/** The answer by the final answers (see the module comment); null when no referencer states one. */
export function chooseByAnswers(input: AnswerChoiceInput): AnswerChoice | null {
  const prior = (model: string): number => input.priors.find((p) => p.model === model)?.prior ?? 0;
  const arrived = [...input.arrived].sort((a, b) => prior(b.model) - prior(a.model));
  const answerOf = (text: string) => finalAnswer(text, input.question);
  const { shares, rows } = reliabilities(input.support ?? EMPTY_SUPPORT, arrived.map((r) => r.model), input.shrinkage);
  // A reasoning model's thinking, streamed apart from its reply, is working too.
  const worked = (reply: { text: string; reasoning: string }, answer: FinalAnswer | null): boolean =>
    answer?.kind === 'choice' && derivesOption(reply.reasoning === '' ? reply.text : `${reply.reasoning}\n${reply.text}`, input.question, answer.letter) === true;
  const voters: Voter[] = arrived.map((r) => {
    const answer = answerOf(r.text);
    return { model: r.model, answer, reliability: shares.get(r.model) ?? 0.5, worked: worked(r, answer) };
  });
  const scored = input.candidates.filter((c) => c.ok).map((c) => {
    const answer = answerOf(c.text);
    return { c, answer, worked: worked(c, answer) };
  });
  const best = [...scored].sort((a, b) => b.c.total - a.c.total || a.c.index - b.c.index)[0];
  if (best && best.answer !== null) {
    const reliability = Math.min(...best.c.subset.map((m) => shares.get(m) ?? 0.5));
    voters.push({ model: input.aggregator, answer: best.answer, reliability, subset: best.c.subset, worked: best.worked });
  }
  const shape = answerShape(input.question);
  const vote = voteOnAnswers({ voters, bank: rows, options: shape.kind === 'choice' ? shape.labels.length : shape.kind === 'yesno' ? 2 : 0, ...(input.same ? { same: input.same } : {}) });
  if (vote === null) return null;
  const holds = (text: string): boolean => {
    const answer = answerOf(text);
    return answer !== null && compareFinalAnswers(answer, vote.answer, undefined, input.same) === 1;
  };
  // Replies that state no other answer on the way come first: they show the chosen answer plainly; then those that
  // write it in the form the question asks for, where the asker looks for it.
  const plain = (text: string): number => (statedAnswers(text, input.question).every((a) => compareFinalAnswers(a, vote.answer, undefined, input.same) === 1) ? 1 : 0);
  const form = askedAnswerForm(input.question);
  const shown = (text: string): number => 2 * plain(text) + (form?.test(text) === true ? 1 : 0);
  const candidate = scored.filter(({ c }) => holds(c.text)).sort((a, b) => shown(b.c.text) - shown(a.c.text) || b.c.total - a.c.total || a.c.index - b.c.index)[0]?.c;
  const referenceHolding = arrived.filter((r) => holds(r.text)).sort((a, b) => shown(b.text) - shown(a.text))[0];
  const reference = candidate && (referenceHolding === undefined || shown(candidate.text) >= shown(referenceHolding.text)) ? null : (referenceHolding?.model ?? null);
  const stating = voters.filter((v) => v.subset === undefined && v.answer !== null).length;
  const chosen = vote.split[0];
  const stated: StatedAnswer[] = [
    ...voters.filter((v) => v.subset === undefined).map((v) => ({ reply: { kind: 'referencer' as const, model: v.model }, answer: v.answer, worked: v.worked === true })),
    ...scored.map(({ c, answer, worked }) => ({ reply: { kind: 'candidate' as const, index: c.index }, answer, worked })),
  ];
  return {
    vote,
    picks: [...(reference !== null ? [{ kind: 'referencer' as const, model: reference }] : []), ...(candidate ? [{ kind: 'candidate' as const, index: candidate.index }] : [])],
    agreement: { basis: 'answer', answer: chosen?.answer ?? '', agreeing: voters.filter((v) => v.subset === undefined && v.answer !== null && compareFinalAnswers(v.answer, vote.answer, undefined, input.same) === 1).length, of: stating, support: vote.support, ...voteDetail(vote, voters, stated, input.same) },
  };
}
