/**
 * The engine of an editor whose endpoint is an SMCS team server (`teamServer: true`): every ask runs once, on the
 * server — its routing, its team bank, its ledger, the member's key — through the SMCS protocol (serverProtocol.ts),
 * and its events are the server engine's own, so the panel, `@smcs` and `smcs ask` show the server's referencers,
 * candidates, scores, checks, agreement and billed cost as they show a local run. What only the editor has stays here:
 * the workspace's context is gathered by the local engine and sent with the question, and the local engine still serves
 * the pass-through models (`smcs/<model>`) to VS Code's chat. A reply the person chooses labels the team bank, through
 * the server and with the person's key. No ask of this engine is ever an ask of another: the local engine asks nothing.
 */
import OpenAI from 'openai';
import type { Stream } from 'openai/streaming';
import type { EndpointConfig } from '../core/contracts/config';
import type { PipelineEvent } from '../core/contracts/events';
import type { CallRecord } from '../core/contracts/types';
import { totalCost, totalTokens } from '../core/cost/costs';
import { askEvents, type RunOptions } from '../core/ask/askLoop';
import type { FeedbackInput, FeedbackResult } from '../bank/feedback';
import { classify } from '../llm/classify';
import { LlmError } from '../llm/errors';
import { apiFetch } from '../llm/apiFetch';
import { failureEvent } from './failedEndpoints';
import type { ServerAskMessage, ServerAskRequest, ServerChoiceResult, ServerPlan } from './serverProtocol';
import type { AskOptions, Engine, ModelRouter, PreparedAsk } from './types';

type LocalEngine = Engine & ModelRouter & { reloadBank(): void };
type ErrorEvent = Extract<PipelineEvent, { type: 'error' }>;

/** What the server's events may leave unsaid: a stream that ends without `done` or `error` is a connection lost. */
const TERMINAL: ReadonlySet<PipelineEvent['type']> = new Set(['done', 'error']);

export class ServerEngine implements LocalEngine {
  private readonly sdk: OpenAI;
  /** The server's token for taking back each choice it learned. */
  private readonly forgetTokens = new WeakMap<FeedbackResult, string>();

  constructor(
    private readonly local: LocalEngine,
    /** The endpoint marked `teamServer`. */
    private readonly endpoint: EndpointConfig,
    apiKey: string,
  ) {
    this.sdk = new OpenAI({
      baseURL: endpoint.baseUrl,
      apiKey,
      fetch: (input, init) => apiFetch(input, init),
      logLevel: 'off',
      // An ask is never sent twice: a retry would bill it twice.
      maxRetries: 0,
      timeout: endpoint.timeoutMs * 2,
    });
  }

  ask(question: string, options: AskOptions): AsyncIterable<PipelineEvent> {
    return askEvents(() => this.prepare(question, options), options.signal);
  }

  prepare(question: string, options: AskOptions & { whileTyping: true }): Promise<PreparedAsk | null>;
  prepare(question: string, options: AskOptions): Promise<PreparedAsk>;
  async prepare(question: string, options: AskOptions & { whileTyping?: boolean }): Promise<PreparedAsk | null> {
    // A plan while typing would be a request to the server per keystroke pause: the plan is made when the question is sent.
    if (options.whileTyping) return null;
    let request: ServerAskRequest;
    let plan: ServerPlan;
    try {
      request = await this.request(question, options);
      plan = await this.sdk.post<ServerPlan>('/smcs/plans', { body: request, signal: options.signal });
    } catch (err) {
      return this.failed(question, this.failure(err, options.signal));
    }
    if (!plan.view) return this.failed(question, plan.error ?? this.failure(new Error('the team server could not plan the ask and did not say why'), options.signal));
    let ran = false;
    return {
      question,
      view: plan.view,
      get current() {
        return !ran;
      },
      run: (signal, runOptions) => {
        if (ran) throw new Error('a prepared ask runs once: prepare it again');
        ran = true;
        return this.run({ ...request, route: runOptions.route }, signal, runOptions);
      },
    };
  }

  /** The ask as the server reads it: the question, its turns, and the context the local engine gathered from the workspace. */
  private async request(question: string, options: AskOptions): Promise<ServerAskRequest> {
    const context = await this.local.gatherContext(question, options);
    return {
      question,
      ...(options.history && options.history.length > 0 ? { history: [...options.history] } : {}),
      ...(context && context.items.length > 0 ? { attachments: context.items } : {}),
      ...(context && context.notes.length > 0 ? { attachmentNotes: context.notes } : {}),
      ...(options.system ? { system: options.system } : {}),
      ...(options.params && Object.keys(options.params).length > 0 ? { params: options.params } : {}),
      ...(options.routing ? { routing: options.routing } : {}),
      ...(options.include && options.include.length > 0 ? { include: [...options.include] } : {}),
    };
  }

