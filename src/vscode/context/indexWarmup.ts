/**
 * When the workspace's index builds by itself (issue 70 item 8): in the background soon after start-up, and again soon
 * after models are set up or the workspace is trusted — once, and only when building it asks nothing and spends
 * nothing (engine `indexesUnasked`, asked through the engine holder: the lexical embedder, or a local model whose files are on disk). The decision
 * of every question that could concern a workspace reads the index (engine/workspaceContext), so without it the first
 * question — a CSV question as much as one about this code — waited for the build, with "SMCS: indexing the workspace"
 * in the status bar as if that question searched the code. A model still to download, or a priced embeddings endpoint,
 * waits for the first question that needs the index, as before. Free of `vscode`, for the unit tests.
 */
import { errorMessage } from '../../core/contracts/errors';

/** How long after start-up (or a change of settings) the index starts building: activation and the workbench go first. */
export const WARMUP_DELAY_MS = 2_000;

export interface IndexWarmupDeps {
  /** The index may be built here and is not yet: a trusted folder, the extension's storage, models set up. */
  wanted(): boolean;
  /** Building it now asks the user nothing and spends nothing (may load the runtime and make the engine). */
  unasked(): Promise<boolean>;
  /** Starts the background build (its progress in the status bar). */
  start(): void;
  log(message: string): void;
}

export class IndexWarmup {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    private readonly deps: IndexWarmupDeps,
    private readonly delayMs = WARMUP_DELAY_MS,
  ) {}

  /** Checks `delayMs` from now whether to build (a later call replaces an earlier one); activation never waits for it. */
  soon(): void {
    clearTimeout(this.timer);
    if (this.disposed || !this.deps.wanted()) return;
    this.timer = setTimeout(() => void this.now(), this.delayMs);
  }

  /** Starts the build when it is wanted and asks nothing; true when it started it. */
  async now(): Promise<boolean> {
    if (this.disposed || !this.deps.wanted()) return false;
    let unasked: boolean;
    try {
      unasked = await this.deps.unasked();
    } catch (err) {
      // The engine could not be made (settings at fault, a key missing): the first question says why, and builds it.
      this.deps.log(`workspace index: not built at start-up (${errorMessage(err)})`);
      return false;
    }
    if (!unasked) {
      this.deps.log('workspace index: built by the first question that needs it (the embedding model is not downloaded yet, or embeddings are priced)');
      return false;
    }
    if (this.disposed || !this.deps.wanted()) return false;
    this.deps.start();
    return true;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
  }
}
