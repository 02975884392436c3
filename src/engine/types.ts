/**
 * The contract between the front ends (CLI, VS Code extension) and the engine that wires
 * config → embedder, bank, LLM gateway → pipeline. Implemented by `engine.ts`.
 */
import type { PipelineEvent } from '../core/events';
import type { Turn } from '../core/conversation';
import type { CostEstimate } from '../core/costs';
import type { DownloadConsent, DownloadProgress, SecretProvider, SmcsParams } from '../core/types';

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

export interface AskOptions {
  /** Editor context appended to the user message (selection, file language). */
  context?: string;
  /** Earlier turns of the conversation (question as sent, and the reply the user kept), oldest first. */
  history?: readonly Turn[];
  signal: AbortSignal;
  /** Per-ask overrides (e.g. a preset chosen in the panel). */
  params?: Partial<SmcsParams>;
  /**
   * The user answered the question about this ask's cost (Send Anyway, or the fast preset): `maxCostPerQuestion` does
   * not cut the models or the aggregations they chose.
   */
  costLimitWaived?: boolean;
}

/** What the estimate before sending needs to know of a question. */
export interface EstimateRequest {
  question: string;
  context?: string;
  history?: readonly Turn[];
  params?: Partial<SmcsParams>;
}

export interface Engine {
  /** One SMCS run as a stream of typed events; ends with `done` or `error`. */
  ask(question: string, options: AskOptions): AsyncIterable<PipelineEvent>;
  /** An upper bound of what asking would cost at the models' prices (core/costs), before anything is sent. */
  estimateCost(request: EstimateRequest): CostEstimate;
  /** Releases the bank lock and open resources. */
  dispose(): Promise<void>;
}
