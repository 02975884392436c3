/**
 * The contract between the front ends (CLI, VS Code extension) and the engine that wires
 * config → embedder, bank, LLM gateway → pipeline. Implemented by `engine.ts`.
 */
import type { AskResult, PipelineEvent } from '../core/contracts/events';
import type { FeedbackResult } from '../bank/feedback';
import type { SingleRoute } from '../core/routing/single';
import type { RoutingMode } from '../core/contracts/routingReport';
import type { SelectionFallback } from '../core/contracts/priorSource';
import type { RelayedResponse } from '../llm/relay';
import type { ContextItem } from '../core/context/contextItem';
import type { EditorState } from '../core/context/openFileShare';
import type { Turn } from '../core/ask/conversation';
import type { RefreshStats } from '../workspace/workspaceIndex';
import type { DownloadConsent, DownloadProgress, SecretProvider, SmcsParams } from '../core/contracts/types';

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
   * workspace — names a file it holds or an identifier it defines, or points at it (core/context/retrievalWanted), as
   * the engine judges with the index: front ends pass `auto` for every question and do not judge it themselves;
   * `none`: only the attachments (and the definitions below) are sent.
   */
  retrieval: 'always' | 'auto' | 'none';
  /**
   * Names whose definitions are sent whatever `retrieval` says (what a selection calls and no attachment defines,
   * core/context/selectionCalls); each is found by name in the index, and with `auto` it also counts as named.
   */
  definitions?: readonly string[];
  /** Globs left out besides `.gitignore` (gitignore syntax). */
  exclude?: readonly string[];
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
   * part of the open file goes (core/context/openFileShare: none unless the question refers to it, else the parts it
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
   * The user answered the question about this ask's cost (Send Anyway, or the fast preset): `maxCostPerQuestion` does
   * not cut the models or the aggregations they chose.
   */
  costLimitWaived?: boolean;
  /**
   * Configured models to ask besides the ones the routing chooses ("Use them anyway" on models without bank labels);
   * names the settings do not list are ignored.
   */
  include?: readonly string[];
}

/** What a plan says before anything is sent (core/ask/pipeline AskPlan): its cost, the limit's verdict, the models. */
export interface AskPlanView {
  /** Expected USD of the ask as routed without the limit; null when a needed price is unknown. */
  expectedUsd: number | null;
  /** At worst (every reply at the output limit); null when a needed price is unknown. */
  worstUsd: number | null;
  limitUsd: number | null;
  /** The expected cost (the worst case when it is unknown) is above the limit: ask the user, or refuse. */
  over: boolean;
  /** Models priced at a typical reply length (nothing known of them yet). */
  assumed: string[];
  /** What the run sends within the limit: referencers, aggregator, aggregations. */
  referencers: string[];
  aggregator: string;
  aggregations: number;
  /** Nothing fits the limit: what a run within it would say. */
  refusal?: string;
}

/** An ask's options as the plan reads them; `whileTyping`: only when it costs nothing and loads nothing. */
export type PlanOptions = AskOptions & { whileTyping?: boolean };

export interface Engine {
  /** One SMCS run as a stream of typed events; ends with `done` or `error`. */
  ask(question: string, options: AskOptions): AsyncIterable<PipelineEvent>;
  /**
   * Plans an ask (no chat call): what it sends, to whom, and what it costs, with the cost limit's verdict. The next
   * `ask` of the same question and options runs this plan without embedding or reading the bank again.
   */
  plan(question: string, options: PlanOptions): Promise<AskPlanView | null>;
  /** Brings a workspace's index up to date by walking it (the panel builds it in the background); one refresh at a time per index. */
  refreshWorkspace(request: WorkspaceRequest, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<RefreshStats>;
  /** Indexes again the given workspace-relative files (saved, created, renamed, deleted) without walking the workspace; after any refresh of that index. */
  updateWorkspaceFiles(request: WorkspaceRequest, paths: readonly string[], signal?: AbortSignal): Promise<void>;
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
  fallback: SelectionFallback;
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
   * Labels in the bank the referencers of a finished ask whose code ran on the question's own examples, by those
   * examples alone (rule 0 of core/grading/learning.ts), stored as the panel stores them; null when none ran there.
   */
  labelByChecks(result: AskResult): Promise<FeedbackResult | null>;
}
