/**
 * How sure the bank is of a model's accuracy: the lower end of the Wilson score interval, so a model right on 1 of 1
 * question does not outrank one right on 900 of 1000 (used by `aggregator: auto`).
 */

/** z for a one-sided 95 % bound. */
const Z = 1.645;

/** Lower bound of the Wilson score interval for `correct` successes in `labelled` trials (0 when there are none). */
export function accuracyLowerBound(correct: number, labelled: number, z: number = Z): number {
  if (labelled <= 0) return 0;
  const p = correct / labelled;
  const z2 = z * z;
  const centre = p + z2 / (2 * labelled);
  const spread = z * Math.sqrt((p * (1 - p) + z2 / (4 * labelled)) / labelled);
  return Math.max(0, (centre - spread) / (1 + z2 / labelled));
}
