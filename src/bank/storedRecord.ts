/** The per-question data the bank stores besides the vector and the labels, in one canonical shape. */
import type { BankRecord, GraderKind, RecordSource } from '../core/contracts/types';

/** A bank question without its embedding, labels and reply tokens (those live in the vector and label files). */
export type StoredRecord = Omit<BankRecord, 'embedding' | 'correct' | 'tokens'>;

export const GRADERS: readonly GraderKind[] = ['choice', 'number', 'exact', 'code', 'none'];
export const SOURCES: readonly RecordSource[] = ['import', 'starter', 'profile', 'feedback'];

/** Copies the stored fields of a record in a fixed key order, so equal records serialise to equal bytes. */
export function toStoredRecord(record: BankRecord): StoredRecord {
  const out: StoredRecord = { id: record.id, question: record.question };
  if (record.answer !== undefined) out.answer = record.answer;
  if (record.grader !== undefined) out.grader = record.grader;
  if (record.domain !== undefined) out.domain = record.domain;
  if (record.fold !== undefined) out.fold = record.fold;
  if (record.source !== undefined) out.source = record.source;
  return out;
}

/** Flat metadata for a vectra item (vectra metadata values are strings, numbers or booleans). */
export function toVectraMetadata(record: StoredRecord): Record<string, string | number> {
  const { id: _id, ...rest } = toStoredRecord(record);
  return rest;
}

/** Rebuilds a stored record from a vectra item's id and metadata; throws naming the field when it is malformed. */
export function fromVectraMetadata(id: string, metadata: Record<string, unknown>): StoredRecord {
  const question = metadata.question;
  if (typeof question !== 'string') throw new Error(`item ${id}: metadata.question is missing`);
  const record: BankRecord = { id, question };
  if (typeof metadata.answer === 'string') record.answer = metadata.answer;
  if (typeof metadata.grader === 'string' && (GRADERS as readonly string[]).includes(metadata.grader)) {
    record.grader = metadata.grader as GraderKind;
  }
  if (typeof metadata.domain === 'string') record.domain = metadata.domain;
  if (typeof metadata.fold === 'number') record.fold = metadata.fold;
  if (typeof metadata.source === 'string' && (SOURCES as readonly string[]).includes(metadata.source)) {
    record.source = metadata.source as RecordSource;
  }
  return toStoredRecord(record);
}

/**
 * Scales `v` in place to unit length, unless it already is within 1e-6 (then it is kept bit for bit, so an
 * exported bank re-imports exactly). Values far below or above the float range of a squared sum (1e-200 or
 * 1e200 in every place) are first divided by the largest magnitude, so they normalise instead of
 * underflowing to zero or overflowing to infinity. Returns false for an all-zero vector.
 */
function normaliseRobustly(v: Float64Array): boolean {
  let largest = 0;
  let sq = 0;
  for (const x of v) {
    largest = Math.max(largest, Math.abs(x));
    sq += x * x;
  }
  if (largest === 0) return false;
  if (Number.isFinite(sq) && Math.abs(sq - 1) <= 1e-6) return true;
  // Indices are loop-bounded (i < v.length).
  let scaled = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]! / largest;
    v[i] = x;
    scaled += x * x;
  }
  const inv = 1 / Math.sqrt(scaled);
  for (let i = 0; i < v.length; i++) v[i]! *= inv;
  return true;
}

/**
 * Returns the vector as a unit-length Float32Array. A vector already of unit length (within 1e-6)
 * is kept bit for bit, so re-importing an exported bank reproduces it exactly; one whose values are all
 * tiny or huge (1e-200, 1e200) is normalised in double precision first.
 * Throws when the vector is all zeros or not finite.
 */
export function unitVector(values: ArrayLike<number>): Float32Array {
  const wide = Float64Array.from(values);
  if (!wide.every(Number.isFinite) || !normaliseRobustly(wide)) throw new Error('embedding must be a finite, non-zero vector');
  return Float32Array.from(wide);
}
