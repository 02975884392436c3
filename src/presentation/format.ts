/** Money, counts, times and scores as every front end shows them (panel, host dialogs, CLI), so one number never reads two ways. */
import type { ReplyCounts } from './runState';

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

/** Whole seconds as `45 s` or `1 m 05 s`. */
function minutesSeconds(s: number): string {
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
}

/** Milliseconds as `850 ms`, `3.2 s` or `1 m 05 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return minutesSeconds(Math.round(ms / 1000));
}

/** Time left as `45 s` or `1 m 05 s`, rounded up (a countdown never shows 0 while still waiting). */
export function formatCountdown(ms: number): string {
  return minutesSeconds(Math.max(0, Math.ceil(ms / 1000)));
}

/** A share 0…1 as `72.5%`. */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** A score with three decimals (or `decimals`), or an em dash when absent. */
export function formatScore(v: number | null | undefined, decimals = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(decimals);
}

/** Token counts, e.g. `512 tok`, `2,017 tok`, `12.3k tok`. */
export function formatTokens(n: number): string {
  return `${tokenCount(n)} tok`;
}

/** A number of tokens as a phrase: `812 tokens`, `2,017 tokens`, `12.3k tokens`. */
export function formatTokenPhrase(n: number): string {
  return `${tokenCount(n)} token${n === 1 ? '' : 's'}`;
}

function tokenCount(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : formatCount(n);
}

/** An integer with thousands separators (`12,345`), the same in every locale. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A count of things: `1 turn`, `3 turns`, `1,234 questions` (`word` is the singular, made plural with an s). */
export function formatQuantity(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * What a stage's replies came to, counting only those that arrived: `5/7`, `5/7 · 2 stopped`, `4/7 · 1 failed`,
 * `6/7 · 1 late`, `all 7 failed` (every one failed: "0/7 failed" would read as none failing), `all 7 stopped`, `failed` (the
 * only one).
 */
export function formatReplyCounts(c: ReplyCounts): string {
  if (c.ok === 0 && c.total > 0 && (c.failed === c.total || c.stopped === c.total)) {
    const what = c.failed === c.total ? 'failed' : 'stopped';
    return c.total === 1 ? what : `all ${formatCount(c.total)} ${what}`;
  }
  return [`${c.ok}/${c.total}`, ...(c.failed > 0 ? [`${c.failed} failed`] : []), ...(c.stopped > 0 ? [`${c.stopped} stopped`] : []), ...(c.late > 0 ? [`${c.late} late`] : [])].join(' · ');
}
