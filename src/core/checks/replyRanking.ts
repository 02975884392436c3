/**
 * The one ranking of an ask's replies (design-notes "Checks: selection"): every reference and every aggregation in
 * one order whose first element is the answer — nothing else names it. Each reply gets a key, and the order is the
 * keys' lexicographic order, so it is total and the same for the same replies whatever order they come in. Pure.
 */

/** Values closer than this are equal (model-test weights, behaviour votes, priors and bonuses are fractions). */
export const EPSILON = 1e-9;

/** One reply as the ranking sees it: what the checks and the derived inputs say of it, and its score or prior. */
export type RankedReply = {
  /**
   * In the running on the checks: every candidate, and a referencer whose reply was run (without checks, every
   * referencer). Replies in the running rank before the others.
   */
  checked: boolean;
  /** Weight of the question's checks (or trusted model tests) it passes. */
  score: number;
  /** Derived inputs it crashed on where another reply returned (fewer ranks first). */
  crashes: number;
  /** Weight of the independent models behaving as it does on the derived inputs. */
  behaviourVotes: number;
  /** What the trusted tie-breaking tests add. */
  bonus: number;
} & ({ kind: 'candidate'; index: number; /** The hybrid total. */ total: number } | { kind: 'referencer'; model: string; prior: number; /** Its place in the result's list. */ position: number });

/** A value on the EPSILON grid: equal values (within EPSILON) compare equal, and comparing stays transitive. */
const grid = (x: number): number => Math.round(x / EPSILON);

/** The replies the checks cannot tell apart share a class: in the running, the score, the crashes, the behaviour's votes. */
const classOf = (r: RankedReply): number[] => [r.checked ? 0 : 1, -grid(r.score), r.crashes, -grid(r.behaviourVotes)];

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Between candidates of a class: the hybrid total with what tie-breaking tests add, then the lowest index. */
const candidateKey = (c: { index: number; total: number; bonus: number }): number[] => [-(c.total + c.bonus), c.index];

/**
 * The replies, the answer first: classes in the order of what was run (in the running first; the most checks passed,
 * then the fewest crashes on derived inputs, then the behaviour most independent models share). Within a class, a
 * referencer whose trusted tie-breaking tests add more than the class's best candidate's comes first (by that bonus,
 * then the higher prior, then its place); then the candidates (by hybrid total plus bonus, then the lowest index);
 * then the other referencers, in the same order. So a referencer answers only when it ranks above every candidate,
 * and where nothing was run the best candidate by the hybrid score answers, else the highest prior.
 */
export function rankReplies<T extends RankedReply>(replies: readonly T[]): T[] {
  const bestCandidate = new Map<string, { index: number; total: number; bonus: number }>();
  for (const r of replies) {
    if (r.kind !== 'candidate') continue;
    const cls = classOf(r).join();
    const best = bestCandidate.get(cls);
    if (best === undefined || compareKeys(candidateKey(r), candidateKey(best)) < 0) bestCandidate.set(cls, r);
  }
  const key = (r: RankedReply): number[] => {
    const cls = classOf(r);
    if (r.kind === 'candidate') return [...cls, 1, ...candidateKey(r)];
    const best = bestCandidate.get(cls.join());
    const tier = best === undefined || grid(r.bonus) > grid(best.bonus) ? 0 : 2;
    return [...cls, tier, -grid(r.bonus), -grid(r.prior), r.position];
  };
  return replies
    .map((reply) => ({ reply, key: key(reply) }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map((r) => r.reply);
}
