/**
 * SMCS as models of VS Code's chat (`vscode.lm`, vendor `smcs`): a thin adapter over the engine. `smcs` is an ask like
 * any other — planned once, refused over smcs.maxCostPerQuestion (a team server's own limit there), its calls in the
 * cost ledger, its run in the panel's history — whose winner streams back as text parts; `smcs-best`, and any request
 * with tools, goes to the one model `smcs serve` would route it to, its tool calls back as tool-call parts as soon as
 * each is complete (a conversation that brings tools to `smcs` is told once that the best single model answers it).
 * Token counts read lengths only, scaled by the prompt tokens the upstreams report. Cancelling the request's token
 * aborts every upstream call at once. It imports `vscode` for types only: VS Code's classes come in through `LmApi`, so
 * the tests drive it on node.
 */
import type * as vscode from 'vscode';
import { errorKind, errorMessage, type ErrorKind } from '../../core/contracts/errors';
import type { AskOptions } from '../../engine/types';
import type { RoutedRequest } from '../../server/chatRequest';
import { formatCount, formatUsd } from '../../presentation/format';
import { createRun } from '../../presentation/runState';
import type { ExtensionEngine } from '../engineHolder';
import type { Runtime } from '../loadRuntime';
import type { LogLevel } from '../log';
import type { PanelRuns } from '../panel/panelRuns';
import { recordingEvents } from '../panel/recordRun';
import { runAsk } from '../../core/ask/askLoop';
import type { SettingsState } from '../settings';
import { costLimitFailure, failureOf, NO_SERVERS, settingFailure, type LmFailure } from './lmErrors';
import { endpointTrouble, teamServerAdvice } from '../../presentation/endpointTrouble';
import { failureNotice } from '../../presentation/errorHelp';
import type { PipelineEvent } from '../../core/contracts/events';
import { chatBody, readPart, roleOf, toolCallInput, UnsupportedPartError, type LmInputMessage, type PartClasses } from './lmMessages';
import { PromptTokens } from '../../core/util/promptTokens';
import { BEST_MODEL_ID, COLLABORATION_ID, lmModels, routedNote, saidBefore, withoutNote, type LmModelInformation } from './lmModels';
import { answerText } from '../../core/contracts/answer';
import { StreamedAnswer } from '../../presentation/streamedAnswer';
import { teamServerOf } from '../../core/contracts/config';

/** What a failed ask's error event tells beyond its kind and words: where it failed, the wait asked for, a server that shut down. */
type ErrorEvent = Extract<PipelineEvent, { type: 'error' }>;

/** The few things of VS Code the provider makes: its part classes (to read and to answer) and its error. */
export interface LmApi extends PartClasses {
  /** `LanguageModelChatToolMode.Required`: the model must call a tool. */
  requiredToolMode: vscode.LanguageModelChatToolMode;
  textPart(value: string): vscode.LanguageModelTextPart;
  toolCallPart(callId: string, name: string, input: object): vscode.LanguageModelToolCallPart;
  /** `LanguageModelError` with the failure's code (its static constructor) and message. */
  error(failure: LmFailure): Error;
}

/** What the provider needs of the engine's bundle, loaded on first use. */
export type LmRuntime = Pick<Runtime, 'parseChatRequest' | 'oneModelParts'>;

export interface SmcsChatProviderDeps {
  api: LmApi;
  engine: () => Promise<ExtensionEngine>;
  settings: () => Pick<SettingsState, 'config' | 'problem' | 'hasEndpoints'>;
  runtime: () => LmRuntime;
  /** The panel's runs: an ask of `smcs` joins the history there. */
  runs: Pick<PanelRuns, 'startAside' | 'apply' | 'finishAside'>;
  log: { write(level: LogLevel, message: string): void };
  /** The extension's version, the models' version. */
  version: string;
  /** Fires when the models' information may have changed (settings, keys). */
  onDidChange?: vscode.Event<void>;
}

/** A failure the provider already put in the user's words. */
class Refusal extends Error {
  constructor(readonly failure: LmFailure) {
    super(failure.message);
  }
}

/** The kind of what a step threw; an upstream's refusal of our key is `auth`, a prompt too long `too-long`. */
function kindOf(err: unknown): ErrorKind {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (code === 'upstream_auth_failed') return 'auth';
  if (code === 'context_length_exceeded') return 'too-long';
  return errorKind(err);
}

