/**
 * Where each field of an ask's result lives in the panel's state of the run: most are the same field with the same
 * type (`SharedOutcome`), kept as the result has them; the others are mapped by name in runState.ts (`applyDone`) and
 * runResult.ts. Adding a field to `AskResult` does not compile until it is placed here.
 */
import type { AskResult } from '../core/contracts/events';

/** How a field of the result reaches the run: `shared` as it is; `mapped` through the run's own shape of it. */
type Placement = 'shared' | 'mapped';

/**
 * Every field of `AskResult`, placed. Mapped: the question and support (the run's own `question`, `supportCount`,
 * `supportEffective`), the replies (a card's state each), the trimmed references (each referencer's `trimmed`), and the
 * context (the run's `contextReport` and `contextNotes`, set from the retrieve event with the notes of the question's
 * own selection).
 */
const RESULT_FIELDS = {
  question: 'mapped',
  support: 'mapped',
  priors: 'shared',
  selectionFallback: 'shared',
  referencers: 'mapped',
  aggregator: 'shared',
  candidates: 'mapped',
  winner: 'shared',
  selectedBy: 'shared',
  bestByChecks: 'shared',
  checkSet: 'shared',
  answer: 'shared',
  answerOrder: 'shared',
  routing: 'shared',
  agreement: 'shared',
  savedCalls: 'shared',
  logprobsUsed: 'shared',
  trimmedReferences: 'mapped',
  timings: 'shared',
  usage: 'shared',
  calls: 'shared',
  costUsd: 'shared',
  tokens: 'shared',
  conversation: 'shared',
  cappedOutput: 'shared',
  stoppedOutput: 'shared',
  context: 'mapped',
  contextNotes: 'mapped',
} as const satisfies Record<keyof AskResult, Placement>;

type SharedKey = { [K in keyof typeof RESULT_FIELDS]: (typeof RESULT_FIELDS)[K] extends 'shared' ? K : never }[keyof typeof RESULT_FIELDS];

/** The fields a finished ask's result and the panel's run have alike: one type, one meaning. */
export type SharedOutcome = Pick<AskResult, SharedKey>;

const SHARED_KEYS = (Object.keys(RESULT_FIELDS) as (keyof typeof RESULT_FIELDS)[]).filter((k): k is SharedKey => RESULT_FIELDS[k] === 'shared');

/** The shared fields `from` has (a result, or a run): copied as they are, absent ones left out. */
export function sharedOf(from: Partial<SharedOutcome>): Partial<SharedOutcome> {
  const shared: Record<string, unknown> = {};
  for (const key of SHARED_KEYS) if (from[key] !== undefined) shared[key] = from[key];
  return shared;
}
