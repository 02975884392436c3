/**
 * A member's spend on a team SMCS server as the editor reads and words it: the answer of `GET /v1/smcs/usage`
 * (src/server/team/teamAsk.ts, `memberUsage`) checked, and the one line the Bank section and SMCS: Show My Team Usage
 * show — "Team key alice: $3.20 of $10.00 this week · resets Mon".
 */
import { formatQuantity, formatUsd } from './format';

export type TeamBudgetPeriod = 'day' | 'week' | 'month';

/** Spend of one stage (referencer, aggregation, tests, embedding, routed) this period. */
export interface TeamStageSpend {
  stage: string;
  calls: number;
  costUsd: number;
}

/** What the editor reads of a member's usage report. */
export interface TeamUsage {
  /** The key's name on the team server. */
  name: string;
  /** The budget, and the period it is per; both null for a key without a budget (its spend is this month's). */
  budgetUsd: number | null;
  per: TeamBudgetPeriod | null;
  /** Settled this period, and held by the key's asks under way. */
  spentUsd: number;
  reservedUsd: number;
  /** When the period ends (ISO time, UTC); null without a budget. */
  resetsAt: string | null;
  byStage: TeamStageSpend[];
}

/** One team server's line in the Bank section: the usage line, or why it could not be read (`problem`). */
export interface TeamUsageView {
  /** The endpoint id of the team server. */
  endpoint: string;
  text: string;
  problem: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUsd = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const PERIODS: readonly string[] = ['day', 'week', 'month'];

function stageSpend(v: unknown): TeamStageSpend[] {
  if (!isObject(v) || typeof v.group !== 'string' || !isUsd(v.costUsd)) return [];
  return [{ stage: v.group, calls: typeof v.calls === 'number' ? v.calls : 0, costUsd: v.costUsd }];
}

/** The usage report in `body`, or undefined when it is not one (the server is not a team SMCS server). */
export function readTeamUsage(body: unknown): TeamUsage | undefined {
  if (!isObject(body) || typeof body.name !== 'string' || !isUsd(body.spentUsd)) return undefined;
  const budgetUsd = isUsd(body.budgetUsd) ? body.budgetUsd : null;
  const per = typeof body.per === 'string' && PERIODS.includes(body.per) ? (body.per as TeamBudgetPeriod) : null;
  return {
    name: body.name,
    budgetUsd,
    per: budgetUsd === null ? null : per,
    spentUsd: body.spentUsd,
    reservedUsd: isUsd(body.reservedUsd) ? body.reservedUsd : 0,
    resetsAt: typeof body.resetsAt === 'string' && !Number.isNaN(Date.parse(body.resetsAt)) ? body.resetsAt : null,
    byStage: Array.isArray(body.byStage) ? body.byStage.flatMap(stageSpend) : [],
  };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** When the budget resets, in the period's own terms (periods are UTC): "resets at 00:00 UTC", "resets Mon", "resets Dec 1". */
export function resetText(per: TeamBudgetPeriod, resetsAt: string): string {
  const at = new Date(resetsAt);
  if (per === 'day') return 'resets at 00:00 UTC';
  if (per === 'week') return `resets ${WEEKDAYS[at.getUTCDay()] ?? ''}`;
  return `resets ${MONTHS[at.getUTCMonth()] ?? ''} ${at.getUTCDate()}`;
}

/**
 * "Team key alice: $3.20 of $10.00 this week · resets Mon"; with asks under way, what they hold; without a budget,
 * "Team key bob: $0.42 this month · no budget".
 */
export function teamUsageLine(usage: TeamUsage): string {
  const head = `Team key ${usage.name}: ${formatUsd(usage.spentUsd)}`;
  const held = usage.reservedUsd > 0 ? [`${formatUsd(usage.reservedUsd)} held by asks under way`] : [];
  if (usage.budgetUsd === null) return [`${head} this month`, ...held, 'no budget'].join(' · ');
  const period = usage.per === null ? 'this period' : usage.per === 'day' ? 'today' : `this ${usage.per}`;
  const reset = usage.per !== null && usage.resetsAt !== null ? [resetText(usage.per, usage.resetsAt)] : [];
  return [`${head} of ${formatUsd(usage.budgetUsd)} ${period}`, ...held, ...reset].join(' · ');
}

/** The spend by stage, most first: "referencer $2.10 (12 calls) · aggregation $0.90 (4 calls)"; empty when nothing was spent. */
export function stageSpendText(byStage: readonly TeamStageSpend[]): string {
  return [...byStage]
    .sort((a, b) => b.costUsd - a.costUsd || a.stage.localeCompare(b.stage))
    .map((s) => `${s.stage} ${formatUsd(s.costUsd)} (${formatQuantity(s.calls, 'call')})`)
    .join(' · ');
}
