/**
 * The contract between the front ends (CLI, VS Code extension) and the engine that wires
 * config → embedder, bank, LLM gateway → pipeline. Implemented by `engine.ts`.
 */
import type { AskResult, PipelineEvent } from '../core/contracts/events';
import type { RunnableAsk } from '../core/ask/askLoop';
import type { FeedbackInput, FeedbackResult } from '../bank/feedback';
import type { SingleRoute } from '../core/routing/single';
import type { RoutingMode } from '../core/contracts/routingReport';
import type { RouteFallback } from '../core/contracts/priorSource';
import type { RelayedResponse } from '../llm/relay';
import type { ContextItem } from '../core/context/contextItem';
import type { RetrievalStages } from '../core/retrieval/ranking';
import type { EditorState } from '../core/retrieval/openFileShare';
import type { Turn } from '../core/ask/conversation';
import type { RefreshStats } from '../workspace/workspaceIndex';
import type { DownloadConsent, DownloadProgress, SecretProvider, SmcsParams, StatedBill } from '../core/contracts/types';

export interface EngineHooks {
  secrets: SecretProvider;
  consent: DownloadConsent;
  onDownloadProgress: (progress: DownloadProgress) => void;
  /** Diagnostic log lines; never receives keys, prompts or answers. */
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Folder for caches (embedding models) and the default bank. */
  storageDir: string;
  /** A team bank's password from the front end's secret store (SecretStorage); PGPASSWORD and ~/.pgpass come after it. */
  bankPassword?: () => Promise<string | undefined>;
}

/** The workspace an ask may read: retrieval over its index (src/workspace). */
export interface WorkspaceRequest {
  /** The workspace folder. */
  root: string;
  /** The index folder (created when missing); default `<storageDir>/workspaces/<hash of the root>`. */
  indexDir?: string;
  /**
   * `always`: chunks relevant to the question are retrieved (`#codebase`); `auto`: only when the question concerns the
   * workspace — names a file it holds or an identifier it defines, or its words find this code base's own code (core/retrieval/searchEvidence), as
   * the engine judges with the index: front ends pass `auto` for every question and do not judge it themselves;
   * `none`: only the attachments (and the definitions below) are sent.
   */
  retrieval: 'always' | 'auto' | 'none';
  /**
   * Names whose definitions are sent whatever `retrieval` says (what a selection calls and no attachment defines,
   * core/retrieval/selectionCalls); each is found by name in the index, and with `auto` it also counts as named.
   */
  definitions?: readonly string[];
  /** Globs left out besides `.gitignore` (gitignore syntax). */
  exclude?: readonly string[];
  /** The retrieval stages that run (core/retrieval/ranking RetrievalStages); DEFAULT_STAGES unless `smcs eval context --stages` says otherwise. */
  stages?: RetrievalStages;
}

export interface AskOptions {
  /**
   * Code the user chose (files, selection, current file, problems, terminal): sent first, within the budget. The
   * selection (an item of source `selection`, with its file and lines) is also where the checks are read besides the
   * question.
   */
  attachments?: readonly ContextItem[];
  /** What the user is told of the attachments beside them (a file reached through a link that leaves the workspace). */
  attachmentNotes?: readonly string[];
  /** Retrieval from a workspace; with it (or attachments) the result reports `context`. */
  workspace?: WorkspaceRequest;
  /**
   * The editor as the front end sees it (the open file: path, text, cursor line, language). The engine decides what
   * part of the open file goes (core/retrieval/openFileShare: none unless the question refers to it, else the parts it
   * refers to and an outline, within a share of the budget); a file the user chose to send whole is an attachment.
   */
  editor?: EditorState;
  /** Earlier turns of the conversation (question as sent, and the reply the user kept), oldest first. */
  history?: readonly Turn[];
  signal: AbortSignal;
  /** Per-ask overrides (e.g. a preset chosen in the panel). */
  params?: Partial<SmcsParams>;
  /** The asker's system message, given to every referencer and aggregation (an OpenAI client's, through `smcs serve`). */
  system?: string;
  /** This ask's routing mode instead of the config's (the server's `smcs-quality`, `smcs-balanced`, `smcs-budget`). */
  routing?: RoutingMode;
  /**
   * Configured models to ask besides the ones the routing chooses ("Use them anyway" on models without bank labels);
   * names the settings do not list are ignored.
   */
  include?: readonly string[];
}

