/**
 * The panel's asks: a question from the panel or the command palette becomes a run — its context gathered, its cost
 * checked against the limit, the engine's events applied to it as they come — and a run can be stopped or asked
 * again. The runs themselves (history, threads, what the webview is sent) are `PanelRuns`'; the user's choices among
 * the replies, `ReplyChoices`'.
 */
import * as vscode from 'vscode';
import { errorKind, errorMessage } from '../../core/contracts/errors';
import { cleanMessage } from '../../core/util/redact';
import { createRun, type RunState } from '../../presentation/runState';
import { PRESETS } from '../../core/contracts/types';
import type { AskOptions, Engine, PreparedAsk } from '../../engine/types';
import { leftOutUnprofiled } from '../../presentation/unprofiled';
import type { EmbedderRemedy, SetupState } from '../../presentation/protocol';
import { askOrigin } from './applyProposal';
import type { GuardedContext } from '../../core/secrets/secretGuard';
import { REMEDY_COMMANDS } from '../embedding/embedderRemedies';
import type { Log } from '../log';
import type { QuestionContext, QuestionContextOptions } from '../context/questionContext';
import type { SettingsWatcher } from '../settings';
import type { Telemetry } from '../telemetry/telemetry';
import type { PanelRuns } from './panelRuns';
import { finishedRunEvent } from './runReport';
import { recordingEvents } from './recordRun';
import type { OverLimit } from '../../core/cost/costPolicy';
import { runAsk, type AskPolicy, type OverLimitAnswer, type PromptSize } from '../../core/ask/askLoop';
import { askOptions } from './askOptions';
import type { DialogClock } from '../dialogClock';

/** Builds (or reuses) the engine for the current settings; throws ConfigError on invalid settings. */
export type EngineSource = () => Promise<Engine>;

interface ActiveAsk {
  id: string;
  abort: AbortController;
}

export interface AskControllerDeps {
  /** The engine for estimates while the question is typed. */
  engine: EngineSource;
  /** The engine for a question the user sends (EngineHolder.forQuestion: a declined model download is asked about again). */
  engineToAsk: EngineSource;
  runs: PanelRuns;
  settings: SettingsWatcher;
  log: Log;
  telemetry: Telemetry;
  /** Reveals the panel (so a question asked from the palette is visible). */
  revealPanel: () => Promise<void>;
  /** The context of a question from the editor, the files the user named and the workspace. */
  context: QuestionContext;
  /** Asks the user what to do about a question that may cost more than the limit. */
  overBudget: (over: OverLimit) => Promise<OverLimitAnswer>;
  /** Asks the user whether to send a question of LARGE_PROMPT_TOKENS or more (a large paste). */
  confirmLarge: (size: PromptSize) => Promise<boolean>;
  /** After every run, however it ended (it may have spent on a team server: the Bank section's usage line is read again). */
  afterRun?: () => void;
  /** The dialogs' clock: the time one is open while a run is shown is left out of its stage's timer. */
  dialogs: Pick<DialogClock, 'onDidClose'>;
}

/** The setup the panel shows, from the settings: endpoints added, an invalid setting. */
export function setupState(settings: SettingsWatcher): SetupState {
  const current = settings.current;
  const setup: SetupState = { hasEndpoints: current.hasEndpoints };
  if (current.problem) setup.configError = { setting: current.problem.setting, message: current.problem.message };
  return setup;
}

export class AskController implements vscode.Disposable {
  private active: ActiveAsk | undefined;
  private nextId = 0;
  /** The ask being prepared for the question box; a newer keystroke's replaces it. */
  private estimating: AbortController | undefined;
  /** The last ask the question box prepared, for the question and options it was prepared with: Ask runs it when they still match. */
  private estimated: { question: string; options: string; prepared: PreparedAsk } | undefined;

  constructor(private readonly deps: AskControllerDeps) {
    void this.setRunningContext(false);
  }

  get isRunning(): boolean {
    return this.active !== undefined;
  }

  /**
   * Answers the panel's question box with the prepared ask's expected cost (nothing when no model has a price, or while
   * the embedder is not loaded yet), the context its chips attach counted; Ask of the same question and context runs it.
   */
  async estimate(question: string, chosen: QuestionContextOptions): Promise<void> {
    if (question.trim() === '' || !this.deps.settings.current.hasEndpoints) return;
    this.estimating?.abort();
    const abort = new AbortController();
    this.estimating = abort;
    try {
      const engine = await this.deps.engine();
      const gathered = await this.deps.context.gather(question, { ...chosen, estimating: true });
      const options = askOptions(this.deps.runs.turns(this.deps.runs.activeThreadId), gathered, abort.signal);
      const prepared = await engine.prepare(question.trim(), { ...options, whileTyping: true });
      // A plan made while typing means the embedding model is loaded: the index can be built now without asking anything.
      if (prepared) this.deps.context.warmIndex();
      if (prepared?.view == null || abort.signal.aborted) return;
      this.estimated = { question: question.trim(), options: sameAsk(options), prepared };
      const { expectedUsd, worstUsd, assumed, basis } = prepared.view;
      this.deps.runs.send({ type: 'estimate', estimate: { question, expectedUsd, worstUsd, assumed, basis } });
    } catch (err) {
      if (!abort.signal.aborted) this.deps.log.info(`cost estimate unavailable: ${errorMessage(err)}`);
    }
  }

