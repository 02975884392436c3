/**
 * The feedback recorder: turns a user's choice of reply into a bank question (`source: 'feedback'`,
 * id `feedback-<hash>`) labelled for the referencers by the rule of `src/core/grading/learning.ts` (a reference whose code
 * ran on the question's examples is labelled by them), and lists and removes such questions. Its writes carry the
 * origin `via: 'choice'`.
 */
import { createHash } from 'node:crypto';
import { labelReferences, type LearningOptions, type LearningReference, type ReferenceLabel } from '../core/grading/learning';
import type { BankRecord, Embedder } from '../core/contracts/types';
import { BankError } from './errors';
import type { Bank, LabelUpdate } from './bank';
import { writeOrigin } from './writeOrigin';

/** A finished ask and the reply the user chose or accepted. */
export interface FeedbackInput {
  /** The question as asked. */
  question: string;
  /** The questions of the earlier turns of its conversation, oldest first: a follow-up is stored after them. */
  earlier?: readonly string[];
  /** The code the question was about (the selection, as the models read it), when any; stored after the question. */
  context?: string;
  /** The referencers' replies (failed referencers left out), with their code's checks when they ran. */
  references: readonly LearningReference[];
  /** The text of the chosen reply. */
  chosen: string;
  domain?: string;
}

export interface FeedbackResult {
  /** The bank id of the question (`feedback-<hash>`). */
  id: string;
  /** Every referencer's label and its basis (null labels are not stored). */
  labels: ReferenceLabel[];
  /**
   * `added` a new question; `updated` the labels of one the bank held (a feedback question asked before, or the same
   * text stored under another id); `skipped` when no label was written.
   */
  outcome: 'added' | 'updated' | 'skipped';
  /**
   * Why nothing was written (`skipped` only): `held` the bank already holds this question with labels of its own for
   * every referencer the choice could label (graded or profiled labels are kept); `uncertain` no referencer's reply
   * could be labelled against the chosen one.
   */
  skipped?: 'held' | 'uncertain';
  /** The question as it was before an `updated` (its embedding included), so `forgetFeedback` can put it back. */
  previous?: BankRecord;
}

export interface FeedbackOptions extends LearningOptions {
  signal?: AbortSignal;
  /** Who chose the reply, recorded as the writes' origin (default: the OS user). */
  user?: string;
}

/**
 * The text stored for a feedback question: the question, then the code it was about; a follow-up ("Why not D?") after
 * the earlier questions of its conversation, which give it its meaning — alone it would route nothing right.
 */
export function feedbackQuestionText(question: string, context?: string, earlier: readonly string[] = []): string {
  const asked = context && context.trim() !== '' ? `${question.trim()}\n\n${context.trim()}` : question.trim();
  const before = earlier.map((q) => q.trim()).filter((q) => q !== '');
  return before.length === 0 || asked === '' ? asked : `${before.join('\n\n')}\n\nFollow-up: ${asked}`;
}

/** The id of a feedback question: `feedback-` and the first 16 hex digits of the SHA-256 of its text. */
export function feedbackId(text: string): string {
  return `feedback-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

/**
 * Labels the referencers against the chosen reply and stores the question with those labels in one
 * atomic write. Asking the same question again updates its labels (the latest choice wins per model).
 * Nothing is written when no reference gets a label.
 */
export async function recordFeedback(bank: Bank, embedder: Embedder, input: FeedbackInput, options: FeedbackOptions = {}): Promise<FeedbackResult> {
  bank.assertWritable('learn from choices');
  const text = feedbackQuestionText(input.question, input.context, input.earlier);
  if (text === '') throw new BankError('feedback: question must be a non-empty string');
  if (input.chosen.trim() === '') throw new BankError('feedback: chosen reply must be a non-empty string');
  const feedbackKey = feedbackId(text);
  const known = (await bank.lookup([feedbackKey], { embedding: true })).get(feedbackKey);
  if (known && known.source !== 'feedback') throw new BankError(`feedback: id ${feedbackKey} belongs to a ${known.source ?? 'non-feedback'} question`);
  // The same question held under another id (imported, profiled, copied from a team bank) is not added twice.
  const held = known ?? (await bank.findByText([text], { embedding: true })).get(text);
  const id = held?.id ?? feedbackKey;
  const labels = await labelReferences(input.references, input.chosen, (texts) => embedder.embed(texts, options.signal), options);
  const decided = labels.filter((l): l is ReferenceLabel & { label: 0 | 1 } => l.label !== null);
  // A held question that is not feedback keeps the labels it has (graded or profiled); the choice fills only the gaps.
  const kept = held && held.source !== 'feedback' ? decided.filter((l) => held.correct?.[l.model] === undefined) : decided;
  if (kept.length === 0) return { id, labels, outcome: 'skipped', skipped: decided.length > 0 ? 'held' : 'uncertain' };
  const updates: LabelUpdate[] = kept.map((l) => ({ id, model: l.model, correct: l.label }));
  const origin = writeOrigin('choice', options.user);
  if (held) {
    await bank.commit({ labels: updates, origin });
    return { id, labels, outcome: 'updated', previous: held };
  }
  const [embedding] = await embedder.embed([text], options.signal);
  if (!embedding) throw new BankError(`embedder ${embedder.id} returned no vector for the feedback question`);
  const correct = Object.fromEntries(decided.map((l) => [l.model, l.label]));
  await bank.commit({ add: [{ id, question: text, source: 'feedback', grader: 'none', ...(input.domain ? { domain: input.domain } : {}), correct, embedding }], origin });
  return { id, labels, outcome: 'added' };
}

/** Every feedback question, in bank order, with its labels. */
export async function listFeedback(bank: Bank): Promise<BankRecord[]> {
  const found: BankRecord[] = [];
  for await (const record of bank.scan()) if (record.source === 'feedback') found.push(record);
  return found;
}

/** Removes feedback questions by id in one atomic write; refuses ids that are missing or not feedback. */
export async function removeFeedback(bank: Bank, ids: readonly string[]): Promise<void> {
  const known = await bank.lookup(ids);
  const problems = ids.flatMap((id) => {
    const record = known.get(id);
    if (!record) return [`no question with id ${JSON.stringify(id)}`];
    return record.source === 'feedback' ? [] : [`${JSON.stringify(id)} is a ${record.source ?? 'non-feedback'} question, not feedback`];
  });
  if (problems.length > 0) throw new BankError(`feedback remove refused, nothing was removed: ${problems.join('; ')}`);
  if (ids.length > 0) await bank.commit({ remove: ids });
}

/**
 * Takes back what one `recordFeedback` wrote, in one atomic write: an added question leaves the bank, an updated one
 * gets back the labels (and tokens) it had before — a model it had no label for has none again.
 */
export async function forgetFeedback(bank: Bank, result: FeedbackResult, options: { user?: string } = {}): Promise<void> {
  if (result.outcome === 'added') return removeFeedback(bank, [result.id]);
  if (result.outcome === 'skipped') return;
  const previous = result.previous;
  if (!previous?.embedding) throw new BankError(`feedback: the question ${result.id} as it was before the choice is not known, so it cannot be put back`);
  await bank.commit({ remove: [result.id], add: [{ ...previous, embedding: previous.embedding }], origin: writeOrigin('choice', options.user) });
}

/** Removes every feedback question; returns how many were removed. */
export async function clearFeedback(bank: Bank): Promise<number> {
  const ids = (await listFeedback(bank)).map((r) => r.id);
  await removeFeedback(bank, ids);
  return ids.length;
}
