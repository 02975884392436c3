/**
 * The one line that says why two candidates' similarities differ when their subsets were drawn a different number of
 * times: each distinct subset is aggregated once and its reply counts in the others' similarity as many times as the n
 * draws gave it (src/core/posterior/hybridScore.ts). Shown only once the candidates are scored and their draws differ;
 * with equal draws the weighting changes nothing.
 */
import { groupName, type CandidateGroup } from '../presentation/candidateGroups';
import { formatQuantity } from '../presentation/format';

export interface DrawWeightLine {
  /** "Candidate 1 was drawn 3 times of 4, so its agreement counts 3×." */
  text: string;
  /** What the weighting is, for the line's tooltip. */
  help: string;
}

/** "Candidate 1", "Candidates 1 and 2", "Candidate 1 and candidates 2 and 4": groups named in a sentence. */
function names(groups: readonly CandidateGroup[]): string {
  const [first] = groups;
  if (first && groups.every((g) => g.members.length === 1)) return groupName({ ...first, members: groups.flatMap((g) => g.members) });
  const named = groups.map((g, i) => (i === 0 ? groupName(g) : groupName(g).toLowerCase()));
  return named.length <= 1 ? named.join('') : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1] ?? ''}`;
}

/** The line for `groups` (the run's, see candidateGroups), or undefined when the draws decided nothing. */
export function drawWeightLine(groups: readonly CandidateGroup[]): DrawWeightLine | undefined {
  const scored = groups.filter((g) => g.lead.status === 'done' && g.lead.similarity !== undefined);
  if (scored.length < 2 || scored.length !== groups.filter((g) => g.lead.status === 'done').length) return undefined;
  const most = Math.max(...scored.map((g) => g.draws));
  if (scored.every((g) => g.draws === most)) return undefined;
  const heaviest = scored.filter((g) => g.draws === most);
  const n = groups.reduce((sum, g) => sum + g.draws, 0);
  const plural = heaviest.length > 1 || (heaviest[0]?.members.length ?? 1) > 1;
  const drawn = `${heaviest.length > 1 ? 'were each' : plural ? 'were' : 'was'} drawn ${formatQuantity(most, 'time')} of ${n}`;
  return {
    text: `${names(heaviest)} ${drawn}, so ${plural ? 'their' : 'its'} agreement counts ${most}×.`,
    help: `Each distinct subset of references is aggregated once and counts as many times as the ${n} draws gave it: a candidate's similarity is its agreement with the others, each weighted by its draws.`,
  };
}
