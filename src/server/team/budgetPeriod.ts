/** Budget periods in UTC: a day from midnight, a week from Monday, a month from its first day; when each resets. */

export type BudgetPeriod = 'day' | 'week' | 'month';

export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['day', 'week', 'month'];

/** The start of the period `at` falls in. */
export function periodStart(period: BudgetPeriod, at: Date): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  if (period === 'month') return new Date(Date.UTC(y, m, 1));
  if (period === 'day') return new Date(Date.UTC(y, m, d));
  // getUTCDay: 0 = Sunday; a week starts on Monday (ISO 8601).
  return new Date(Date.UTC(y, m, d - ((at.getUTCDay() + 6) % 7)));
}

/** When the budget of the period `at` falls in is whole again. */
export function periodReset(period: BudgetPeriod, at: Date): Date {
  const start = periodStart(period, at);
  if (period === 'month') return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return new Date(start.getTime() + (period === 'day' ? 1 : 7) * 86_400_000);
}
