/**
 * Which models of a run had no label among its similar questions ("unprofiled"): the one list that "Why these models"
 * marks and the turn's notice names, and which of them the run left out (what "Use them anyway" asks again with).
 */
import type { RunState } from './runState';
import type { ModelEstimate } from '../core/contracts/routingReport';
import { formatQuantity } from './format';

type RoutedRun = Pick<RunState, 'priors' | 'routing' | 'referencers'>;

/**
 * The run's unprofiled models, in the order its priors list them (the configured order): a model is unprofiled when
 * its routing estimate says so, else (runs stored before estimates) when its prior does.
 */
export function unprofiledModels(run: Pick<RunState, 'priors' | 'routing'>): string[] {
  const estimates = new Map((run.routing?.estimates ?? []).map((e) => [e.model, e.unprofiled]));
  return run.priors.filter((p) => estimates.get(p.model) ?? p.unprofiled).map((p) => p.model);
}

/** The unprofiled models the run did not ask: those "Use them anyway" adds to the referencers. */
export function leftOutUnprofiled(run: RoutedRun): string[] {
  const asked = new Set(run.referencers.map((r) => r.model));
  return unprofiledModels(run).filter((m) => !asked.has(m));
}

/** "62 %": a share as whole percent, as the panel and the CLI say a model's record. */
export const wholePercent = (share: number): string => `${Math.round(share * 100)} %`;

/**
 * A model's record on the ask's similar questions, as "Why these models" and `smcs ask` say it: "right on 62 % of 143
 * similar questions", or "no label among the similar questions" for a model the bank has no label for there.
 */
export function similarRecord(estimate: Pick<ModelEstimate, 'accuracy' | 'labelled' | 'unprofiled'> | undefined): string {
  if (!estimate || estimate.unprofiled) return 'no label among the similar questions';
  return `right on ${wholePercent(estimate.accuracy)} of ${formatQuantity(estimate.labelled, 'similar question')}`;
}