  /** The server's events as they come; each call it reports as it ends goes to `onCall`, each that ended before its first byte to `onUnpaid`. */
  private async *run(request: ServerAskRequest, signal: AbortSignal, { onCall, onUnpaid }: RunOptions): AsyncIterable<PipelineEvent> {
    const calls: CallRecord[] = [];
    try {
      const stream = await this.sdk.post<Stream<ServerAskMessage>>('/smcs/asks', { body: request, stream: true, signal });
      for await (const message of stream) {
        if ('call' in message) {
          calls.push(message.call);
          onCall?.(message.call);
        } else if ('unpaid' in message) {
          onUnpaid?.(message.unpaid);
        } else if ('event' in message) {
          yield message.event;
          if (TERMINAL.has(message.event.type)) return;
        }
      }
      // The server went away between two events (it was stopped): the panel says so as of any server that stops mid-reply.
      const cut = new LlmError(`endpoint ${this.endpoint.id}: connection lost: the team server at ${this.endpoint.baseUrl} ended the ask's stream before its answer`, { kind: 'connection', endpointId: this.endpoint.id });
      yield { ...this.failure(cut, signal), spent: spentOf(calls) };
    } catch (err) {
      yield { ...this.failure(err, signal), spent: spentOf(calls) };
    }
  }

  /** The error event for a request to the server that failed: the endpoint named with its host, as a failing model's endpoint is. */
  private failure(err: unknown, signal: AbortSignal): ErrorEvent {
    const classified = classify(err, { endpointId: this.endpoint.id, model: undefined, aborted: signal.aborted, timedOut: false, timeoutMs: this.endpoint.timeoutMs });
    return failureEvent(classified, [this.endpoint]);
  }

  private failed(question: string, failure: ErrorEvent): PreparedAsk {
    return {
      question,
      view: null,
      current: false,
      run: () =>
        (async function* only(): AsyncIterable<PipelineEvent> {
          yield failure;
        })(),
    };
  }

  /** The reply a person chose labels the team bank: sent to the server with the person's key, which names its author there. */
  async learnFromChoice(input: FeedbackInput, options: { implicit: boolean }): Promise<FeedbackResult> {
    const told = await this.sdk.post<ServerChoiceResult>('/smcs/choices', { body: { ...input, implicit: options.implicit } });
    if (told.forget) this.forgetTokens.set(told.result, told.forget);
    return told.result;
  }

  async forgetChoice(result: FeedbackResult): Promise<void> {
    const token = this.forgetTokens.get(result);
    if (!token) throw new Error(`the team server at ${this.endpoint.baseUrl} was not told this choice by this window's engine (the settings changed since): ask whoever runs it to remove ${result.id} with smcs bank feedback remove`);
    const { forgotten } = await this.sdk.post<{ forgotten: boolean }>('/smcs/choices/forget', { body: { forget: token } });
    this.forgetTokens.delete(result);
    if (!forgotten) throw new Error(`the team server at ${this.endpoint.baseUrl} no longer knows this choice (it restarted, or learned 1,000 choices since): ask whoever runs it to remove ${result.id} with smcs bank feedback remove`);
  }

  /** The server learns from its asks' checks itself. */
  async labelByChecks(): Promise<FeedbackResult | null> {
    return null;
  }

  gatherContext(question: string, options: AskOptions): ReturnType<LocalEngine['gatherContext']> {
    return this.local.gatherContext(question, options);
  }

  refreshWorkspace(...args: Parameters<LocalEngine['refreshWorkspace']>): ReturnType<LocalEngine['refreshWorkspace']> {
    return this.local.refreshWorkspace(...args);
  }

  updateWorkspaceFiles(...args: Parameters<LocalEngine['updateWorkspaceFiles']>): ReturnType<LocalEngine['updateWorkspaceFiles']> {
    return this.local.updateWorkspaceFiles(...args);
  }

  modelKeys(): readonly string[] {
    return this.local.modelKeys();
  }

  firstModels(): ReturnType<LocalEngine['firstModels']> {
    return this.local.firstModels();
  }

  contextWindow(model: string): number | undefined {
    return this.local.contextWindow(model);
  }

  route(...args: Parameters<LocalEngine['route']>): ReturnType<LocalEngine['route']> {
    return this.local.route(...args);
  }

  relay(...args: Parameters<LocalEngine['relay']>): ReturnType<LocalEngine['relay']> {
    return this.local.relay(...args);
  }

  reloadBank(): void {
    this.local.reloadBank();
  }

  dispose(): Promise<void> {
    return this.local.dispose();
  }
}

/** What the calls the server reported had spent when its stream broke. */
function spentOf(calls: readonly CallRecord[]): ErrorEvent['spent'] {
  return { calls: [...calls], costUsd: totalCost(calls), tokens: totalTokens(calls) };
}
