/**
 * The contract between the front ends (CLI, VS Code extension) and the engine that wires
 * config → embedder, bank, LLM gateway → pipeline. Implemented by `src/engine.ts`.
 */
import type { PipelineEvent } from './core/events';
import type { SmcsParams } from './core/types';

/** Supplies API keys by endpoint id (VS Code SecretStorage, or environment variables in the CLI). */
export interface SecretProvider {
  apiKey(endpointId: string): Promise<string | undefined>;
}

/** Asked once before the embedding model is downloaded; false = do not download. */
export type DownloadConsent = (modelId: string) => Promise<boolean>;

export interface DownloadProgress {
  file: string;
  /** 0–100, when the size is known. */
  percent?: number;
  loadedBytes?: number;
  totalBytes?: number;
}

export interface EngineHooks {
  secrets: SecretProvider;
  consent: DownloadConsent;
  onDownloadProgress(progress: DownloadProgress): void;
  /** Diagnostic log lines; never receives keys, prompts or answers. */
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** Folder for caches (embedding models) and the default bank. */
  storageDir: string;
}

export interface AskOptions {
  /** Editor context appended to the user message (selection, file language). */
  context?: string;
  signal: AbortSignal;
  /** Per-ask overrides (e.g. a preset chosen in the panel). */
  params?: Partial<SmcsParams>;
}

export interface Engine {
  /** One SMCS run as a stream of typed events; ends with `done` or `error`. */
  ask(question: string, options: AskOptions): AsyncIterable<PipelineEvent>;
  /** Releases the bank lock and open resources. */
  dispose(): Promise<void>;
}
