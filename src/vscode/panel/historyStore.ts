/**
 * Persistence of the panel's history (finished runs) in a VS Code Memento (workspaceState), capped
 * by entry count and serialized size so the storage stays small. Free of `vscode`: it takes any
 * object with Memento's `get`/`update`.
 */
import { isRunState, reduceRun, type RunState } from '../../shared/runState';

/** The subset of `vscode.Memento` the store needs. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface HistoryLimits {
  /** Most runs kept (oldest dropped first). */
  maxRuns: number;
  /** Largest serialized size in characters (oldest dropped first, then reasoning and references trimmed). */
  maxChars: number;
}

export const DEFAULT_HISTORY_LIMITS: Readonly<HistoryLimits> = Object.freeze({ maxRuns: 50, maxChars: 2_000_000 });

const STORAGE_KEY = 'smcs.history.v1';

const size = (runs: readonly RunState[]): number => JSON.stringify(runs).length;

/** Drops reasoning and reference texts, keeping the question, candidates, scores and choice. */
function slim(run: RunState): RunState {
  return { ...run, referencers: run.referencers.map((r) => ({ ...r, text: '', reasoning: '' })) };
}

/** Applies the limits: newest runs win; a run too large on its own keeps only its candidates. */
export function capHistory(runs: readonly RunState[], limits: HistoryLimits): RunState[] {
  let kept = runs.slice(-limits.maxRuns);
  while (kept.length > 1 && size(kept) > limits.maxChars) kept = kept.slice(1);
  if (size(kept) > limits.maxChars) kept = kept.map(slim);
  if (size(kept) > limits.maxChars) return [];
  return kept;
}

/** An entry stored before runs had a thread id gets its own id as thread id. */
function withThread(entry: unknown): unknown {
  if (typeof entry !== 'object' || entry === null) return entry;
  const { id, threadId } = entry as { id?: unknown; threadId?: unknown };
  return threadId === undefined && typeof id === 'string' ? { ...entry, threadId: id } : entry;
}

/** Loads and saves the history list. */
export class HistoryStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
  ) {}

  /**
   * Stored runs, oldest first. Malformed entries are skipped; a run interrupted by a window close is marked
   * cancelled; a run stored before threads existed is a thread of its own.
   */
  load(now: number): RunState[] {
    const raw = this.store.get<unknown>(STORAGE_KEY);
    if (!Array.isArray(raw)) return [];
    return raw
      .map(withThread)
      .filter(isRunState)
      .map((run) => (run.status === 'running' ? reduceRun(run, { type: 'cancelled', at: now }) : run));
  }

  /** Saves the finished runs among `runs`, capped; returns what was stored. */
  async save(runs: readonly RunState[]): Promise<RunState[]> {
    const capped = capHistory(runs.filter((r) => r.status !== 'running'), this.limits);
    await this.store.update(STORAGE_KEY, capped);
    return capped;
  }

  async clear(): Promise<void> {
    await this.store.update(STORAGE_KEY, undefined);
  }
}
