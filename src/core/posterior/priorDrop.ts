/**
 * Prior-drop sampling of EPE (paper §3.2):
 *   z_j = (V_j − mean V) / std V  (all 0 when std = 0),  D = softmax(z)
 *   each subset keeps K' − Kdrop references, drawn one by one without replacement from D,
 *   renormalising after every draw (order = draw order); n subsets are drawn independently.
 *   If K' − Kdrop < 1 every subset is all of the references.
 * Two draws that hold the same references (in any order) give the aggregator the same material, so they cannot differ
 * in substance: the ask runs one aggregation per distinct subset and counts how often it was drawn (distinctSubsets).
 */
import { at } from '../util/arrays';
import type { Rng } from '../util/rng';

/** softmax of the z-scored priors (population standard deviation). */
export function dropDistribution(priors: readonly number[]): number[] {
  const n = priors.length;
  if (n === 0) return [];
  const mean = priors.reduce((a, b) => a + b, 0) / n;
  const variance = priors.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
  const std = Math.sqrt(variance);
  const z = priors.map((v) => (std > 0 ? (v - mean) / std : 0));
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** Draws `size` distinct indices from `weights` (successive draws, renormalised); returns them in draw order. */
export function drawWithoutReplacement(weights: readonly number[], size: number, rng: Rng): number[] {
  const remaining = weights.map((w, index) => ({ w, index }));
  const out: number[] = [];
  while (out.length < size && remaining.length > 0) {
    const total = remaining.reduce((a, r) => a + r.w, 0);
    let u = rng.next() * total;
    let pick = remaining.length - 1;
    for (const [j, r] of remaining.entries()) {
      u -= r.w;
      if (u < 0) {
        pick = j;
        break;
      }
    }
    out.push(at(remaining, pick).index);
    remaining.splice(pick, 1);
  }
  return out;
}

/** The n subsets of reference indices (0..priors.length-1), each in draw order. */
export function drawSubsets(priors: readonly number[], kDrop: number, n: number, rng: Rng): number[][] {
  const count = priors.length;
  const keep = count - kDrop;
  if (keep < 1) return Array.from({ length: n }, () => Array.from({ length: count }, (_, i) => i));
  const dist = dropDistribution(priors);
  return Array.from({ length: n }, () => drawWithoutReplacement(dist, keep, rng));
}

/** A subset of references as the ask aggregates it: its members in first-draw order, and how many of the n draws gave it. */
export interface DrawnSubset {
  members: number[];
  draws: number;
}

/** The distinct subsets of `subsets` (same members in any order = same subset), in order of first draw, with their counts. */
export function distinctSubsets(subsets: readonly (readonly number[])[]): DrawnSubset[] {
  const byKey = new Map<string, DrawnSubset>();
  for (const subset of subsets) {
    const key = [...subset].sort((a, b) => a - b).join(',');
    const known = byKey.get(key);
    if (known) known.draws++;
    else byKey.set(key, { members: [...subset], draws: 1 });
  }
  return [...byKey.values()];
}

/** How many distinct subsets `count` references allow when each keeps `count − kDrop` (one when that is < 1): C(count, kDrop). */
export function possibleSubsets(count: number, kDrop: number): number {
  if (count - kDrop < 1 || kDrop <= 0) return 1;
  let ways = 1;
  for (let i = 1; i <= kDrop; i++) ways = (ways * (count - kDrop + i)) / i;
  return Math.round(ways);
}

/** The aggregations n draws can need at most over `count` references: min(n, possibleSubsets). */
export function aggregationsNeeded(count: number, kDrop: number, n: number): number {
  return Math.min(n, possibleSubsets(count, kDrop));
}