  /** The ask the question box prepared for this very question and options, while nothing it was made from changed; else a new one. */
  private async prepared(engine: Engine, question: string, options: AskOptions): Promise<PreparedAsk> {
    const estimated = this.estimated;
    this.estimated = undefined;
    if (estimated && estimated.question === question && estimated.options === sameAsk(options) && estimated.prepared.current) return estimated.prepared;
    return engine.prepare(question, options);
  }

  /** Asks a failed or stopped run's question again, with the selection it sent, continuing its conversation when it is shown. */
  async retry(runId: string): Promise<void> {
    const run = this.deps.runs.find(runId);
    if (!run || run.status === 'running' || run.status === 'done') return;
    this.deps.log.info(`ask ${runId}: asking again`);
    await this.ask(run.question, run.selection, run.threadId === this.deps.runs.activeThreadId, runId);
  }

  /**
   * "Use them anyway": asks a finished run's question again, with the selection it sent and after the turns it was asked
   * after, with `models` — those of its unprofiled models it left out — added to the referencers.
   */
  async askAgainWith(runId: string, models: readonly string[]): Promise<void> {
    const run = this.deps.runs.find(runId);
    if (!run || run.status === 'running') return;
    const wanted = leftOutUnprofiled(run).filter((m) => models.includes(m));
    if (wanted.length === 0) return;
    this.deps.log.info(`ask ${runId}: asking again with ${wanted.join(', ')}`);
    await this.ask(run.question, run.selection, run.threadId === this.deps.runs.activeThreadId, undefined, {}, { runId, models: wanted });
  }

  /** Applies a way forward (its command sets the settings and waits until they apply), then asks the run's question again. */
  async retryWith(runId: string, remedy: EmbedderRemedy): Promise<void> {
    const run = this.deps.runs.find(runId);
    if (!run) return;
    const applied = await vscode.commands.executeCommand<boolean>(REMEDY_COMMANDS[remedy]);
    if (applied !== true) return;
    this.deps.log.info(`ask ${runId}: asking again after "${remedy}"`);
    await this.ask(run.question, run.selection, run.threadId === this.deps.runs.activeThreadId, runId);
  }

