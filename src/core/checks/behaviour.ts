/**
 * What replies do on derived inputs (derivedInputs.ts), and how far independent models agree on it (design-notes
 * "Checks: agreement on derived inputs"). Replies that return the same on every derived input share a behaviour; a
 * behaviour's support is the weight of the distinct referencer models that show it — an aggregation never adds to
 * it, since it copies the references it was given (the popularity trap measured for code ensembles, arXiv
 * 2510.21513: consensus counts only between independent sources). A crash or time-out where another reply returns
 * is counted apart, and ranks below returning. Inputs on which every reply crashes tell nothing (probably outside
 * what the function accepts) and are left out. Pure.
 */
import type { Behaviour, CheckRun, OutputRules } from '../contracts/checks';
import { parseLiteral } from './literal';
import { valueMatches } from './outputMatch';

/** One reply's runs on the derived inputs, and the referencer model that wrote it (absent for an aggregation). */
export interface ProbedReply {
  key: string;
  model?: string;
  runs: readonly CheckRun[];
}

const crashed = (run: CheckRun | undefined): boolean => run !== undefined && (run.status === 'errored' || run.status === 'timedOut');
const returned = (run: CheckRun | undefined): boolean => run !== undefined && (run.status === 'passed' || run.status === 'failed');

/** Whether two replies return the same on every input where both returned (under the question's output rules). */
function sameOutputs(a: ReadonlyMap<number, CheckRun>, b: ReadonlyMap<number, CheckRun>, inputs: readonly number[], rules: OutputRules): boolean {
  return inputs.every((input) => {
    const x = a.get(input);
    const y = b.get(input);
    if (crashed(x) || crashed(y)) return crashed(x) === crashed(y);
    if (!returned(x) || !returned(y)) return true;
    const left = x?.actual ?? '';
    const right = y?.actual ?? '';
    const lv = parseLiteral(left.trim());
    const rv = parseLiteral(right.trim());
    return lv !== null && rv !== null ? valueMatches(lv, rv, rules) : left.trim() === right.trim();
  });
}

/**
 * Each reply's behaviour on the derived inputs, keyed like its results. `weights` gives each referencer model's say
 * (a model missing from it has none).
 */
export function behaviours(replies: readonly ProbedReply[], rules: OutputRules, weights: ReadonlyMap<string, number>): Map<string, Behaviour> {
  const byInput = replies.map((r) => new Map(r.runs.map((run) => [run.check, run])));
  const inputs = [...new Set(replies.flatMap((r) => r.runs.map((run) => run.check)))].filter((input) => byInput.some((runs) => returned(runs.get(input))));
  const groups: { first: number; models: Set<string> }[] = [];
  const groupOf = replies.map((reply, i) => {
    let g = groups.findIndex((group) => sameOutputs(byInput[group.first] as ReadonlyMap<number, CheckRun>, byInput[i] as ReadonlyMap<number, CheckRun>, inputs, rules));
    if (g < 0) g = groups.push({ first: i, models: new Set() }) - 1;
    if (reply.model !== undefined) groups[g]?.models.add(reply.model);
    return g;
  });
  const supportOf = groups.map((group) => [...group.models].reduce((sum, model) => sum + (weights.get(model) ?? 0), 0));
  return new Map(
    replies.map((reply, i) => {
      const runs = byInput[i] as ReadonlyMap<number, CheckRun>;
      const group = groupOf[i] as number;
      return [reply.key, { crashes: inputs.filter((input) => crashed(runs.get(input))).length, group, support: supportOf[group] as number }];
    }),
  );
}

/**
 * Each referencer model's say in agreement: half an equal share, half its share of the priors (all equal when the
 * priors are), so that a high-prior model counts for more without outvoting two others alone.
 */
export function agreementWeights(priors: ReadonlyMap<string, number>): Map<string, number> {
  const models = [...priors.keys()];
  const positive = models.map((m) => Math.max(0, priors.get(m) ?? 0));
  const total = positive.reduce((a, b) => a + b, 0);
  return new Map(models.map((m, i) => [m, 0.5 / models.length + 0.5 * (total > 0 ? (positive[i] as number) / total : 1 / models.length)]));
}
