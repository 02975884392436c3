/**
 * Builds the engine lazily for the current settings and rebuilds it after settings or keys change.
 * The engine module (and with it the bank, embedders and LLM clients) is loaded on first use, so
 * activation stays light.
 */
import * as vscode from 'vscode';
import { ConfigError, teamServerOf, type EndpointConfig, type SmcsConfig } from '../core/contracts/config';
import type { Embedder } from '../core/contracts/types';
import type { Engine, EngineHooks, ModelRouter } from '../engine/types';
import type { OpenAiGateway } from '../llm/gateway';
import type { SettingsWatcher } from './settings';
import { loadRuntime } from './loadRuntime';

/** The engine as the extension uses it: it can also drop its cached bank after an import, and serve other tools (ModelRouter). */
export type ExtensionEngine = Engine & ModelRouter & { reloadBank(): void };

export class EngineHolder implements vscode.Disposable {
  private engine: Promise<ExtensionEngine> | undefined;
  private embedderPromise: Promise<Embedder> | undefined;
  private gatewayPromise: Promise<OpenAiGateway> | undefined;
  private stale = false;
  private readonly bankEmitter = new vscode.EventEmitter<void>();
  /** Fires after `bankChanged()`: an import, profiling or a learned choice changed the bank on disk. */
  readonly onDidChangeBank = this.bankEmitter.event;

  constructor(
    private readonly settings: SettingsWatcher,
    readonly hooks: EngineHooks,
  ) {}

  /** The validated config, or a ConfigError naming the setting at fault. */
  config(): SmcsConfig {
    const { config, problem } = this.settings.current;
    if (problem || !config) throw new ConfigError(problem?.setting ?? 'smcs', problem?.message ?? 'the settings could not be read');
    return config;
  }

  /** The endpoint marked `teamServer`, when a team server is the engine (engine/serverEngine): asks and choices go there. */
  teamServer(): EndpointConfig | undefined {
    return teamServerOf(this.settings.current.config?.endpoints ?? []);
  }

  /**
   * The endpoints as the settings name them (keys resolved, models discovered), once per settings state: the engine's
   * chat calls and an `endpoint` embedder share it, so discovery runs once and one concurrency limit holds per endpoint.
   */
  private gateway(): Promise<OpenAiGateway> {
    if (!this.gatewayPromise) {
      const config = this.config();
      const building = Promise.resolve().then(() => loadRuntime().createGateway(config.endpoints, { secrets: this.hooks.secrets, log: this.hooks.log }));
      this.gatewayPromise = building;
      building.catch(() => {
        if (this.gatewayPromise === building) this.gatewayPromise = undefined;
      });
    }
    return this.gatewayPromise;
  }

  /**
   * The embedder the settings name, built once per settings state and shared by the engine and the bank commands,
   * so a local model loads once. An `endpoint` embedder calls through the engine's gateway.
   */
  embedder(): Promise<Embedder> {
    if (this.stale) this.reset();
    if (!this.embedderPromise) {
      const config = this.config();
      const building = Promise.resolve().then(async () => {
        const runtime = loadRuntime();
        const gateway = config.embedding.provider === 'endpoint' ? await this.gateway() : undefined;
        return runtime.embedderFor(config, this.hooks, (id) => {
          if (!gateway) throw new Error(`embedding endpoint ${id} is not available`);
          return gateway.endpoint(id);
        });
      });
      this.embedderPromise = building;
      building.catch(() => {
        if (this.embedderPromise === building) this.embedderPromise = undefined;
      });
    }
    return this.embedderPromise;
  }

  /**
   * Whether the workspace index may build now without asking or spending (engine `indexesUnasked`): read from the
   * settings and the shared embedder alone, so start-up contacts no endpoint and builds no engine to find out.
   */
  async indexesUnasked(): Promise<boolean> {
    const config = this.config();
    if (config.embedding.provider === 'endpoint') return false;
    return loadRuntime().indexesUnasked(config, await this.embedder());
  }

  /**
   * The embedder for what the user starts anew (a question, an import, profiling): a model download declined before is
   * asked about again when the model is next needed. A decline otherwise holds for the embedder's life, so nothing the
   * user did not start (an estimate while typing, the index, an agent's call) asks twice.
   */
  async embedderAskingAgain(): Promise<Embedder> {
    const embedder = await this.embedder();
    embedder.askAgain?.();
    return embedder;
  }

  /** The engine for a question the user sends (`embedderAskingAgain`). */
  async forQuestion(): Promise<ExtensionEngine> {
    await this.embedderAskingAgain();
    return this.get();
  }

  /** The engine for the current settings (built on first use, rebuilt when stale). */
  async get(): Promise<ExtensionEngine> {
    if (this.stale) this.reset();
    if (!this.engine) {
      const config = this.config();
      const building = Promise.all([this.embedder(), this.gateway()]).then(([embedder, gateway]) => loadRuntime().createEngine(config, this.hooks, { embedder, gateway }));
      this.engine = building;
      building.catch(() => {
        if (this.engine === building) this.engine = undefined;
      });
    }
    return this.engine;
  }

  /** Marks the engine for rebuilding before the next question (settings or keys changed). */
  invalidate(): void {
    this.stale = true;
  }

  /**
   * Resolves true once the settings satisfy `check` (at once when they already do), marking the engine for
   * rebuilding on them; false when they do not within `timeoutMs` (a settings write is seen a moment after it resolves).
   */
  settled(check: (config: SmcsConfig) => boolean, timeoutMs = 5000): Promise<boolean> {
    const holds = (): boolean => {
      const { config } = this.settings.current;
      return config !== undefined && check(config);
    };
    return new Promise((resolve) => {
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        subscription.dispose();
        if (ok) this.invalidate();
        resolve(ok);
      };
      const timer = setTimeout(() => finish(holds()), timeoutMs);
      const subscription = this.settings.onDidChange(() => {
        if (holds()) finish(true);
      });
      if (holds()) finish(true);
    });
  }

  /** Tells a built engine and the `onDidChangeBank` listeners that the bank changed on disk. */
  async bankChanged(): Promise<void> {
    this.bankEmitter.fire();
    const engine = await this.engine?.catch(() => undefined);
    engine?.reloadBank();
  }

  private reset(): void {
    const old = this.engine;
    this.engine = undefined;
    this.embedderPromise = undefined;
    this.gatewayPromise = undefined;
    this.stale = false;
    void old?.then((e) => e.dispose()).catch(() => undefined);
  }

  dispose(): void {
    this.reset();
    this.bankEmitter.dispose();
  }
}
