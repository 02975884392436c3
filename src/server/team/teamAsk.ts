/** A member's requests through the team gate: the whole method's ask admitted at its plan's worst cost, a relayed request as one call. */
import type { AskGate } from '../ensemble';
import type { RelayOutcomeLog } from '../routed';
import { spentCall, type Member, type SpentCall, type TeamGate } from './teamGate';

/** The gate of one ask (`askId`, the id its upstream requests carry) of `member`. */
export function teamAsk(gate: TeamGate, member: Member, askId: string): AskGate {
  return {
    admit: async (view) => {
      const hold = await gate.admit(member, view.worstUsd, askId);
      return (calls) => hold.settle(calls.map(spentCall));
    },
  };
}

/** The one upstream call of a relayed request, when the upstream answered (a refusal or a cancelled relay reports none). */
export function relayedCall(outcome: RelayOutcomeLog): SpentCall[] {
  if (!outcome.ok || !outcome.outcome) return [];
  const { usage, costUsd } = outcome.outcome;
  return [{ stage: 'routed', model: outcome.route.model, tokens: { prompt: usage?.promptTokens ?? 0, completion: usage?.completionTokens ?? 0 }, costUsd: costUsd ?? null, latencyMs: 0, outcome: usage ? 'ok' : 'estimated' }];
}
