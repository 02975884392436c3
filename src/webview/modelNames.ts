/** How the panel names models where room is short: without the organisation prefix, when that keeps them apart. */
import type { CandidateState, RunState } from '../presentation/runState';

/** The part after the last "/" of each model key, or the full key where two models would share that part. */
export function shortModelNames(models: readonly string[]): Map<string, string> {
  const tail = (m: string): string => m.slice(m.lastIndexOf('/') + 1) || m;
  const counts = new Map<string, number>();
  for (const m of new Set(models)) counts.set(tail(m), (counts.get(tail(m)) ?? 0) + 1);
  return new Map(models.map((m) => [m, counts.get(tail(m)) === 1 ? tail(m) : m]));
}

/** The references that arrived but a candidate's subset left out (in the order the references are listed). */
export function leftOutReferences(candidate: CandidateState, run: RunState): string[] {
  const inSubset = new Set(candidate.subset);
  return run.referencers.filter((r) => r.status === 'done' && !inSubset.has(r.model)).map((r) => r.model);
}

/** "without A", "without A and B", "without A, B and C" (names already shortened). */
export function withoutPhrase(names: readonly string[]): string {
  if (names.length <= 1) return `without ${names.join('')}`;
  return `without ${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}
