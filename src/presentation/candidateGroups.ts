/**
 * Candidates the panel shows as one card: aggregations that wrote the same reply (when every subset leads the
 * aggregator to the same answer, n cards of one text said nothing the first did not). Derived from a run's current
 * candidates only, so a second `subsets` event, which replaces them, regroups from scratch.
 *
 * "The same reply" is equal text after trimming it, ending lines with "\n" and dropping blanks at line ends: none of
 * these change what the reply renders as or the code Apply writes. Whitespace inside a line and markdown punctuation
 * are kept: indentation is code in Python or YAML, and `**x**` against `x` is a different reply to read, so folding
 * them would make "Use this reply" pick one of two texts the user never saw side by side.
 */
import type { CandidateState, RunState } from './runState';

export interface CandidateGroup {
  /** Its candidates in index order: one, unless several finished aggregations wrote the same reply. */
  members: CandidateState[];
  /** The candidate the card's scores and buttons stand for: the user's choice, else the winner, when the group holds it; else the first. */
  lead: CandidateState;
  /** How many of the n draws gave the group's subsets (what its agreement counts for in the others' similarity). */
  draws: number;
}

/** The text two replies are compared by. */
export function comparedText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

/**
 * The run's candidates, those that finished with the same reply together, in the order of their first member. A
 * candidate still being written, failed or stopped by the user stands alone: its text is not a finished reply.
 */
export function candidateGroups(run: Pick<RunState, 'candidates'> & Partial<Pick<RunState, 'winner' | 'choice'>>): CandidateGroup[] {
  const byText = new Map<string, CandidateState[]>();
  const groups: CandidateState[][] = [];
  for (const c of [...run.candidates].sort((a, b) => a.index - b.index)) {
    const key = c.status === 'done' ? comparedText(c.text) : undefined;
    const same = key === undefined ? undefined : byText.get(key);
    if (same) {
      same.push(c);
      continue;
    }
    const members = [c];
    if (key !== undefined) byText.set(key, members);
    groups.push(members);
  }
  const chosen = run.choice?.kind === 'candidate' ? run.choice.index : undefined;
  return groups.map((members) => ({
    members,
    lead: members.find((c) => c.index === chosen) ?? members.find((c) => c.index === run.winner) ?? (members[0] as CandidateState),
    draws: members.reduce((sum, c) => sum + (c.draws ?? 1), 0),
  }));
}

/** The group holding candidate `index`. */
export function groupOf(groups: readonly CandidateGroup[], index: number | undefined): CandidateGroup | undefined {
  return index === undefined ? undefined : groups.find((g) => g.members.some((c) => c.index === index));
}

/** "1", "1 and 3", "1, 3 and 4": candidate numbers as the panel shows them (from 1). */
function numbers(group: CandidateGroup): string {
  const shown = group.members.map((c) => String(c.index + 1));
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1] ?? ''}`;
}

/** "Candidate 2", "Candidates 1, 3 and 4": the group as its card, the answer and the Compare menu name it. */
export function groupName(group: CandidateGroup): string {
  return `Candidate${group.members.length > 1 ? 's' : ''} ${numbers(group)}`;
}

/** The name of the group holding candidate `index` ("Candidates 1 and 3"), or the candidate's own when no group does. */
export function nameOf(groups: readonly CandidateGroup[], index: number): string {
  const group = groupOf(groups, index);
  return group ? groupName(group) : `Candidate ${index + 1}`;
}

/** The Candidates section's summary: "Candidates (4)", or "Candidates (2 distinct of 4)" when some agree. */
export function candidatesSummary(groups: readonly CandidateGroup[]): string {
  const count = groups.reduce((sum, g) => sum + g.members.length, 0);
  if (count === 0) return 'Candidates';
  return groups.length === count ? `Candidates (${count})` : `Candidates (${groups.length} distinct of ${count})`;
}