/**
 * One ask as `Engine.prepare` made it: the context gathered, the question embedded (a counted call of its run), the
 * routing and the cost decided. A front end shows `view` and hands it to the ask loop (core/ask/askLoop runAsk), which
 * judges it by the front end's cost policy and runs this very object.
 */
export interface PreparedAsk extends RunnableAsk {
  readonly question: string;
  /** Nothing it was prepared from has changed since (the bank, the workspace's index): a front end holding it may run it. */
  readonly current: boolean;
}

export interface Engine {
  /** The ask loop (core/ask/askLoop) with the cost policy `cut`, as its events: a refusal by the limit is the last, an `error` of kind `config`. */
  ask(question: string, options: AskOptions): AsyncIterable<PipelineEvent>;
  /**
   * Prepares an ask (no chat call; a failure is its run's `error`). With `whileTyping`, null unless that costs nothing
   * and loads nothing (the embedder is ready), and a failure throws.
   */
  prepare(question: string, options: AskOptions & { whileTyping: true }): Promise<PreparedAsk | null>;
  prepare(question: string, options: AskOptions): Promise<PreparedAsk>;
  /** Brings a workspace's index up to date by walking it (the panel builds it in the background); one refresh at a time per index. */
  refreshWorkspace(request: WorkspaceRequest, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<RefreshStats>;
  /** Indexes again the given workspace-relative files (saved, created, renamed, deleted) without walking the workspace; after any refresh of that index. */
  updateWorkspaceFiles(request: WorkspaceRequest, paths: readonly string[], signal?: AbortSignal): Promise<void>;
  /**
   * The context an ask with `options` sends (attachments, the open file's part, what the workspace search finds), as
   * `prepare` gathers it, without preparing the ask: what an editor sends a team server, which reads no workspace.
   */
  gatherContext(question: string, options: AskOptions): Promise<{ items: ContextItem[]; notes: string[] } | undefined>;
  /** Releases the bank lock and open resources. */
  dispose(): Promise<void>;
}

/** Which one model answers a request the method cannot aggregate (tool calls, a structured reply), and why (core/routing/single). */
export type RouteDecision = SingleRoute;

export interface RouteOptions {
  history?: readonly Turn[];
  routing?: RoutingMode;
  signal: AbortSignal;
}

/** The models that answer every question while the bank cannot route, and why (core/contracts/priorSource). */
export interface FirstModels {
  fallback: RouteFallback;
  models: string[];
}

/** What `smcs serve` needs beyond asks: the configured models, RPS's single best model, and a request relayed to one model. */
export interface ModelRouter {
  /** Configured model keys, in configured order. */
  modelKeys(): readonly string[];
  /**
   * Who answers every question while RPS has nothing to route by (no bank, an empty one, no label for any configured
   * model, a team bank out of reach): the first K configured models, in configured order, and why; null when the bank
   * routes. Reads the bank's counts only (no embedding model is loaded).
   */
  firstModels(): Promise<FirstModels | null>;
  /** A configured model's context window as its endpoint reports it (or its config sets it); undefined when unknown. */
  contextWindow(model: string): number | undefined;
  /** RPS (with the routing mode's price weight) for K = 1: the model that should answer `question` alone. */
  route(question: string, options: RouteOptions): Promise<RouteDecision>;
  /** A chat-completions body sent to `model` unchanged but for its `model` field; the answer as it comes (llm/relay). */
  relay(model: string, body: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<RelayedResponse>;
  /**
   * What the endpoint serving `model` states it billed for its reply `generation` (an estimated call's `generation`,
   * named only by an endpoint that states its bills: OpenRouter's generation stats); rejects while it does not know it.
   */
  statedBill(model: string, generation: string, signal: AbortSignal): Promise<StatedBill>;
  /**
   * Labels in the bank the referencers of a finished ask whose code ran on the question's own examples, by those
   * examples alone (rule 0 of core/grading/learning.ts), stored as the panel stores them; null when none ran there.
   * `person`: whose ask it was (a team server's member), the labels' author instead of the config's `userName`.
   */
  labelByChecks(result: AskResult, person?: string): Promise<FeedbackResult | null>;
  /**
   * Labels the bank from the reply a person chose (rule in core/grading/learning.ts; `implicit` for a copy or an
   * insert), as the panel labels its own bank: a team server learns from its members' choices this way.
   */
  learnFromChoice(input: FeedbackInput, options: { implicit: boolean; person?: string }): Promise<FeedbackResult>;
  /** Takes back what `learnFromChoice` wrote (bank/feedback forgetFeedback). */
  forgetChoice(result: FeedbackResult, person?: string): Promise<void>;
}
