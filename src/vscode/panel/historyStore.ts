/**
 * Persistence of the panel's history (finished runs) in a VS Code Memento (workspaceState), capped
 * by entry count and serialized size so the storage stays small. Free of `vscode`: it takes any
 * object with Memento's `get`/`update`.
 */
import { contextItem, reportOf, type ContextItem } from '../../core/context/contextItem';
import type { Because } from '../../core/contracts/answer';
import type { ReplyRef } from '../../core/contracts/checks';
import { isRunState, reduceRun, type RunState } from '../../presentation/runState';

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

/** The string Ask About Selection sent before the selection was an item: `Selected code from <path> lines a–b (language: x):` and a fence. */
const SELECTION_STRING = /^Selected code from (.+?)(?: lines? (\d+)(?:–(\d+))?)? \(language: ([^\n]*)\):\n(`{3,})[^\n]*\n([\s\S]*)\n\5(?:\n\(The selection was cut[^\n]*\))?$/;

/** A path as that header named it: as it is, or a JSON string when it was not plain. */
function headerPath(named: string): string {
  if (!named.startsWith('"')) return named;
  try {
    const parsed: unknown = JSON.parse(named);
    return typeof parsed === 'string' ? parsed : named;
  } catch {
    return named;
  }
}

/** The item a stored selection string was: its file, lines and language read back from its header (else all of it, from "the editor"). */
function storedSelectionItem(sent: string): ContextItem {
  const m = SELECTION_STRING.exec(sent);
  const text = m?.[6] ?? sent;
  const startLine = Number(m?.[2] ?? 1);
  const endLine = m?.[3] !== undefined ? Number(m[3]) : m?.[2] !== undefined ? startLine : text.split('\n').length;
  return contextItem({ source: 'selection', path: headerPath(m?.[1] ?? 'the editor'), startLine, endLine, text, reason: 'selected', ...(m?.[4] ? { language: m[4] } : {}) });
}

/**
 * An entry stored when Ask About Selection's selection travelled as a string beside the items (`context`, and its
 * screen's notes in `contextScreen`) keeps it as the selection item it is now, among what the run reports it sent:
 * its follow-ups, a retry and learning from it carry it as they did.
 */
function withSelection(entry: unknown): unknown {
  if (typeof entry !== 'object' || entry === null || !('context' in entry || 'contextScreen' in entry)) return entry;
  const { context, contextScreen, ...rest } = entry as { context?: unknown; contextScreen?: unknown; contextReport?: unknown };
  const item = typeof context === 'string' ? storedSelectionItem(context) : undefined;
  const notes = Array.isArray(contextScreen) ? contextScreen.filter((n): n is string => typeof n === 'string') : [];
  if (item === undefined && notes.length === 0) return rest;
  const reported: unknown[] = Array.isArray(rest.contextReport) ? rest.contextReport : [];
  return { ...rest, selection: { items: item ? [item] : [], notes }, ...(item ? { contextReport: [reportOf(item), ...reported] } : {}) };
}

/**
 * An entry stored before the answer was one value (issue 43) — the answer's text, `checksReference`,
 * `fallbackReference` or `directReference`, and the user's `chosen` or `chosenReference` — gets the reply it named
 * as its `answer` (with why) and the user's as its `choice`; the text is its reply's.
 */
function withAnswer(entry: unknown): unknown {
  if (typeof entry !== 'object' || entry === null) return entry;
  const { answer, checksReference, fallbackReference, directReference, chosen, chosenReference, ...rest } = entry as Record<string, unknown>;
  if (typeof answer === 'object' || [answer, checksReference, fallbackReference, directReference, chosen, chosenReference].every((v) => v === undefined)) return entry;
  const text = (v: unknown): v is string => typeof v === 'string';
  const model = [checksReference, fallbackReference, directReference].find(text);
  const because: Because = text(checksReference) ? 'checks' : text(fallbackReference) ? 'fallback' : text(directReference) ? (rest.agreement !== undefined ? 'agreement' : 'routed') : rest.selectedBy === 'checks' ? 'checks' : 'score';
  const reply: ReplyRef | undefined = model !== undefined ? { kind: 'referencer', model } : typeof rest.winner === 'number' && rest.winner >= 0 ? { kind: 'candidate', index: rest.winner } : undefined;
  const choice: ReplyRef | undefined = text(chosenReference) ? { kind: 'referencer', model: chosenReference } : typeof chosen === 'number' ? { kind: 'candidate', index: chosen } : undefined;
  return { ...rest, ...(text(answer) && reply !== undefined ? { answer: { reply, because } } : {}), ...(choice !== undefined ? { choice } : {}) };
}

/** Loads and saves the history list. */
export class HistoryStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
  ) {}

  /**
   * Stored runs, oldest first. Malformed entries are skipped; a run interrupted by a window close is marked
   * cancelled; a run stored before threads existed is a thread of its own; a selection stored as a string is an item;
   * an answer stored as text and reference names is the reply they named.
   */
  load(now: number): RunState[] {
    const raw = this.store.get<unknown>(STORAGE_KEY);
    if (!Array.isArray(raw)) return [];
    return raw
      .map(withThread)
      .map(withSelection)
      .map(withAnswer)
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
