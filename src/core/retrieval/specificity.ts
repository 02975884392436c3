/**
 * How much a word of a question can say about which code is meant, from how common it is where it says nothing:
 * ordinary English prose (core/retrieval/background: news, books, encyclopaedia text) and questions that are about no
 * code base (core/retrieval/unrelatedQuestions: how people ask — "how", "why", "does", "explain", "I think I found a
 * bug", "which … is responsible"). A word most prose or most such questions hold says nothing of which file a question
 * is about, however often this workspace uses it; a word rare in both ("wildcard", "graphemes", "cors", "cookie") says
 * a lot. Words common in code but not in prose ("path", "request", "cache") keep their weight: within one workspace
 * they still tell files apart, and whether they tell this workspace from others is the search evidence's business
 * (core/retrieval/searchEvidence). This replaces hand-written lists of asking and generic words.
 */
import { backgroundFrequency } from './background';
import { languageShare } from './languageBackground';
import type { Language } from './languages';
import { questionParts } from './questionCode';
import { hash, termsIn } from './terms';
import { UNRELATED_QUESTIONS } from './unrelatedQuestions';

/** A word in at least this share of prose paragraphs says nothing (weight 0)… */
export const PROSE_COMMON = 0.1;
/** …one in at most this share says all it can (1); between them, by the logarithm of the share. */
export const PROSE_RARE = 0.01;
/** Likewise over the unrelated questions: a word at least this many of them hold is a word of asking… */
export const ASKED_COMMON = 0.02;
/** …and one at most this share holds (two of 240) is not. */
export const ASKED_RARE = 0.005;

const scale = (share: number, common: number, rare: number): number => Math.min(1, Math.max(0, Math.log(common / share) / Math.log(common / rare)));

let asked: Map<number, number> | undefined;
/** The share of the unrelated questions' prose (their own code left out) that holds each term, counted once. */
function askedShare(termId: number): number {
  if (asked === undefined) {
    const counts = new Map<number, number>();
    for (const q of UNRELATED_QUESTIONS) for (const id of new Set(termsIn(questionParts(q).prose).map(hash))) counts.set(id, (counts.get(id) ?? 0) + 1);
    asked = new Map([...counts].map(([id, n]) => [id, n / UNRELATED_QUESTIONS.length]));
  }
  return asked.get(termId) ?? 0;
}

/** A name in at least this share of the background's source files is one every code base has ("build", "is", `__init__` in Python)… */
export const CODE_COMMON = 0.05;
/** …one in at most this share tells a code base from code in general ("wildcard", "preflight", `split_graphemes`). */
export const CODE_RARE = 0.005;

/**
 * How much a term tells one code base from code in general, in [0, 1], from the share of the background's source files
 * of 35 other code bases that hold it — of all of them, or of the files in one of `languages` (the code base's) where
 * more of those hold it: "merge", "iterator", "date" and "sort" are in every code base, "slice" and "struct" in every
 * Go code base, and say nothing of whether a question is about this one; "wildcard" or "graphem" do.
 */
export function codeSpecificity(termId: number, languages: readonly Language[] = []): number {
  const share = languages.reduce((most, language) => Math.max(most, languageShare(termId, language)), backgroundFrequency(termId).code);
  return scale(share, CODE_COMMON, CODE_RARE);
}

/** A term's weight in [0, 1]: 0 for words all prose or all asking uses, 1 for words rare in both. */
export function specificity(termId: number): number {
  const prose = scale(backgroundFrequency(termId).prose, PROSE_COMMON, PROSE_RARE);
  const share = askedShare(termId);
  return share === 0 ? prose : Math.min(prose, scale(share, ASKED_COMMON, ASKED_RARE));
}
