/** Checked element access for indices that the code guarantees are in range but the type checker cannot see. */

/** The element at `index`; throws a RangeError naming the index and length when there is none (a bug, not bad input). */
export function at<T>(items: ArrayLike<T>, index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`index ${index} is out of range (length ${items.length})`);
  return item;
}

/** The value at fraction `p` (0–1) of `values` in ascending order, the nearest rank below; 0 when there are none. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}