export class SmcsChatProvider implements vscode.LanguageModelChatProvider<LmModelInformation> {
  readonly onDidChangeLanguageModelChatInformation: vscode.Event<void> | undefined;
  private nextId = 0;
  private readonly tokens: PromptTokens;

  constructor(private readonly deps: SmcsChatProviderDeps) {
    this.onDidChangeLanguageModelChatInformation = deps.onDidChange;
    this.tokens = new PromptTokens(deps.api);
  }

  /** The two models, with the windows of the configured models when the engine can be built (else the assumed window). */
  async provideLanguageModelChatInformation(): Promise<LmModelInformation[]> {
    const { config, problem, hasEndpoints } = this.deps.settings();
    let windows: (number | undefined)[] = [];
    if (hasEndpoints && !problem) {
      try {
        const engine = await this.deps.engine();
        windows = engine.modelKeys().map((m) => engine.contextWindow(m));
      } catch (err) {
        this.deps.log.write('info', `language models: the models' windows are not known yet (${errorMessage(err)})`);
      }
    }
    return lmModels({ windows, maxTokens: config?.maxTokens ?? 8192, version: this.deps.version });
  }

  /** Called for every message of a turn, often a thousand times and more: lengths only, scaled by what the upstreams reported. */
  provideTokenCount(_model: LmModelInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    return Promise.resolve(this.tokens.count(text));
  }

