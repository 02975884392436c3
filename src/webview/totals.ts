/**
 * How a run's candidate totals are shown so the winner can be told from the rest: with as many decimals as it takes
 * (3 to 6), and, when another total is the same to 6 decimals, which rule picked the winner (the hybrid score keeps
 * the first in order on a tie, src/core/posterior/hybridScore.ts). Candidates that wrote the winner's reply show on its
 * card (presentation/candidateGroups.ts): equal totals among them are no tie to tell apart.
 */
import { candidateGroups, groupOf } from '../presentation/candidateGroups';
import type { RunState } from '../presentation/runState';

/** Decimals of a total by default, and the most shown. */
const MIN_DECIMALS = 3;
const MAX_DECIMALS = 6;

export interface TotalsView {
  /** Decimals every total of the run is shown with. */
  decimals: number;
  /** The candidates whose total equals the winner's to MAX_DECIMALS (indices). */
  tiedWithWinner: number[];
  /** A short note for the winner when it is tied: "tie — first in order", or for a lead below what is shown. */
  tieNote?: string;
  /** The note's explanation (tooltip). */
  tieHelp?: string;
  /** The checks chose the winner (its total may be below a candidate that fails more checks). */
  chosenByChecks: boolean;
}

export function totalsView(run: Pick<RunState, 'candidates' | 'winner'> & Partial<Pick<RunState, 'selectedBy'>>): TotalsView {
  const scored = run.candidates.filter((c) => c.status === 'done' && c.total !== undefined && Number.isFinite(c.total));
  const winner = scored.find((c) => c.index === run.winner);
  const chosenByChecks = run.selectedBy === 'checks';
  if (winner?.total === undefined) return { decimals: MIN_DECIMALS, tiedWithWinner: [], chosenByChecks };
  const best = winner.total;
  const sameReply = new Set(groupOf(candidateGroups(run), winner.index)?.members.map((c) => c.index));
  const others = scored.filter((c) => c.index !== winner.index && !sameReply.has(c.index));
  // With the checks choosing, only the candidates that pass as many checks as the winner were ranked by the total.
  const rivals = chosenByChecks ? others.filter((c) => c.checks?.passed === winner.checks?.passed) : others;
  const shownAt = (v: number, d: number): string => v.toFixed(d);
  const tied = rivals.filter((c) => shownAt(c.total ?? Number.NaN, MAX_DECIMALS) === shownAt(best, MAX_DECIMALS));
  const apart = others.filter((c) => !tied.includes(c));
  let decimals = MIN_DECIMALS;
  while (decimals < MAX_DECIMALS && apart.some((c) => shownAt(c.total ?? Number.NaN, decimals) === shownAt(best, decimals))) decimals++;
  if (tied.length === 0) return { decimals, tiedWithWinner: [], chosenByChecks };
  const names = [winner, ...tied].map((c) => c.index + 1).sort((a, b) => a - b);
  const list = `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const exact = tied.every((c) => c.total === best);
  const first = tied.every((c) => c.index > winner.index);
  const among = chosenByChecks ? ` pass as many checks and` : '';
  return {
    decimals,
    chosenByChecks,
    tiedWithWinner: tied.map((c) => c.index),
    ...(exact && first
      ? { tieNote: 'tie — first in order', tieHelp: `Candidates ${list}${among} have the same total; on a tie the first in order wins.` }
      : { tieNote: `tie to ${MAX_DECIMALS} decimals`, tieHelp: `Candidates ${list}${among} have the same total to ${MAX_DECIMALS} decimals; candidate ${winner.index + 1}'s is higher by less than that.` }),
  };
}
