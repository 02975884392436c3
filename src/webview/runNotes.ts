/**
 * The short notes a turn of a conversation carries when a model's context window was too small: the oldest earlier
 * turns it did not get, or a lower output limit than the setting asks for (from the run's `conversation.dropped` and
 * `cappedOutput`).
 */
import type { RunState } from '../presentation/runState';
import { formatCount } from '../presentation/format';
import { shortModelNames } from './modelNames';

export interface RunNote {
  kind: 'dropped' | 'capped';
  text: string;
}

type Stage = 'referencer' | 'aggregation';
const ROLE: Record<Stage, string> = { referencer: 'as a referencer', aggregation: 'as the aggregator' };

function turnsPhrase(dropped: number, total: number): string {
  if (dropped >= total) return total === 1 ? 'the earlier turn' : `any of the ${total} earlier turns`;
  return dropped === 1 ? 'the oldest turn' : `the ${dropped} oldest turns`;
}

/** Groups entries by model, keeping the order in which the models first appear. */
function byModel<T extends { model: string }>(entries: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const e of entries) groups.set(e.model, [...(groups.get(e.model) ?? []), e]);
  return groups;
}

/** The notes of a run, one per model and kind (a model whose referencer and aggregation calls differ gets one per role). */
export function runNotes(run: Pick<RunState, 'conversation' | 'cappedOutput' | 'referencers' | 'aggregator'>): RunNote[] {
  const dropped = run.conversation?.dropped ?? [];
  const capped = run.cappedOutput ?? [];
  const total = run.conversation?.turns ?? 0;
  const names = shortModelNames([...run.referencers.map((r) => r.model), ...(run.aggregator !== undefined ? [run.aggregator] : []), ...dropped.map((d) => d.model), ...capped.map((c) => c.model)]);
  const name = (model: string): string => names.get(model) ?? model;
  const notes: RunNote[] = [];
  for (const [model, entries] of byModel(dropped)) {
    const counts = new Set(entries.map((e) => e.turns));
    const parts = counts.size === 1 ? [{ turns: entries[0]?.turns ?? 0, role: '' }] : entries.map((e) => ({ turns: e.turns, role: ` ${ROLE[e.stage]}` }));
    for (const p of parts) notes.push({ kind: 'dropped', text: `${name(model)}${p.role} did not get ${turnsPhrase(p.turns, Math.max(total, p.turns))}: its context window is too small.` });
  }
  for (const [model, entries] of byModel(capped)) {
    const limit = Math.min(...entries.map((e) => e.maxTokens));
    notes.push({ kind: 'capped', text: `Output limited to ${formatCount(limit)} tokens for ${name(model)}: its context window leaves no more room.` });
  }
  return notes;
}
