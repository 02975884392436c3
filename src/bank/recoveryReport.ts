/** What opening a bank found damaged and how it recovered, as every store reports it (the local store fills it in; a team bank has none). */

/** A generation the bank could not load, and where its files are. */
export interface LostGeneration {
  /** The generation that could not be loaded (null when nothing on disk names it). */
  generation: number | null;
  /** Its number of questions (from its manifest, else estimated from its files; null when unknown). */
  questions: number | null;
  /** Questions of it that the loaded generation does not hold (null when unknown). */
  missing: number | null;
  /** The generation loaded instead, and its size. */
  loadedGeneration: number;
  loadedQuestions: number;
  /** Why it could not be loaded. */
  reason: string;
  /** ISO time the loss was found. */
  date: string;
  /** Where its files are kept, relative to the bank folder; absent while they are still in place (no writer has opened the bank since). */
  folder?: string;
  /** SHA-256 of the damaged manifest text, when there was one (tells a repeated set-aside of the same damage). */
  manifestSha256?: string;
  /** Set once `restoreSetAside` put back what it could; the parts it could not are listed. */
  restoredAt?: string;
  unrestorable?: string[];
}

/** A loss as an open reports it: the record plus the sentence that names it. */
export type ReportedLoss = LostGeneration & { description: string };

/** What an open found damaged and how it recovered. */
export interface RecoveryReport {
  /** Each problem found, naming the file. */
  problems: string[];
  /** The current generation was unreadable, so the previous one (the last good copy) was loaded. */
  usedPreviousGeneration: boolean;
  /** The damage was repaired on disk (only a writer repairs). */
  repaired: boolean;
  /**
   * Generations that could not be loaded: set aside in `recovery/` (by a writer), or still in place (found by a
   * reader). Reported on every open until `restoreSetAside` or `discardSetAside` resolves them.
   */
  lost: ReportedLoss[];
}
