/**
 * Which model-written tests to trust: CodeT's dual execution agreement (Chen et al. 2022, "CodeT: Code Generation with
 * Generated Tests", §2.2). Programs are grouped into consensus sets by the exact set of tests they pass; a set's score
 * is (programs in it) × (tests they pass), so a test counts when several independent programs agree with it and a
 * program counts when it agrees with many tests. The tests passed by the best-scoring set are trusted. Pure.
 */

/** A consensus set: programs (by position) that pass exactly the same tests. */
export interface ConsensusSet {
  programs: number[];
  /** Positions of the tests every program of the set passes, ascending. */
  tests: number[];
  /** |programs| × |tests|. */
  score: number;
}

export interface DualAgreement {
  /** Every consensus set, best score first (ties: more programs first, then the order the first program came in). */
  sets: ConsensusSet[];
  /**
   * The tests to trust: those the best set passes. When several sets share the best score, only the tests they all
   * pass (the tests on which those sets disagree favour none of them); empty when the best score is 0.
   */
  trusted: number[];
}

/**
 * The dual agreement of programs on tests: `passed[p]` holds the positions of the tests program `p` passes. A
 * program that could not run (null) joins no set.
 */
export function dualAgreement(passed: readonly (readonly number[] | null)[]): DualAgreement {
  const byTests = new Map<string, ConsensusSet>();
  passed.forEach((tests, program) => {
    if (tests === null) return;
    const sorted = [...new Set(tests)].sort((a, b) => a - b);
    const key = sorted.join(',');
    const set = byTests.get(key) ?? { programs: [], tests: sorted, score: 0 };
    set.programs.push(program);
    set.score = set.programs.length * set.tests.length;
    byTests.set(key, set);
  });
  const sets = [...byTests.values()].sort((a, b) => b.score - a.score || b.programs.length - a.programs.length || (a.programs[0] ?? 0) - (b.programs[0] ?? 0));
  const best = sets[0]?.score ?? 0;
  if (best === 0) return { sets, trusted: [] };
  const top = sets.filter((s) => s.score === best);
  const trusted = top.reduce<number[]>((common, s) => common.filter((t) => s.tests.includes(t)), top[0]?.tests ?? []);
  return { sets, trusted };
}
