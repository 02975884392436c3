/**
 * The extension host's side of the panel: owns the runs (history + the current one), runs the
 * engine, applies every change with the shared reducer and forwards the same actions to the webview,
 * persists history, and turns user choices into feedback events and telemetry.
 */
import * as vscode from 'vscode';
import type { PipelineEvent } from '../../core/contracts/events';
import { errorKind, errorMessage } from '../../core/contracts/errors';
import { cleanMessage, redactRegisteredJson } from '../../core/util/redact';
import { createRun, effectiveChoice, keptReference, reduceRun, resultFromRun, shownAnswer, STAGES, type RunAction, type RunState } from '../../shared/runState';
import type { Turn } from '../../core/ask/conversation';
import { userMessage } from '../../core/ask/prompts';
import { PRESETS, type SmcsParams } from '../../core/contracts/types';
import type { Engine, EstimateRequest } from '../../engine/types';
import { keptTurns, listThreads, withRetry } from '../../shared/threads';
import { isHostToWebview, type ChipChoice, type EmbedderRemedy, type HostToWebview, type PanelSnapshot, type SetupState, type WebviewToHost } from '../../shared/protocol';
import type { ChoiceEmitter, ReplyChoiceKind } from '../learning/choiceFeedback';
import { askOrigin } from './applyProposal';
import { insertAtCursor, openInNewEditor } from './editorActions';
import type { EditorContext } from './editorContext';
import { REMEDY_COMMANDS } from '../embedding/embedderRemedies';
import type { HistoryStore } from './historyStore';
import type { Log } from '../log';
import type { QuestionContext, QuestionContextOptions } from '../context/questionContext';
import type { SettingsWatcher } from '../settings';
import type { Telemetry } from '../telemetry/telemetry';
import { askDoneEvent, askErrorEvent, replyChosenEvent, telemetryEvent } from '../telemetry/telemetryEvents';
import { formatQuantity } from '../../shared/format';

/** Builds (or reuses) the engine for the current settings; throws ConfigError on invalid settings. */
export type EngineSource = () => Promise<Engine>;

interface ActiveRun {
  id: string;
  abort: AbortController;
  /** Actions not yet sent to the webview (streaming deltas are batched). */
  pending: RunAction[];
  flushTimer: ReturnType<typeof setTimeout> | undefined;
}

/** Webview message batching interval for streamed deltas (ms). */
const FLUSH_MS = 40;

export interface AskControllerDeps {
  engine: EngineSource;
  history: HistoryStore;
  settings: SettingsWatcher;
  log: Log;
  telemetry: Telemetry;
  choices: ChoiceEmitter;
  /** Reveals the panel (so a question asked from the palette is visible). */
  revealPanel: () => Promise<void>;
  /** Asks the user to confirm something that cannot be undone; resolves true when they did. */
  confirm: (message: string, action: string) => Promise<boolean>;
  /** The context of a question from the editor, the files the user named and the workspace. */
  context: QuestionContext;
  /** Asks the user what to do about a question that may cost more than the limit. */
  overBudget: (expectedUsd: number, worstUsd: number | null, limitUsd: number) => Promise<'send' | 'cheaper' | 'cancel'>;
}

export class AskController implements vscode.Disposable {
  private runs: RunState[];
  private active: ActiveRun | undefined;
  private post: ((msg: HostToWebview) => void) | undefined;
  /** The webview's own post function (`post` sends through it with the registered keys removed). */
  private view: ((msg: HostToWebview) => void) | undefined;
  private readonly accepted = new Set<string>();
  private nextId = 0;
  /** The thread the next question continues; undefined = a new chat. */
  private activeThreadId: string | undefined;

  constructor(private readonly deps: AskControllerDeps) {
    this.runs = deps.history.load(Date.now());
    this.activeThreadId = listThreads(this.runs)[0]?.id;
    void this.setRunningContext(false);
  }