  async provideLanguageModelChatResponse(
    model: LmModelInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    // One controller for the whole request: every upstream call it makes listens to it.
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort(new Error('the request was cancelled')));
    if (token.isCancellationRequested) abort.abort(new Error('the request was cancelled'));
    try {
      const settings = this.deps.settings();
      if (!settings.hasEndpoints) throw new Refusal(NO_SERVERS);
      if (settings.problem) throw new Refusal(settingFailure(settings.problem.setting, settings.problem.message));
      const read = messages.map((m) => this.message(m));
      const body = chatBody(withoutNote(read), { model: model.id, ...(options.tools ? { tools: options.tools } : {}), toolRequired: options.toolMode === this.deps.api.requiredToolMode });
      const runtime = this.deps.runtime();
      const request = runtime.parseChatRequest(body);
      const engine = await this.deps.engine();
      const estimated = this.tokens.estimateRequest(messages, options.tools);
      if (request.kind === 'routed') {
        // The collaboration cannot pass tools on: the best single model answers, and the conversation is told so once.
        if (model.id === COLLABORATION_ID && !saidBefore(read)) progress.report(this.deps.api.textPart(routedNote(request.reason)));
        await this.answerWithOneModel(engine, runtime, request, progress, abort.signal, estimated);
      } else if (model.id === BEST_MODEL_ID) {
        await this.answerWithOneModel(engine, runtime, { ...request, kind: 'routed', reason: 'SMCS: best single model was chosen', body }, progress, abort.signal, estimated);
      } else await this.answerWithCollaboration(engine, request.question, { signal: abort.signal, history: request.history, ...(request.system !== undefined ? { system: request.system } : {}) }, progress);
    } catch (err) {
      if (abort.signal.aborted) return;
      throw this.deps.api.error(this.failure(err));
    } finally {
      cancelled.dispose();
    }
  }

  /** A VS Code message as SMCS reads it. */
  private message(message: vscode.LanguageModelChatRequestMessage): LmInputMessage {
    return { role: roleOf(message.role), parts: message.content.map((part) => readPart(part, this.deps.api)) };
  }

  private failure(err: unknown): LmFailure {
    if (err instanceof Refusal) return err.failure;
    if (err instanceof UnsupportedPartError) return { code: 'Unknown', message: err.message };
    const kind = kindOf(err);
    const { endpoints, retryAfterMs, serverStopping } = typeof err === 'object' && err !== null ? (err as Pick<ErrorEvent, 'endpoints' | 'retryAfterMs' | 'serverStopping'>) : {};
    const event = { kind, message: errorMessage(err), causes: [], ...(endpoints ? { endpoints } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), ...(serverStopping ? { serverStopping } : {}) };
    // A team server that shut down, and what is the team server's to mend (its endpoints, its limit on the member's
    // key), in the panel's and @smcs's words: no setting of the member's helps.
    if (serverStopping === true || teamServerAdvice(event) !== undefined) return { code: kind === 'rate-limit' || kind === 'quota' ? 'Blocked' : 'Unknown', message: failureNotice(event).text };
    const trouble = endpointTrouble(kind, endpoints);
    const failure = failureOf(kind, event.message);
    // At named endpoints, the panel's words first (which endpoint, what went wrong), then the command that helps.
    return trouble === undefined ? failure : { ...failure, message: `${trouble}. ${failure.message}` };
  }

  /**
   * The whole method through the ask loop (core/ask/askLoop), its cost policy `refuse` — no dialog can ask here, the
   * caller may be another extension — recorded in the panel's history, the answer streamed.
   */
  private async answerWithCollaboration(engine: ExtensionEngine, question: string, options: AskOptions, progress: vscode.Progress<vscode.LanguageModelResponsePart>): Promise<void> {
    const id = `lm-${Date.now().toString(36)}-${(this.nextId++).toString(36)}`;
    const limit = this.deps.settings().config?.maxCostPerQuestion ?? null;
    let started = false;
    // The answer as it is written: the first aggregation's words as text parts before the run is scored, then the rest,
    // or "Chosen instead: …" and the chosen answer (presentation/streamedAnswer, as `@smcs` and `smcs serve` stream it).
    const streamed = new StreamedAnswer({ role: () => undefined, content: (text) => progress.report(this.deps.api.textPart(text)) });
    const record = recordingEvents(id, this.deps.runs, this.deps.log);
    try {
      const outcome = await runAsk(() => engine.prepare(question, options), { cost: 'refuse' }, {
        sending: () => {
          started = true;
          this.deps.runs.startAside({ ...createRun(id, question, Date.now()), ...(limit !== null ? { costLimit: { maxUsd: limit, waived: false } } : {}) });
          this.deps.log.write('info', `ask ${id}: asked through VS Code's chat (${question.length} characters${options.history?.length ? `, turn ${options.history.length + 1} of its conversation` : ''})`);
        },
        event: (event) => {
          if (!options.signal.aborted) streamed.event(event);
          record(event);
        },
      }, options.signal);
      switch (outcome.type) {
        case 'done':
          streamed.finish(outcome.result, answerText(outcome.result));
          return;
        case 'refused':
        case 'declined':
          throw new Refusal(outcome.over ? costLimitFailure(outcome.over, teamServerOf(this.deps.settings().config?.endpoints ?? []) !== undefined) : failureOf('config', outcome.type === 'refused' ? (outcome.nothingFits ?? 'over the cost limit') : 'not sent'));
        case 'failed':
        case 'stopped':
          // Words already reported are not left to read as the answer (a stopped request's caller has gone).
          if (outcome.type === 'failed') streamed.cutShort('failed');
          throw Object.assign(new Error([outcome.error.message, ...outcome.error.causes].join('; ')), { kind: outcome.error.kind, endpoints: outcome.error.endpoints, retryAfterMs: outcome.error.retryAfterMs, serverStopping: outcome.error.serverStopping });
      }
    } finally {
      if (started) await this.deps.runs.finishAside(id);
    }
  }

  /** One model, chosen as `smcs serve` chooses it for a request with tools; its text and tool calls as parts. */
  private async answerWithOneModel(engine: ExtensionEngine, runtime: LmRuntime, request: RoutedRequest, progress: vscode.Progress<vscode.LanguageModelResponsePart>, signal: AbortSignal, estimated: number): Promise<void> {
    const parts = runtime.oneModelParts(engine, request, signal);
    let next = await parts.next();
    while (!next.done) {
      const part = next.value;
      if (part.type === 'text') progress.report(this.deps.api.textPart(part.text));
      else progress.report(this.deps.api.toolCallPart(part.id, part.name, toolCallInput(part.name, part.arguments)));
      next = await parts.next();
    }
    const { route, outcome } = next.value;
    const usage = outcome?.usage;
    if (usage) this.tokens.observe(estimated, usage.promptTokens);
    const cost = outcome?.costUsd;
    this.deps.log.write('info', `VS Code's chat → ${route.model} (${route.reason})${usage ? `; ${formatCount(usage.promptTokens)}+${formatCount(usage.completionTokens)} tokens` : ''}${cost != null ? `, ${formatUsd(cost)}` : ''}`);
  }
}
