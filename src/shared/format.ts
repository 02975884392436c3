/** Money as every front end shows it (panel, host dialogs, CLI), so one cost never reads two ways. */

/**
 * USD with three significant digits below a dollar (`$0.0123`, `$0.12`, `$0.000456`) and cents above (`$1.23`):
 * an answer often costs a fraction of a cent, and two decimals would show most of them as `$0.00`.
 */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd) || usd < 0) return '';
  if (usd === 0) return '$0';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  if (usd < 0.000001) return '< $0.000001';
  const decimals = Math.max(2, 2 - Math.floor(Math.log10(usd)));
  const fixed = usd.toFixed(decimals);
  // Trailing zeros beyond the cents carry no digit of the cost ($0.120 reads as $0.12).
  return `$${fixed.replace(/(\.\d\d\d*?)0+$/, '$1')}`;
}

/** Significant digits money keeps in machine-readable output: every digit a price × tokens product carries, none of the float noise a sum adds (`8.999999999999999e-05` → `0.00009`). */
export const USD_SIGNIFICANT_DIGITS = 10;

/** USD rounded for output (`--json`); sums are made from the unrounded values, and only their result is rounded. */
export function roundUsd(usd: number): number {
  return Number.isFinite(usd) && usd !== 0 ? Number(usd.toPrecision(USD_SIGNIFICANT_DIGITS)) : usd;
}