  /** The full state the panel needs after (re)creation. */
  snapshot(): PanelSnapshot {
    const snapshot: PanelSnapshot = { runs: this.runs, setup: this.setupState() };
    if (this.active) snapshot.activeRunId = this.active.id;
    if (this.activeThreadId !== undefined) snapshot.activeThreadId = this.activeThreadId;
    return snapshot;
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
    if (this.activeThreadId === threadId && !this.runs.some((r) => r.threadId === threadId)) this.showThread(undefined);
    this.deps.log.info(`conversation deleted (${removed.length} question(s))`);
    await this.persist();
  }

  private showThread(threadId: string | undefined): void {
    this.activeThreadId = threadId;
    this.post?.({ type: 'active-thread', threadId: threadId ?? null });
  }

  /**
   * Answers the panel's question box with the estimate before sending (nothing when no model has a price), the
   * context its chips attach counted.
   */
  private async estimate(question: string, chosen: QuestionContextOptions): Promise<void> {
    if (question.trim() === '' || !this.deps.settings.current.hasEndpoints) return;
    try {
      const engine = await this.deps.engine();
      const { attachments, workspace } = await this.deps.context.gather(question, chosen);
      const estimate = engine.estimateCost({ question, history: this.turns(this.activeThreadId), attachments, search: workspace !== undefined });
      this.post?.({ type: 'estimate', estimate: { question, maxUsd: estimate.maxUsd, partial: estimate.partial } });
    } catch (err) {
      this.deps.log.info(`cost estimate unavailable: ${errorMessage(err)}`);
    }
  }

  /** The earlier turns of a thread as the models receive them: the question as sent, the reply the user kept. */
  private turns(threadId: string | undefined): Turn[] {
    return threadId === undefined ? [] : keptTurns(this.runs, threadId, (run) => userMessage(run.question, run.context));
  }

  /**
   * Checks the expected cost against smcs.maxCostPerQuestion (`limit`) — what price routing expects from the bank's
   * tokens, the worst case only when that is unknown — and returns the parameters to ask with (a cheaper preset when
   * the user chose it), or undefined when the user cancelled. An answer to the question is the user's decision for
   * this ask: what the button says is sent, the limit no longer cutting the models.
   */
  private async withinBudget(engine: Engine, request: EstimateRequest, limit: number): Promise<{ params?: Partial<SmcsParams>; costLimitWaived?: boolean } | undefined> {
    const abort = new AbortController();
    const { expectedUsd, worstUsd } = await engine.expectedCost(request, abort.signal);
    const judged = expectedUsd ?? worstUsd;
    if (judged === null || judged <= limit) return {};
    const answer = await this.deps.overBudget(judged, expectedUsd === null ? null : worstUsd, limit);
    if (answer === 'cancel') return undefined;
    return answer === 'cheaper' ? { params: PRESETS.fast, costLimitWaived: true } : { costLimitWaived: true };
  }

  /** Finished and current runs, oldest first (read-only view for tests and commands). */
  get history(): readonly RunState[] {
    return this.runs;
  }

  get isRunning(): boolean {
    return this.active !== undefined;
  }