  /**
   * Asks a question; returns the finished run (undefined when another run is in progress or the user declined the
   * cost). A question typed in the panel continues the thread it shows (`continueThread`); one asked from the
   * command palette starts a new chat. A retry names the run it asks again (`retriedId`): a failed run of the same
   * thread gives its place to the new one. `selection` is the one the ask brings, screened (Ask About Selection's, or
   * the retried run's); without it the selection chip's goes, unless `chosen` drops it. `again` asks the question of
   * an earlier run again with more models, after the turns that run was asked after.
   */
  async ask(question: string, selection: GuardedContext | undefined, continueThread = false, retriedId?: string, chosen: QuestionContextOptions = {}, again?: RunState['askedAgain']): Promise<RunState | undefined> {
    const text = question.trim();
    if (text === '') return undefined;
    // Where Apply puts the answer's code: the editor as it was when the question was asked.
    const origin = askOrigin(vscode.window.activeTextEditor);
    if (this.active) {
      const choice = await vscode.window.showWarningMessage('SMCS is still answering the previous question.', 'Stop It and Ask');
      if (choice !== 'Stop It and Ask') return undefined;
      this.cancel();
    }
    const id = `${Date.now().toString(36)}-${(this.nextId++).toString(36)}`;
    const { runs } = this.deps;
    const continued = continueThread ? runs.activeThreadId : undefined;
    const threadId = continued ?? id;
    const againOf = again && runs.find(again.runId);
    const history = againOf ? runs.turnsBefore(againOf) : runs.turns(continued);
    const limit = this.deps.settings.current.config?.maxCostPerQuestion ?? null;
    // Gathered before the cost check: the files the question carries are part of what it costs.
    // A selection the screen left out still keeps the selection chip's provider away: it would send it again.
    const gathered = await this.deps.context.gather(text, { ...chosen, ...(selection !== undefined ? { selection } : {}) });
    const contextNotes = gathered.notes;
    const sent = gathered.selection;
    const active: ActiveAsk = { id, abort: new AbortController() };
    const options = askOptions(history, gathered, active.abort.signal, again?.models);
    let started = false;
    let startedAt = 0;
    // A dialog open while the run is shown (the model download's consent) is the user's time, not Retrieve's.
    const dialogs = this.deps.dialogs.onDidClose((openedAt, closedAt) => {
      if (started && this.active === active) runs.apply(id, { type: 'user-waited', ms: closedAt - Math.max(openedAt, startedAt) });
    });
    const start = async (waived: boolean): Promise<void> => {
      started = true;
      startedAt = Date.now();
      const run: RunState = {
        ...createRun(id, text, startedAt, threadId),
        ...(origin ? { origin } : {}),
        ...(limit !== null ? { costLimit: { maxUsd: limit, waived } } : {}),
        ...(contextNotes.length > 0 ? { contextNotes } : {}),
        ...(sent.items.length > 0 || sent.notes.length > 0 ? { selection: sent } : {}),
        ...(again ? { askedAgain: again } : {}),
      };
      this.active = active;
      runs.start(run, retriedId);
      await this.setRunningContext(true);
      runs.send({ type: 'run-started', run });
      void this.deps.revealPanel();
      this.deps.log.info(`ask ${id}: started (${text.length} characters${sent.items.length > 0 ? ', with a selection' : ''}${gathered.attachments.length > 0 ? `, ${gathered.attachments.length} context item(s)` : ''}${gathered.workspace ? ', workspace retrieval' : ''}${history.length ? `, turn ${history.length + 1} of its thread` : ''})`);
    };
    // Without a limit no dialog can come before the run: it shows at once, and is prepared under its Stop.
    if (limit === null) await start(false);
    let engine: Engine | undefined;
    const prepare = async (cheaper: boolean): Promise<PreparedAsk> => {
      engine ??= await this.deps.engineToAsk();
      return cheaper ? engine.prepare(text, { ...options, params: PRESETS.fast }) : this.prepared(engine, text, options);
    };
    const policy: AskPolicy = { cost: 'ask', confirmOverLimit: this.deps.overBudget, confirmLarge: this.deps.confirmLarge };
    try {
      const outcome = await runAsk(prepare, policy, { sending: async ({ waived }) => (started ? undefined : start(waived)), event: recordingEvents(id, runs, this.deps.log) }, active.abort.signal);
      if (outcome.type === 'refused' || outcome.type === 'declined') {
        // Nothing was sent: the question goes back into the box, and a run shown before the question was asked leaves.
        if (started) runs.discard(id);
        runs.send({ type: 'ask-declined', question: text });
        this.deps.log.info(`ask ${id}: not sent (${outcome.type === 'refused' ? (outcome.nothingFits ?? 'over the cost limit') : 'the user declined'})`);
        return undefined;
      }
      if (outcome.type === 'stopped') runs.apply(id, { type: 'cancelled', at: Date.now() });
    } catch (err) {
      const message = cleanMessage(errorMessage(err));
      if (!started) await start(false);
      if (active.abort.signal.aborted) runs.apply(id, { type: 'cancelled', at: Date.now() });
      else runs.apply(id, { type: 'event', event: { type: 'error', message, kind: errorKind(err), causes: [] }, at: Date.now() });
      this.deps.log.error(`ask ${id}: ${message}`);
    } finally {
      dialogs.dispose();
      if (started) await this.ended(id, active);
    }
    return runs.find(id);
  }

  /** After a run, however it ended: nothing left running, the history saved, the run reported. */
  private async ended(id: string, active: ActiveAsk): Promise<void> {
    const { runs } = this.deps;
    if (runs.find(id)?.status === 'running') runs.apply(id, { type: 'cancelled', at: Date.now() });
    runs.flush();
    if (this.active === active) {
      this.active = undefined;
      runs.finish(id);
    }
    // Another run may have started meanwhile ("Stop It and Ask"): the context follows whichever is active now.
    await this.setRunningContext(this.active !== undefined);
    this.reportRun(id);
    this.deps.afterRun?.();
    await runs.persist();
  }

  /** Stops the run in progress, keeping what arrived. */
  cancel(): void {
    if (!this.active) return;
    this.deps.log.info(`ask ${this.active.id}: stop requested`);
    this.active.abort.abort();
    this.deps.runs.apply(this.active.id, { type: 'cancelled', at: Date.now() });
    this.deps.runs.flush();
  }

  private reportRun(id: string): void {
    const run = this.deps.runs.find(id);
    const event = run && finishedRunEvent(run, this.deps.settings.current.config?.preset ?? 'custom', Date.now());
    if (event) this.deps.telemetry.send(event);
  }

  private async setRunningContext(running: boolean): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'smcs.running', running);
  }

  dispose(): void {
    this.active?.abort.abort();
  }
}

/** What makes two asks the same for a prepared one: everything the options send (the signal aside). */
function sameAsk(options: AskOptions): string {
  const { signal: _signal, ...sent } = options;
  return JSON.stringify(sent);
}
