/**
 * The panel's runs: the history and the run being answered, the conversations they form, what the webview is sent of
 * them, and their persistence. Every change goes through the shared reducer (src/presentation/runState.ts) here and, as the
 * same actions, in the webview; streamed deltas are batched. Free of `vscode`, so its tests run on node alone.
 */
import { isHostToWebview, type HostToWebview, type PanelSnapshot, type SetupState } from '../../presentation/protocol';
import { reduceRun, type RunAction, type RunState } from '../../presentation/runState';
import { keptTurns, listThreads, withRetryInPlace } from '../../presentation/threads';
import { formatQuantity } from '../../presentation/format';
import { errorMessage } from '../../core/contracts/errors';
import { redactRegisteredJson } from '../../core/util/redact';
import type { Turn } from '../../core/ask/conversation';
import { userMessage } from '../../core/ask/prompts';
import { contextText } from '../../core/context/contextItem';
import type { HistoryStore } from './historyStore';
import type { LogLevel } from '../log';

/** A run's question as the models received it: with the selection it was about. */
const sentQuestion = (run: RunState): string => userMessage(run.question, contextText(run.selection?.items ?? []));

/** Webview message batching interval for streamed deltas (ms). */
export const FLUSH_MS = 40;

export interface PanelRunsDeps {
  history: Pick<HistoryStore, 'load' | 'save' | 'clear'>;
  log: { write(level: LogLevel, message: string): void };
  /** The setup the panel shows (endpoints added, an invalid setting). */
  setup: () => SetupState;
  /** Asks the user to confirm something that cannot be undone; resolves true when they did. */
  confirm: (message: string, action: string) => Promise<boolean>;
}

interface ActiveRun {
  id: string;
  /** Actions not yet sent to the webview (streaming deltas are batched). */
  pending: RunAction[];
  flushTimer: ReturnType<typeof setTimeout> | undefined;
}

export class PanelRuns {
  private runs: RunState[];
  private active: ActiveRun | undefined;
  private post: ((msg: HostToWebview) => void) | undefined;
  /** The webview's own post function (`post` sends through it with the registered keys removed). */
  private view: ((msg: HostToWebview) => void) | undefined;
  /** The thread the next question continues; undefined = a new chat. */
  private activeThread: string | undefined;
  private readonly clearedListeners = new Set<() => void>();

  constructor(private readonly deps: PanelRunsDeps) {
    this.runs = deps.history.load(Date.now());
    this.activeThread = listThreads(this.runs)[0]?.id;
  }

  /** Finished and current runs, oldest first. */
  get history(): readonly RunState[] {
    return this.runs;
  }

  /** The thread the panel shows, which a question typed there continues. */
  get activeThreadId(): string | undefined {
    return this.activeThread;
  }

  /** The run being answered, if any. */
  get activeRunId(): string | undefined {
    return this.active?.id;
  }

  find(runId: string): RunState | undefined {
    return this.runs.find((r) => r.id === runId);
  }

  /** The full state the panel needs after (re)creation. */
  snapshot(): PanelSnapshot {
    const snapshot: PanelSnapshot = { runs: this.runs, setup: this.deps.setup() };
    if (this.active) snapshot.activeRunId = this.active.id;
    if (this.activeThread !== undefined) snapshot.activeThreadId = this.activeThread;
    return snapshot;
  }

  /** Connects a ready webview; messages go to it until `detachView`. */
  attachView(post: (msg: HostToWebview) => void): void {
    this.view = post;
    // Errors are redacted where they are made; a key echoed anywhere else (a reply quoting it) stops here.
    this.post = (msg) => {
      const clean = redactRegisteredJson(msg, isHostToWebview);
      if (clean) post(clean);
    };
    this.flush();
    this.post({ type: 'snapshot', snapshot: this.snapshot() });
  }

  detachView(post: (msg: HostToWebview) => void): void {
    if (this.view !== post) return;
    this.view = undefined;
    this.post = undefined;
  }

  /** Sends a message to the webview, when one is attached. */
  send(msg: HostToWebview): void {
    this.post?.(msg);
  }

  /** Tells the panel the setup changed (endpoints added, settings fixed or broken). */
  publishSetup(): void {
    this.post?.({ type: 'setup', setup: this.deps.setup() });
  }

  /** The earlier turns of a thread as the models receive them: the question with the selection it was about, the reply the user kept. */
  turns(threadId: string | undefined): Turn[] {
    return threadId === undefined ? [] : keptTurns(this.runs, threadId, sentQuestion);
  }

  /** The turns `run` was asked after: what asking its question again sends with it. */
  turnsBefore(run: RunState): Turn[] {
    return keptTurns(this.runs.filter((r) => r.startedAt < run.startedAt), run.threadId, sentQuestion);
  }

  /** The questions of the turns before `run` in its thread, oldest first: what makes a follow-up one. */
  earlierQuestions(run: RunState): string[] {
    return keptTurns(this.runs.filter((r) => r.startedAt < run.startedAt), run.threadId, (r) => r.question).map((t) => t.question);
  }

  /** Starts a new conversation: the next question does not continue the current thread. */
  newChat(): void {
    this.showThread(undefined);
  }

  /** Shows a thread; the next question continues it. */
  openThread(threadId: string): void {
    if (this.runs.some((r) => r.threadId === threadId)) this.showThread(threadId);
  }

