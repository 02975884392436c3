/**
 * The engine of an editor whose endpoint is an SMCS team server (`teamServer: true`): every ask runs once, on the
 * server — its routing, its team bank, its ledger, the member's key — through the SMCS protocol (serverProtocol.ts),
 * and its events are the server engine's own, so the panel, `@smcs` and `smcs ask` show the server's referencers,
 * candidates, scores, checks, agreement and billed cost as they show a local run. What only the editor has stays here:
 * the workspace's context is gathered by the local engine and sent with the question, and the local engine still serves
 * the pass-through models (`smcs/<model>`) to VS Code's chat. A reply the person chooses labels the team bank, through
 * the server and with the person's key. No ask of this engine is ever an ask of another: the local engine asks nothing.
 */
import OpenAI, { APIError } from 'openai';
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
import { errorBodyMessage } from '../llm/errorBody';
import { behindTeamServer, failureEvent } from './failedEndpoints';
import type { ServerAskMessage, ServerAskRequest, ServerAskStopping, ServerChoiceResult, ServerPlan } from './serverProtocol';
import type { AskOptions, Engine, ModelRouter, PreparedAsk } from './types';

type LocalEngine = Engine & ModelRouter & { reloadBank(): void };
type ErrorEvent = Extract<PipelineEvent, { type: 'error' }>;

/** What the server's events may leave unsaid: a stream that ends without `done` or `error` is a connection lost. */
const TERMINAL: ReadonlySet<PipelineEvent['type']> = new Set(['done', 'error']);

/** How long the stream of an ask its person stopped is still read once the server is told: every call's last record and the run's end. */
export const STOP_WAIT_MS = 5_000;

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
    if (!plan.view) return this.failed(question, plan.error ? behindTeamServer(plan.error, this.endpoint) : this.failure(new Error('the team server could not plan the ask and did not say why'), options.signal));
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

  /**
   * The server's events as they come; each call it reports as it ends goes to `onCall`, each that ended before its first
   * byte to `onUnpaid`. Stopped (`signal`), the run asks the server to stop the ask and reads on until the server has
   * reported every call and ended the run (ServerAskStop), so it ends as a local run stopped does, with what every call
   * the server ran cost — the ask's ledger rows, the calls cut by the stop included.
   */
  private async *run(request: ServerAskRequest, signal: AbortSignal, { onCall, onUnpaid }: RunOptions): AsyncIterable<PipelineEvent> {
    const calls: CallRecord[] = [];
    const stop = new ServerAskStop(this.sdk, signal);
    try {
      const stream = await this.sdk.post<Stream<ServerAskMessage>>('/smcs/asks', { body: request, stream: true, signal: stop.connection });
      for await (const message of stream) {
        if ('ask' in message) {
          stop.started(message.ask.id);
        } else if ('call' in message) {
          calls.push(message.call);
          onCall?.(message.call);
        } else if ('unpaid' in message) {
          onUnpaid?.(message.unpaid);
        } else if (!TERMINAL.has(message.event.type)) {
          yield message.event;
        } else {
          // The endpoints the server's failure names are its own, which only its admin can mend.
          yield message.event.type !== 'error' ? message.event : signal.aborted ? stoppedRun(calls) : behindTeamServer(message.event, this.endpoint);
          return;
        }
      }
      // The server went away between two events (it was stopped): the panel says so as of any server that stops mid-reply.
      const cut = new LlmError(`endpoint ${this.endpoint.id}: connection lost: the team server at ${this.endpoint.baseUrl} ended the ask's stream before its answer`, { kind: 'connection', endpointId: this.endpoint.id });
      yield signal.aborted ? stoppedRun(calls) : { ...this.failure(cut, signal), spent: spentOf(calls) };
    } catch (err) {
      yield signal.aborted ? stoppedRun(calls) : { ...this.failure(err, signal), spent: spentOf(calls) };
    } finally {
      stop.end();
    }
  }

  /**
   * The error event for a request to the server that failed: the endpoint named with its host, as a failing model's
   * endpoint is. A server that is shutting down (503 `server_stopping`) is told in its own words, which say that nothing
   * is counted and to ask again, and marked so (`serverStopping`), as the error its stream sends when it stops mid-ask is.
   */
  private failure(err: unknown, signal: AbortSignal): ErrorEvent {
    const classified = classify(err, { endpointId: this.endpoint.id, model: undefined, aborted: signal.aborted, timedOut: false, timeoutMs: this.endpoint.timeoutMs });
    const event = failureEvent(classified, [this.endpoint]);
    return err instanceof APIError && err.code === 'server_stopping' && !signal.aborted ? { ...event, message: errorBodyMessage(err.error) ?? event.message, serverStopping: true } : event;
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

  statedBill(...args: Parameters<LocalEngine['statedBill']>): ReturnType<LocalEngine['statedBill']> {
    return this.local.statedBill(...args);
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

/** The end of a run its person stopped, as a local run's (core/ask/pipeline): `cancelled`, with what every call the server reported cost. */
function stoppedRun(calls: readonly CallRecord[]): ErrorEvent {
  return { type: 'error', message: 'Cancelled', kind: 'cancelled', causes: [], spent: spentOf(calls) };
}

/**
 * Stopping an ask on the team server: once its person stops it, the server is told by the ask's id (the stream's first
 * message; told as soon as it comes when the stop came first) while the stream is read on; the connection is closed
 * STOP_WAIT_MS after the stop whatever came, and at once when the server could not be told (it then ends the ask as
 * one whose client left).
 */
class ServerAskStop {
  private readonly closer = new AbortController();
  private id: string | undefined;
  private told = false;
  private bound: NodeJS.Timeout | undefined;

  constructor(
    private readonly sdk: OpenAI,
    private readonly signal: AbortSignal,
  ) {
    // Stopped before the ask was sent: nothing runs on the server to wait for.
    if (signal.aborted) this.closer.abort(signal.reason);
    else signal.addEventListener('abort', this.stopped, { once: true });
  }

  /** The signal of the ask's connection to the server. */
  get connection(): AbortSignal {
    return this.closer.signal;
  }

  /** The server sent the ask's id. */
  started(id: string): void {
    this.id = id;
    if (this.signal.aborted) this.tell();
  }

  /** The run is over: nothing more to read, to wait for or to tell. */
  end(): void {
    clearTimeout(this.bound);
    this.signal.removeEventListener('abort', this.stopped);
    this.closer.abort();
  }

  private readonly stopped = (): void => {
    this.bound = setTimeout(() => this.closer.abort(this.signal.reason), STOP_WAIT_MS);
    this.tell();
  };

  private tell(): void {
    if (this.id === undefined || this.told) return;
    this.told = true;
    void this.sdk
      .post<ServerAskStopping>(`/smcs/asks/${encodeURIComponent(this.id)}/stop`, { timeout: STOP_WAIT_MS, signal: this.closer.signal })
      .catch(() => this.closer.abort(this.signal.reason));
  }
}
