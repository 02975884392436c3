/**
 * A member's requests through the team gate: the whole method's ask admitted at its plan's worst cost, a relayed
 * request as one call, and the member's own usage (`GET /v1/smcs/usage`).
 */
import type { AskGate } from '../askRun';
import type { RelayOutcomeLog } from '../routed';
import { spentCall, type Member, type SpentCall, type TeamGate } from './teamGate';
import { usageReport, type UsageLine } from './spendLedger';
import { periodStart, type BudgetPeriod } from './budgetPeriod';

/** The gate of one ask (`askId`, the id its upstream requests carry) of `member`. */
export function teamAsk(gate: TeamGate, member: Member, askId: string): AskGate {
  return {
    admit: async (view) => {
      const hold = await gate.admit(member, view.worstUsd, askId);
      return {
        record: (call) => hold.record(spentCall(call)),
        // A row for the call, its outcome `cancelled` or `failed`, no tokens and no cost: the upstream never began its reply.
        unpaid: (call) => hold.record({ stage: call.stage, model: call.model, tokens: { prompt: 0, completion: 0 }, costUsd: 0, latencyMs: call.latencyMs, outcome: call.outcome }),
        settle: () => hold.settle([]),
      };
    },
  };
}

/** The one upstream call of a relayed request, when the upstream answered (a refusal or a cancelled relay reports none). */
export function relayedCall(outcome: RelayOutcomeLog): SpentCall[] {
  if (!outcome.ok || !outcome.outcome) return [];
  const { usage, costUsd } = outcome.outcome;
  return [{ stage: 'routed', model: outcome.route.model, tokens: { prompt: usage?.promptTokens ?? 0, completion: usage?.completionTokens ?? 0 }, costUsd: costUsd ?? null, latencyMs: 0, outcome: usage ? 'ok' : 'estimated' }];
}

/** What `GET /v1/smcs/usage` answers a member: the key's name, its budget and period, its spend this period, and that spend by stage and by model. */
export async function memberUsage(gate: TeamGate, member: Member): Promise<{ name: string; since: string; resetsAt: string | null; budgetUsd: number | null; per: BudgetPeriod | null; spentUsd: number; reservedUsd: number; byStage: UsageLine[]; byModel: UsageLine[] }> {
  const key = (await gate.db.listKeys()).find((k) => k.name === member.name && k.revokedAt === null);
  const since = periodStart(key?.budget?.per ?? 'month', new Date());
  const [byStage, byModel] = [await usageReport(gate.db, 'stage', since, member.keyId), await usageReport(gate.db, 'model', since, member.keyId)];
  return { name: member.name, since: since.toISOString(), resetsAt: key?.resetsAt ?? null, budgetUsd: key?.budget?.usd ?? null, per: key?.budget?.per ?? null, spentUsd: key?.spentUsd ?? 0, reservedUsd: key?.reservedUsd ?? 0, byStage, byModel };
}