  /** Forgets one thread (not while it is answering). */
  async deleteThread(threadId: string): Promise<void> {
    const removed = this.runs.filter((r) => r.threadId === threadId && r.id !== this.active?.id);
    if (removed.length === 0) return;
    const ids = new Set(removed.map((r) => r.id));
    this.runs = this.runs.filter((r) => !ids.has(r.id));
    this.post?.({ type: 'runs-removed', runIds: [...ids] });
    if (this.activeThread === threadId && !this.runs.some((r) => r.threadId === threadId)) this.showThread(undefined);
    this.deps.log.write('info', `conversation deleted (${removed.length} question(s))`);
    await this.persist();
  }

  /** Forgets every finished run and conversation, after the user confirms (nothing to ask when there is none). */
  async clearHistory(): Promise<void> {
    const finished = this.runs.filter((r) => r.id !== this.active?.id);
    if (finished.length > 0 && !(await this.deps.confirm(`Clear all ${formatQuantity(listThreads(finished).length, 'conversation')} and their answers? This cannot be undone.`, 'Clear History'))) return;
    this.runs = this.runs.filter((r) => r.id === this.active?.id);
    this.activeThread = this.runs[0]?.threadId;
    for (const listener of this.clearedListeners) listener();
    await this.deps.history.clear();
    this.post?.({ type: 'snapshot', snapshot: this.snapshot() });
    this.deps.log.write('info', 'history cleared');
  }

  /** Calls `listener` when the history is cleared. */
  onDidClear(listener: () => void): { dispose(): void } {
    this.clearedListeners.add(listener);
    return { dispose: () => this.clearedListeners.delete(listener) };
  }

  /**
   * Adds a run as the one being answered, in the place of the failed run `retriedId` of the same thread, and shows
   * its thread; the caller then sends `run-started`.
   */
  start(run: RunState, retriedId: string | undefined): void {
    this.active = { id: run.id, pending: [], flushTimer: undefined };
    const before = this.runs;
    this.runs = withRetryInPlace(before, retriedId, run);
    const replaced = before.filter((r) => !this.runs.includes(r)).map((r) => r.id);
    if (replaced.length > 0) {
      this.post?.({ type: 'runs-removed', runIds: replaced });
      this.deps.log.write('info', `ask ${run.id}: takes the place of the failed run ${replaced.join(', ')}`);
    }
    if (this.activeThread !== run.threadId) this.showThread(run.threadId);
  }

  /**
   * Adds a run asked from outside the panel (VS Code's chat, another extension) as a thread of its own: it is in the
   * history like any run, while the panel goes on showing what it shows.
   */
  startAside(run: RunState): void {
    this.runs = [...this.runs, run];
  }

  /** A run asked from outside the panel has ended: it is saved, and the panel lists it. */
  async finishAside(runId: string): Promise<void> {
    const run = this.find(runId);
    if (run?.status === 'running') this.apply(runId, { type: 'cancelled', at: Date.now() });
    await this.persist();
    this.post?.({ type: 'snapshot', snapshot: this.snapshot() });
  }

  /** Takes back a run shown before its question was sent (the user declined it): it leaves the history and the panel. */
  discard(runId: string): void {
    if (this.active?.id === runId) {
      if (this.active.flushTimer !== undefined) clearTimeout(this.active.flushTimer);
      this.active = undefined;
    }
    if (!this.runs.some((r) => r.id === runId)) return;
    this.runs = this.runs.filter((r) => r.id !== runId);
    this.post?.({ type: 'runs-removed', runIds: [runId] });
  }

  /** The run `runId` is no longer answered: what is queued for it is sent. */
  finish(runId: string): void {
    if (this.active?.id !== runId) return;
    this.flush();
    this.active = undefined;
  }

  /** Applies an action to the host's copy and queues it for the webview. */
  apply(runId: string, action: RunAction): void {
    const i = this.runs.findIndex((r) => r.id === runId);
    const current = this.runs[i];
    if (current === undefined) return;
    const next = reduceRun(current, action);
    if (next === current) return;
    this.runs = this.runs.map((r, j) => (j === i ? next : r));
    if (this.active?.id === runId) {
      this.active.pending.push(action);
      const streaming = action.type === 'event' && (action.event.type === 'referencer-delta' || action.event.type === 'aggregation-delta');
      if (!streaming) this.flush();
      else if (this.active.flushTimer === undefined) this.active.flushTimer = setTimeout(() => this.flush(), FLUSH_MS);
    } else {
      this.post?.({ type: 'run-actions', runId, actions: [action] });
    }
  }

  /** Sends the queued actions of the active run. */
  flush(): void {
    const active = this.active;
    if (!active) return;
    if (active.flushTimer !== undefined) clearTimeout(active.flushTimer);
    active.flushTimer = undefined;
    if (active.pending.length === 0) return;
    const actions = active.pending;
    active.pending = [];
    this.post?.({ type: 'run-actions', runId: active.id, actions });
  }

  /** Saves the history; runs the store dropped (over its limits) leave the panel too. */
  async persist(): Promise<void> {
    try {
      const stored = await this.deps.history.save(this.runs);
      const keep = new Set(stored.map((r) => r.id));
      const dropped = this.runs.filter((r) => r.status !== 'running' && !keep.has(r.id));
      if (dropped.length > 0) {
        const byId = new Map(stored.map((r) => [r.id, r]));
        this.runs = this.runs.filter((r) => r.status === 'running' || byId.has(r.id)).map((r) => byId.get(r.id) ?? r);
        this.post?.({ type: 'snapshot', snapshot: this.snapshot() });
      }
    } catch (err) {
      this.deps.log.write('error', `could not save the history: ${errorMessage(err)}`);
    }
  }

  private showThread(threadId: string | undefined): void {
    this.activeThread = threadId;
    this.post?.({ type: 'active-thread', threadId: threadId ?? null });
  }

  dispose(): void {
    this.post = undefined;
  }
}
