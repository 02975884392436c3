/**
 * The rule of copying questions from one bank into another (`smcs bank copy`, SMCS: Copy Local Bank into Team Bank),
 * pure: which questions are added, which are already there, and which labels change.
 *
 *   - A question is already there when the target holds one with the same id, or else one with the same text
 *     (character for character). It is not added again: the target's question keeps its id, text and embedding.
 *   - Labels are merged per model: a model labelled on either side keeps its label. When both sides label a model
 *     differently, the copied label wins (a copy is an import, and the latest imported label is the one RPS uses; a
 *     team bank also keeps the other row in its record of who stored what). A label whose reply tokens differ is
 *     copied too, with the copied tokens.
 *   - Two copied questions with the same text become one: the first in bank order is added, and the later one only
 *     adds labels of models the first lacks.
 */
import type { BankRecord, RecordedTokens } from '../../core/contracts/types';
import { own, setOwn } from '../../core/util/ownKeys';
import type { LabelUpdate, NewQuestion } from '../bank';

/** What the target holds of a batch: its questions with these ids, and (by text) its questions with these texts. */
export interface HeldQuestions {
  byId: ReadonlyMap<string, BankRecord>;
  byText: ReadonlyMap<string, BankRecord>;
}

export interface CopyPlan {
  /** Questions the target lacks, with their embeddings and labels. */
  add: NewQuestion[];
  /** Labels of questions the target holds, under the target's ids. */
  labels: LabelUpdate[];
  /** Copied questions the target held already (by id or text), or that repeat an earlier one of the copy. */
  alreadyThere: number;
  /** Of those, the questions whose labels changed. */
  labelsMerged: number;
}

const sameTokens = (a: RecordedTokens | undefined, b: RecordedTokens | undefined): boolean =>
  a?.prompt === b?.prompt && a?.completion === b?.completion && a?.estimated === b?.estimated;

/** The source's labels that the target lacks or holds otherwise, as label updates of the target's question `id`. */
export function labelChanges(source: BankRecord, target: BankRecord, id = target.id): LabelUpdate[] {
  return Object.entries(source.correct ?? {})
    .filter(([model, value]) => own(target.correct, model) !== value || !sameTokens(own(source.tokens, model), own(target.tokens, model)))
    .map(([model, correct]) => {
      const tokens = own(source.tokens, model);
      return { id, model, correct, ...(tokens ? { tokens } : {}) };
    });
}

/** Adds to `first` (a question this copy adds) the labels of `later` for models `first` has none for. */
function fillMissingLabels(first: NewQuestion, later: BankRecord): boolean {
  let changed = false;
  for (const [model, correct] of Object.entries(later.correct ?? {})) {
    if (own(first.correct, model) !== undefined) continue;
    first.correct = { ...first.correct };
    setOwn(first.correct, model, correct);
    const tokens = own(later.tokens, model);
    if (tokens) {
      first.tokens = { ...first.tokens };
      setOwn(first.tokens, model, tokens);
    }
    changed = true;
  }
  return changed;
}

/** Plans copying `batch` (records with embeddings, in bank order) into a target that holds `held` of them. */
export function planCopy(batch: readonly BankRecord[], held: HeldQuestions): CopyPlan {
  const plan: CopyPlan = { add: [], labels: [], alreadyThere: 0, labelsMerged: 0 };
  const adding = new Map<string, NewQuestion>();
  for (const record of batch) {
    const there = held.byId.get(record.id) ?? held.byText.get(record.question);
    if (there) {
      const changes = labelChanges(record, there);
      plan.alreadyThere++;
      if (changes.length > 0) plan.labelsMerged++;
      plan.labels.push(...changes);
      continue;
    }
    const earlier = adding.get(record.question);
    if (earlier) {
      plan.alreadyThere++;
      if (fillMissingLabels(earlier, record)) plan.labelsMerged++;
      continue;
    }
    const question: NewQuestion = { ...record, embedding: record.embedding ?? [] };
    adding.set(record.question, question);
    plan.add.push(question);
  }
  return plan;
}
