/**
 * Copying every question of one bank into another, whatever stores hold them (`smcs bank copy`, and in VS Code
 * SMCS: Copy Local Bank into Team Bank). What is added, skipped and merged follows `copyPlan.ts`.
 */
import type { BankRecord } from '../../core/contracts/types';
import type { Bank } from '../bank';
import { BankError } from '../errors';
import { planCopy } from './copyPlan';

/** Questions copied per commit by default: each is one transaction (team bank) or one generation (folder), so a copy resumes from the last. */
export const COPY_BATCH = 5000;

export interface CopyProgress {
  /** `read`: questions are being read from the source; `write`: a commit is under way; `committed`: one is done. */
  phase: 'read' | 'write' | 'committed';
  /** Questions of the source read so far. */
  read: number;
  copied: number;
  skipped: number;
  total: number;
}

export interface CopyResult {
  from: string;
  to: string;
  /** Questions added to the target. */
  copied: number;
  /** Questions the target held already (by id or text). */
  skipped: number;
  total: number;
  /** Labels of questions the target already held that the copy changed. */
  labelsUpdated: number;
  /** Questions the target already held whose labels the copy changed. */
  labelsMerged: number;
}

export interface CopyOptions {
  user?: string;
  onProgress?: (p: CopyProgress) => void;
  /** Questions per commit (default COPY_BATCH); `Infinity` = the whole copy in one commit, all of it or nothing. */
  batch?: number;
  /** Stops the copy before its next commit (what earlier commits wrote stays); a BankError says so. */
  signal?: AbortSignal;
}

/**
 * Copies every question of `from` into `to` in bank order, a batch per commit: questions the target lacks are added
 * with their embeddings and labels; ones it holds (same id, or same text) keep their text and get the source's labels
 * where those differ. Interrupted, it resumes where it stopped (what is there is not copied again).
 */
export async function copyBank(from: Bank, to: Bank, options: CopyOptions = {}): Promise<CopyResult> {
  to.assertWritable('copy into it');
  const total = await from.count();
  const origin = { via: 'import' as const, ...(options.user ? { user: options.user } : {}) };
  const size = Math.max(1, options.batch ?? COPY_BATCH);
  const progress: CopyProgress = { phase: 'read', read: 0, copied: 0, skipped: 0, total };
  let labelsUpdated = 0;
  let labelsMerged = 0;
  let batch: BankRecord[] = [];
  const stopIfAsked = () => {
    if (!options.signal?.aborted) return;
    const done = progress.copied + progress.skipped;
    throw new BankError(done === 0 ? 'copy cancelled, nothing was written' : `copy cancelled after ${done} of ${total} questions: those are in ${to.location}, and copying again goes on from there`);
  };
  const flush = async () => {
    const held = await to.lookup(batch.map((r) => r.id));
    const byText = await to.findByText(batch.filter((r) => !held.has(r.id)).map((r) => r.question));
    const plan = planCopy(batch, { byId: held, byText });
    progress.phase = 'write';
    options.onProgress?.({ ...progress });
    stopIfAsked();
    if (plan.add.length + plan.labels.length > 0) await to.commit({ add: plan.add, labels: plan.labels, addOrMerge: true, origin });
    progress.copied += plan.add.length;
    progress.skipped += plan.alreadyThere;
    labelsUpdated += plan.labels.length;
    labelsMerged += plan.labelsMerged;
    batch = [];
    options.onProgress?.({ ...progress, phase: 'committed' });
    progress.phase = 'read';
  };
  for await (const record of from.scan({ embedding: true })) {
    stopIfAsked();
    batch.push(record);
    progress.read++;
    if (batch.length >= size) await flush();
    else if (progress.read % 500 === 0) options.onProgress?.({ ...progress });
  }
  if (batch.length > 0) await flush();
  return { from: from.location, to: to.location, copied: progress.copied, skipped: progress.skipped, total, labelsUpdated, labelsMerged };
}

/**
 * Opens the source, then the target, and runs `work` on them (a copy, and what is read of the target after it): a
 * target the copy created is discarded when it fails; both are closed whatever happens.
 */
export async function withCopyBanks<T>(openFrom: () => Promise<Bank>, openTo: () => Promise<Bank>, work: (from: Bank, to: Bank) => Promise<T>): Promise<T> {
  const from = await openFrom();
  try {
    const to = await openTo();
    try {
      return await work(from, to);
    } catch (err) {
      await to.discardIfNew();
      throw err;
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}