  setupState(): SetupState {
    const current = this.deps.settings.current;
    const setup: SetupState = { hasEndpoints: current.hasEndpoints };
    if (current.problem) setup.configError = { setting: current.problem.setting, message: current.problem.message };
    return setup;
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

  /** Tells the panel the setup changed (endpoints added, settings fixed or broken). */
  publishSetup(): void {
    this.post?.({ type: 'setup', setup: this.setupState() });
  }

  /** Handles a validated message from the panel (the panel provider answers `refresh-bank` itself). */
  async handleMessage(msg: Exclude<WebviewToHost, { type: 'refresh-bank' | 'compare' | 'apply' | 'find-files' | 'open-file' | 'add-file' }>): Promise<void> {
    switch (msg.type) {
      case 'ready':
        return;
      case 'ask':
        await this.ask(msg.question, undefined, true, undefined, chipChoice(msg));
        return;
      case 'stop':
        this.cancel();
        return;
      case 'choose':
        await this.choose(msg.runId, msg.index);
        return;
      case 'use-reference':
        await this.useReference(msg.runId, msg.model);
        return;
      case 'clear-history':
        await this.clearHistory();
        return;
      case 'new-chat':
        this.newChat();
        return;
      case 'open-thread':
        this.openThread(msg.threadId);
        return;
      case 'delete-thread':
        await this.deleteThread(msg.threadId);
        return;
      case 'estimate':
        await this.estimate(msg.question, chipChoice(msg));
        return;
      case 'code':
        await this.codeAction(msg);
        return;
      case 'command':
        await vscode.commands.executeCommand(msg.command);
        return;
      case 'retry-with':
        await this.retryWith(msg.runId, msg.remedy);
        return;
      case 'retry':
        await this.retry(msg.runId);
        return;
    }
  }

  /** Asks a failed or stopped run's question again, with its editor context, continuing its conversation when it is shown. */
  private async retry(runId: string): Promise<void> {
    const run = this.find(runId);
    if (!run || run.status === 'running' || run.status === 'done') return;
    this.deps.log.info(`ask ${runId}: asking again`);
    await this.ask(run.question, sentContext(run), run.threadId === this.activeThreadId, runId);
  }

  /** Applies a way forward (its command sets the settings and waits until they apply), then asks the run's question again. */
  private async retryWith(runId: string, remedy: EmbedderRemedy): Promise<void> {
    const run = this.find(runId);
    if (!run) return;
    const applied = await vscode.commands.executeCommand<boolean>(REMEDY_COMMANDS[remedy]);
    if (applied !== true) return;
    this.deps.log.info(`ask ${runId}: asking again after "${remedy}"`);
    await this.ask(run.question, sentContext(run), run.threadId === this.activeThreadId, runId);
  }

  /**
   * Asks a question; returns the finished run (undefined when another run is in progress or the user declined the
   * cost). A question typed in the panel continues the thread it shows (`continueThread`); one asked from the
   * command palette starts a new chat. A retry names the run it asks again (`retriedId`): a failed run of the same
   * thread gives its place to the new one.
   */
  async ask(question: string, editor: EditorContext | undefined, continueThread = false, retriedId?: string, chosen: QuestionContextOptions = {}): Promise<RunState | undefined> {
    const text = question.trim();
    const context = editor?.text;
    if (text === '') return undefined;
    // Where Apply puts the answer's code: the editor as it was when the question was asked.
    const origin = askOrigin(vscode.window.activeTextEditor);
    if (this.active) {
      const choice = await vscode.window.showWarningMessage('SMCS is still answering the previous question.', 'Stop It and Ask');
      if (choice !== 'Stop It and Ask') return undefined;
      this.cancel();
    }
    const id = `${Date.now().toString(36)}-${(this.nextId++).toString(36)}`;
    const continued = continueThread ? this.activeThreadId : undefined;
    const threadId = continued ?? id;
    const history = this.turns(continued);
    const limit = this.deps.settings.current.config?.maxCostPerQuestion ?? null;
    // Gathered before the cost check: the files the question carries are part of what it costs.
    // A selection the screen left out still keeps the selection chip's provider away: it would send it again.
    const gathered = await this.deps.context.gather(text, { ...chosen, ...(editor !== undefined ? { selectionGiven: context ?? '' } : {}) });
    const contextNotes = [...(editor?.notes ?? []), ...gathered.notes];
    let engine: Engine | undefined;
    let budget: { params?: Partial<SmcsParams>; costLimitWaived?: boolean } | undefined = {};
    if (limit !== null) {
      try {
        engine = await this.deps.engine();
        budget = await this.withinBudget(engine, { question: text, history, attachments: gathered.attachments, search: gathered.workspace !== undefined, ...(context !== undefined ? { context } : {}) }, limit);
      } catch (err) {
        // The run below reports a broken engine (bad settings, unreachable server) in the panel.
        this.deps.log.info(`ask: the cost check was skipped: ${errorMessage(err)}`);
      }
    }
    if (budget === undefined) {
      this.post?.({ type: 'ask-declined', question: text });
      return undefined;
    }
    const run: RunState = {
      ...createRun(id, text, Date.now(), context, threadId),
      ...(origin ? { origin } : {}),
      ...(limit !== null ? { costLimit: { maxUsd: limit, waived: budget.costLimitWaived === true } } : {}),
      ...(contextNotes.length > 0 ? { contextNotes } : {}),
      ...(editor !== undefined && editor.notes.length > 0 ? { contextScreen: editor.notes } : {}),
    };
    const active: ActiveRun = { id, abort: new AbortController(), pending: [], flushTimer: undefined };
    this.active = active;
    const before = this.runs;
    this.runs = withRetry(before, retriedId, run);
    const replaced = before.filter((r) => !this.runs.includes(r)).map((r) => r.id);
    if (replaced.length > 0) {
      this.post?.({ type: 'runs-removed', runIds: replaced });
      this.deps.log.info(`ask ${id}: takes the place of the failed run ${replaced.join(', ')}`);
    }
    if (this.activeThreadId !== threadId) this.showThread(threadId);
    await this.setRunningContext(true);
    this.post?.({ type: 'run-started', run });
    void this.deps.revealPanel();
    this.deps.log.info(`ask ${id}: started (${text.length} characters${context ? ', with editor context' : ''}${gathered.attachments.length > 0 ? `, ${gathered.attachments.length} context item(s)` : ''}${gathered.workspace ? ', workspace retrieval' : ''}${history.length ? `, turn ${history.length + 1} of its thread` : ''})`);
    try {
      engine ??= await this.deps.engine();
      const attachments = gathered.attachments.length > 0 || gathered.workspace ? { attachments: gathered.attachments } : {};
      const options = { signal: active.abort.signal, history, ...(context !== undefined ? { context } : {}), ...attachments, ...(gathered.workspace ? { workspace: gathered.workspace } : {}), ...(budget.params ? { params: budget.params } : {}), ...(budget.costLimitWaived ? { costLimitWaived: true } : {}) };
      // After Stop the stream still ends promptly, with the calls paid for until then: read it to its end.
      for await (const event of engine.ask(text, options)) {
        this.apply(id, { type: 'event', event, at: Date.now() });
        this.logEvent(id, event);
      }
      if (active.abort.signal.aborted) this.apply(id, { type: 'cancelled', at: Date.now() });
    } catch (err) {
      const message = cleanMessage(errorMessage(err));
      if (active.abort.signal.aborted) this.apply(id, { type: 'cancelled', at: Date.now() });
      else this.apply(id, { type: 'event', event: { type: 'error', message, kind: errorKind(err), causes: [] }, at: Date.now() });
      this.deps.log.error(`ask ${id}: ${message}`);
    } finally {
      const finished = this.find(id);
      if (finished?.status === 'running') this.apply(id, { type: 'cancelled', at: Date.now() });
      this.flush();
      if (this.active === active) this.active = undefined;
      // Another run may have started meanwhile ("Stop It and Ask"): the context follows whichever is active now.
      await this.setRunningContext(this.active !== undefined);
      this.reportRun(id);
      await this.persist();
    }
    return this.find(id);
  }

  /** Stops the run in progress, keeping what arrived. */
  cancel(): void {
    if (!this.active) return;
    this.deps.log.info(`ask ${this.active.id}: stop requested`);
    this.active.abort.abort();
    this.apply(this.active.id, { type: 'cancelled', at: Date.now() });
    this.flush();
  }

  /** Makes a candidate the reply (`null` reverts to the run's answer); persisted and reported as feedback. */
  async choose(runId: string, index: number | null): Promise<void> {
    await this.applyChoice(runId, { type: 'choose', index }, index === null ? 'reverted' : 'chosen');
  }

  /** Makes a referencer's reply the answer (the checks offered it); persisted and reported as feedback like a choice. */
  async useReference(runId: string, model: string): Promise<void> {
    await this.applyChoice(runId, { type: 'use-reference', model }, 'chosen');
  }

  private async applyChoice(runId: string, action: Extract<RunAction, { type: 'choose' | 'use-reference' }>, kind: ReplyChoiceKind): Promise<void> {
    const before = this.find(runId);
    if (!before) return;
    this.apply(runId, action);
    this.flush();
    const after = this.find(runId);
    if (!after || (effectiveChoice(after) === effectiveChoice(before) && after.chosenReference === before.chosenReference)) return;
    // A referencer's reply counts as candidate −1 (no candidate stands as the reply).
    const reverted = after.chosen === undefined && after.chosenReference === undefined;
    this.deps.telemetry.send(replyChosenEvent(effectiveChoice(after), after.winner ?? -1, after.candidates.length, reverted));
    this.emitChoice(after, kind);
    await this.persist();
  }

  /** Forgets every finished run and conversation, after the user confirms (nothing to ask when there is none). */
  async clearHistory(): Promise<void> {
    const finished = this.runs.filter((r) => r.id !== this.active?.id);
    if (finished.length > 0 && !(await this.deps.confirm(`Clear all ${formatQuantity(listThreads(finished).length, 'conversation')} and their answers? This cannot be undone.`, 'Clear History'))) return;
    this.runs = this.runs.filter((r) => r.id === this.active?.id);
    this.activeThreadId = this.runs[0]?.threadId;
    this.accepted.clear();
    await this.deps.history.clear();
    this.post?.({ type: 'snapshot', snapshot: this.snapshot() });
    this.deps.log.info('history cleared');
  }

  private async codeAction(msg: Extract<WebviewToHost, { type: 'code' }>): Promise<void> {
    if (msg.action === 'copy') {
      await vscode.env.clipboard.writeText(msg.code);
    } else if (msg.action === 'insert') {
      const inserted = await insertAtCursor(msg.code);
      if (!inserted) {
        const choice = await vscode.window.showInformationMessage('Open a file to insert the code at its cursor.', 'Open in New Editor');
        if (choice === 'Open in New Editor') await openInNewEditor(msg.code, msg.language);
      }
    } else {
      await openInNewEditor(msg.code, msg.language);
    }
    const run = msg.runId !== undefined ? this.find(msg.runId) : undefined;
    const fromShown = run !== undefined && msg.candidate !== undefined && msg.candidate === effectiveChoice(run);
    this.deps.telemetry.send(
      telemetryEvent('code.action', { action: msg.action, fromWinner: String(run !== undefined && msg.candidate === run.winner) }, { candidate: msg.candidate }),
    );
    if (run && fromShown && msg.action !== 'open') this.replyAccepted(run);
  }

  /** A change from run `runId`'s kept reply was applied (Apply → Accept): the user took that reply. */
  appliedFrom(runId: string): void {
    const run = this.find(runId);
    if (run) this.replyAccepted(run);
  }

  /** The user took the shown reply's code (Copy, Insert, an accepted Apply): learned from once per reply. */
  private replyAccepted(run: RunState): void {
    // Every referencer's reply counts as candidate −1: the model tells them apart.
    const key = `${run.id}:${effectiveChoice(run)}:${keptReference(run) ?? ''}`;
    if (this.accepted.has(key)) return;
    this.accepted.add(key);
    this.emitChoice(run, 'accepted');
  }

  private emitChoice(run: RunState, kind: ReplyChoiceKind): void {
    const result = resultFromRun(run);
    if (!result) return;
    const choice = {
      kind,
      question: run.question,
      result,
      chosenIndex: effectiveChoice(run),
      chosenText: shownAnswer(run) ?? result.answer,
      learn: this.deps.settings.current.learnFromChoices,
      ...(run.context !== undefined ? { context: run.context } : {}),
      // A follow-up is learned with the questions that make it one: those of the earlier turns the models received.
      earlier: keptTurns(this.runs.filter((r) => r.startedAt < run.startedAt), run.threadId, (r) => r.question).map((t) => t.question),
    };
    this.deps.choices.fire(choice, (err) => this.deps.log.error(`a reply-choice listener failed: ${errorMessage(err)}`));
    const reference = keptReference(run);
    this.deps.log.info(`ask ${run.id}: reply ${kind} (${reference !== undefined ? `the reply of ${reference}` : `candidate ${choice.chosenIndex + 1}`})`);
  }

  private find(runId: string): RunState | undefined {
    return this.runs.find((r) => r.id === runId);
  }

  /** Applies an action to the host's copy and queues it for the webview. */
  private apply(runId: string, action: RunAction): void {
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
  private flush(): void {
    const active = this.active;
    if (!active) return;
    if (active.flushTimer !== undefined) clearTimeout(active.flushTimer);
    active.flushTimer = undefined;
    if (active.pending.length === 0) return;
    const actions = active.pending;
    active.pending = [];
    this.post?.({ type: 'run-actions', runId: active.id, actions });
  }

  private logEvent(id: string, event: PipelineEvent): void {
    switch (event.type) {
      case 'retrieve':
        this.deps.log.info(`ask ${id}: retrieved ${event.supportCount} similar questions in ${Math.round(event.ms)} ms; referencers ${event.referencers.join(', ')}${event.fallback ? ` (${event.fallback})` : ''}`);
        break;
      case 'referencer-done':
        this.deps.log.info(`ask ${id}: ${event.reference.model} ${event.reference.ok ? 'answered' : `failed: ${event.reference.error ?? ''}`} in ${Math.round(event.reference.latencyMs)} ms`);
        break;
      case 'referencer-failed':
        this.deps.log.warn(`ask ${id}: ${event.model} failed: ${event.error}`);
        break;
      case 'aggregation-failed':
        this.deps.log.warn(`ask ${id}: aggregation ${event.index + 1} failed: ${event.error}`);
        break;
      case 'done':
        this.deps.log.info(
          `ask ${id}: done in ${Math.round(event.result.timings.totalMs)} ms, winner candidate ${event.result.winner + 1} of ${event.result.candidates.length}${event.result.checksReference !== undefined ? `; the answer is the reply of ${event.result.checksReference} (chosen by the checks)` : ''}`,
        );
        break;
      case 'error':
        this.deps.log.error(`ask ${id}: ${event.message}${event.causes.length ? ` (${event.causes.join('; ')})` : ''}`);
        break;
      default:
        break;
    }
  }

  private reportRun(id: string): void {
    const run = this.find(id);
    if (!run) return;
    const elapsed = (run.finishedAt ?? Date.now()) - run.startedAt;
    const failedStage = STAGES.find((s) => run.stages[s].status === 'failed');
    if (run.status === 'done') {
      const result = resultFromRun(run);
      if (result) this.deps.telemetry.send(askDoneEvent(result, this.deps.settings.current.config?.preset ?? 'custom'));
    } else if (run.status === 'error') {
      this.deps.telemetry.send(askErrorEvent(run.error?.kind ?? 'internal', run.error?.causes.length ?? 0, failedStage, elapsed));
    } else if (run.status === 'cancelled') {
      const stage = STAGES.find((s) => run.stages[s].endedAt === run.finishedAt && run.stages[s].startedAt !== undefined && run.stages[s].startedAt !== run.finishedAt);
      this.deps.telemetry.send(telemetryEvent('ask.cancelled', { stage: stage ?? 'none' }, { elapsedMs: elapsed }));
    }
  }

  private async persist(): Promise<void> {
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
      this.deps.log.error(`could not save the history: ${errorMessage(err)}`);
    }
  }

  private async setRunningContext(running: boolean): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'smcs.running', running);
  }

  dispose(): void {
    this.active?.abort.abort();
    this.post = undefined;
  }
}

/** What the panel's chips chose for a question: the current file or the selection dropped, files added. */
function chipChoice(msg: ChipChoice): QuestionContextOptions {
  return { withoutCurrentFile: msg.withoutCurrentFile === true, withoutSelection: msg.withoutSelection === true, addedFiles: msg.files ?? [] };
}

/** The editor context a run sent, to send again: already screened, so its screen's notes come with it. */
function sentContext(run: RunState): EditorContext | undefined {
  return run.context === undefined && run.contextScreen === undefined ? undefined : { text: run.context, notes: run.contextScreen ?? [] };
}
