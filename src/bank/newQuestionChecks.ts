/**
 * What every store checks of a question being added, so the local store and the team bank refuse the same things in the
 * same words, and the labels it brings.
 */
import { errorMessage } from '../core/contracts/errors';
import type { LabelUpdate, NewQuestion } from './bank';
import { unitVector } from './storedRecord';
import { own } from '../core/util/ownKeys';

/** An id as a refusal names it: quoted when a string, else its type. */
export function describeId(id: unknown): string {
  return typeof id === 'string' ? JSON.stringify(id) : `(${typeof id})`;
}

/**
 * Checks the question text, its labels and its embedding (the id's uniqueness is the store's to check), adding each
 * problem under `at` (`add[3]`); returns the unit embedding, or undefined when the embedding cannot be used.
 */
export function checkNewQuestion(q: NewQuestion, at: string, dimension: number, problems: string[]): Float32Array | undefined {
  if (typeof q.question !== 'string' || q.question.trim() === '') problems.push(`${at}.question must be a non-empty string`);
  for (const [model, value] of Object.entries(q.correct ?? {})) {
    if (model === '' || (value !== 0 && value !== 1)) problems.push(`${at}.correct[${JSON.stringify(model)}] must be 0 or 1 under a non-empty model key`);
  }
  if (!q.embedding || q.embedding.length !== dimension) {
    problems.push(`${at}.embedding must have ${dimension} numbers, got ${q.embedding ? q.embedding.length : 'none'}`);
    return undefined;
  }
  try {
    return unitVector(q.embedding);
  } catch (err) {
    problems.push(`${at}.embedding: ${errorMessage(err)}`);
    return undefined;
  }
}

/** The question's labels as label updates, each with the tokens of the reply it came from where the question has them. */
export function labelUpdatesOf(q: NewQuestion): LabelUpdate[] {
  return Object.entries(q.correct ?? {}).map(([model, correct]) => {
    const tokens = own(q.tokens, model);
    return { id: q.id, model, correct, ...(tokens ? { tokens } : {}) };
  });
}
