/**
 * Wires a validated config to the embedder, the question bank, the LLM gateway and the pipeline.
 * Used by the CLI and the extension host alike (see types.ts for the contract).
 */
import path from 'node:path';
import { ConfigError, teamServerOf, type SmcsConfig } from '../core/contracts/config';
import { isTeamBankUrl } from '../core/contracts/bankLocation';
import { accuracyLowerBound } from '../core/routing/accuracy';
import { errorKind, errorMessage } from '../core/contracts/errors';
import type { AskResult, PipelineEvent } from '../core/contracts/events';
import { codeLabel } from '../core/grading/learning';
import type { PipelineDeps, PipelineInput, PipelineRouting } from '../core/ask/pipeline';
import { openAsk, prepareAsk } from '../core/ask/prepareAsk';
import type { PriorSource, RouteFallback } from '../core/contracts/priorSource';
import { MODE_COST_WEIGHTS } from '../core/routing/objective';
import type { SupportSet } from '../core/contracts/priorSource';
import type { Embedder, StatedBill } from '../core/contracts/types';
import { bankExists, BankUnavailableError, openBank, readBankEmbedder, forgetFeedback, recordFeedback, removeInterruptedImport, type Bank, type BankAccess, type FeedbackInput, type FeedbackResult, type ModelCoverage } from '../bank';
import { createCheckRunner } from '../sandbox/checkRunner';
import { mathEquivalence } from './mathEquivalence';
import { createEmbedder, type EmbedderEnvironment } from '../embed/factory';
import { createGateway, type OpenAiGateway } from '../llm/gateway';
import { turnMessages } from '../core/ask/conversation';
import { estimatePromptTokens } from '../core/util/tokens';
import { TokenScale } from '../core/cost/cutTail';
import { refuseForEveryModel } from '../core/ask/promptSize';
import { routeSingle } from '../core/routing/single';
import { calibrateBank, type BankCalibration } from './shrinkageEstimate';
import { CallHistory } from './callHistory';
import type { RoutingMode } from '../core/contracts/routingReport';
import type { RelayedResponse } from '../llm/relay';
import { retrievalText } from '../core/ask/conversation';
import { untilAborted } from '../core/util/abort';
import type { RefreshStats } from '../workspace/workspaceIndex';
import { WorkspaceContexts } from './workspaceContext';
import { ServerEngine } from './serverEngine';
import { resolveApiKey } from '../llm/keys';
import { failureEvent } from './failedEndpoints';
import type { AskOptions, Engine, EngineHooks, FirstModels, ModelRouter, PreparedAsk, RouteDecision, RouteOptions, WorkspaceRequest } from './types';
import { failedAsk, preparedAsk, type PreparedAskHost } from './preparedAsk';
import { askEvents } from '../core/ask/askLoop';
import os from 'node:os';
import { expandHome } from '../core/util/homePath';
import { answerText } from '../core/contracts/answer';
import type { ContextItem } from '../core/context/contextItem';

/** Where the bank is: the config's `bank` (a folder, or a team bank's URL as given), else the folder `<storageDir>/bank`. */
export function bankDir(config: SmcsConfig, storageDir: string): string {
  if (config.bank !== undefined && isTeamBankUrl(config.bank)) return config.bank.trim();
  // `~` as a shell reads it: the setting smcs.bank and a config's `bank` are written by hand.
  return path.resolve(config.bank === undefined ? path.join(storageDir, 'bank') : expandHome(config.bank, os.homedir()));
}


/** How the front ends reach a team bank: the password from the hooks' secret store first, writes attributed to `userName`. */
export function bankAccess(config: SmcsConfig, hooks: Pick<EngineHooks, 'bankPassword'>): BankAccess {
  return { ...(hooks.bankPassword ? { password: hooks.bankPassword } : {}), ...(config.userName ? { user: config.userName } : {}) };
}

/**
 * `auto` = the configured model whose bank accuracy is highest by a lower confidence bound (core/routing/accuracy), so few
 * lucky labels do not win over many; else (no labels) the first model.
 */
export function resolveAggregator(config: SmcsConfig, models: readonly string[], coverage: readonly ModelCoverage[]): string {
  if (config.aggregator !== 'auto') {
    if (!models.includes(config.aggregator)) {
      throw new ConfigError('aggregator', `names no configured model: ${JSON.stringify(config.aggregator)} (known: ${models.join(', ')})`);
    }
    return config.aggregator;
  }
  const accuracy = new Map(coverage.filter((c) => c.labelled > 0).map((c) => [c.model, accuracyLowerBound(c.correct, c.labelled)]));
  const [first] = models;
  if (first === undefined) throw new ConfigError('aggregator', 'is auto, but there is no configured model to choose from');
  let best = first;
  let bestAccuracy = -1;
  for (const m of models) {
    const a = accuracy.get(m);
    if (a !== undefined && a > bestAccuracy) {
      best = m;
      bestAccuracy = a;
    }
  }
  return best;
}

/**
 * The routing of every ask: the mode, its cost weight (`costWeight` when set; none in `quality`), the cost limit, the
 * agreement shortcut (unless set: on in `balanced` and `budget`; in `quality` on stated final answers to option questions,
 * where the replays measured it — docs/routing-and-cost.md), with `aggregator: auto` each model's bank counts, and
 * with a prior shrinkage `alpha` above 0 the same counts for RPS to shrink toward (core/routing/shrinkage), and the
 * bank's `near` similarity, below which a question is far from it (core/routing/exploration).
 */
export function routingOf(config: SmcsConfig, coverage: readonly ModelCoverage[], alpha: number, near: number | null = null): PipelineRouting {
  const mode = config.routing;
  const counts = new Map(coverage.map((c) => [c.model, { correct: c.correct, labelled: c.labelled }]));
  return {
    mode,
    costWeight: mode === 'quality' ? 0 : (config.costWeight ?? MODE_COST_WEIGHTS[mode]),
    maxCostPerQuestion: config.maxCostPerQuestion,
    agreementShortcut: config.agreementShortcut ?? (mode === 'quality' ? 'answers' : true),
    ...(config.aggregator === 'auto' ? { autoAggregator: counts } : {}),
    ...(alpha > 0 ? { priorShrinkage: { alpha, overall: counts } } : {}),
    ...(near !== null ? { nearSimilarity: near } : {}),
  };
}

/** What every ask of one bank state shares: the bank (none while the folder holds none) and the resolved aggregator. */
interface BankState {
  bank: Bank | null;
  /** What RPS reads: the bank, telling a team bank that cannot be reached as such (the ask goes on without it). */
  source: PriorSource | null;
  models: string[];
  aggregator: string;
  routing: PipelineRouting;
  /** Each model's bank-wide counts, for the routing of an ask in another mode than the config's. */
  coverage: readonly ModelCoverage[];
  /** The prior shrinkage α of this bank state: the config's number, or the one `auto` chose. */
  alpha: number;
  /** How similar the bank's own questions are to their nearest (the 5th percentile); null: no question is called far. */
  near: number | null;
}

/** The support set of a team bank that cannot be reached: RPS falls back to the first K models, saying why. */
const UNAVAILABLE_SUPPORT: SupportSet = { bankSize: 0, ids: [], similarities: [], columns: new Map(), unavailable: true };
const UNAVAILABLE: PriorSource = { supportSet: async () => UNAVAILABLE_SUPPORT };
/** The support set where there is no bank: RPS falls back to the first models. */
const EMPTY_SUPPORT: SupportSet = { bankSize: 0, ids: [], similarities: [], columns: new Map() };

/** The workspace context an ask sends (none without a workspace or attachments), and the time gathering it took. */
interface Gathered {
  input: Pick<PipelineInput, 'contextItems' | 'contextNotes'>;
  ms: number;
}

class SmcsEngine implements Engine, ModelRouter {
  private preparation: Promise<BankState> | undefined;
  /** Grows when what a prepared ask was made from changes (the bank reloaded, a workspace indexed again). */
  private generation = 0;
  /** The embedder has embedded once (a transformers model is loaded). */
  private embedderUsed = false;
  /** Runs code replies on the question's checks, in the sandbox (src/sandbox). */
  private readonly checkRunner = createCheckRunner();

  /** The workspaces' indexes, open between asks, and what an ask gathers from them. */
  private readonly workspaceContexts: WorkspaceContexts;
  /** Aborted by `dispose`: work shared by asks (asking an embedding endpoint its dimension) ends with the engine. */
  private readonly lifetime = new AbortController();
  constructor(
    private readonly config: SmcsConfig,
    private readonly hooks: EngineHooks,
    private readonly gateway: OpenAiGateway,
    private readonly embedder: Embedder,
    /** This installation's past calls: expected costs read them, every ask adds to them. */
    private readonly pastCalls: CallHistory,
    /** How the upstreams count tokens against the estimate, over this engine's asks: what a cut call of an ask with no reported call is scaled by. */
    private readonly tokenScale: TokenScale = new TokenScale(),
  ) {
    this.workspaceContexts = new WorkspaceContexts(embedder, hooks, this.lifetime.signal);
  }

  /** Opens the bank read-only and resolves the aggregator, once per bank state; a failure is not kept. */
  private bankState(): Promise<BankState> {
    if (!this.preparation) {
      const preparing = (async (): Promise<BankState> => {
        const dir = bankDir(this.config, this.hooks.storageDir);
        const models = this.gateway.models.map((m) => m.key);
        let bank: Bank | null;
        let coverage: ModelCoverage[];
        let calibration: BankCalibration;
        try {
          const access = bankAccess(this.config, this.hooks);
          const removed = await removeInterruptedImport(dir);
          if (removed !== undefined) this.hooks.log('warn', removed);
          bank = (await bankExists(dir, access)) ? await openBank(dir, { embedder: { id: this.embedder.id, dimension: await this.embedder.dimension(this.lifetime.signal) }, ...access }) : null;
          coverage = (await bank?.coverage()) ?? [];
          calibration = await this.calibrate(bank, models, coverage);
        } catch (err) {
          if (!(err instanceof BankUnavailableError)) throw err;
          this.hooks.log('warn', `${err.message}; asking without the bank`);
          return { bank: null, source: UNAVAILABLE, models, aggregator: resolveAggregator(this.config, models, []), routing: routingOf(this.config, [], 0), coverage: [], alpha: 0, near: null };
        }
        if (bank?.recovery) this.hooks.log('warn', `question bank recovered from damage: ${bank.recovery.problems.join('; ')}`);
        const { alpha, near } = calibration;
        return { bank, source: bank && this.reachable(bank), models, aggregator: resolveAggregator(this.config, models, coverage), routing: routingOf(this.config, coverage, alpha, near), coverage, alpha, near };
      })();
      this.preparation = preparing;
      // A failure, or a team bank that could not be reached, is not kept: the next ask tries again.
      preparing.then(
        (p) => {
          if (p.source === UNAVAILABLE && this.preparation === preparing) this.preparation = undefined;
        },
        () => {
          if (this.preparation === preparing) this.preparation = undefined;
        },
      );
    }
    return this.preparation;
  }

  /**
   * The config's prior shrinkage, or with `auto` the one chosen from the bank (none to choose from: the paper's priors),
   * and the bank's `near` similarity, from one sample of its questions (engine/shrinkageEstimate).
   */
  private async calibrate(bank: Bank | null, models: readonly string[], coverage: readonly ModelCoverage[]): Promise<BankCalibration> {
    const setting = this.config.priorShrinkage;
    if (!bank || coverage.length === 0) return { alpha: setting === 'auto' ? 0 : setting, near: null };
    const started = performance.now();
    const found = await calibrateBank(bank, bank, { nBase: this.config.nBase, gamma: this.config.gamma, models }, coverage, setting);
    const ms = Math.round(performance.now() - started);
    if (found.estimate) this.hooks.log('info', `prior shrinkage: α = ${Number(found.alpha.toFixed(2))}, chosen on ${found.estimate.labels} labels of ${found.estimate.questions} bank questions in ${ms} ms`);
    if (found.near !== null) this.hooks.log('info', `routing: a question less similar than ${found.near.toFixed(3)} to every bank question is far from the bank, and its unprofiled models are tried too`);
    return found;
  }

  /** The bank as RPS reads it: a team bank whose server goes away mid-ask gives the unavailable support set, logged. */
  private reachable(bank: Bank): PriorSource {
    return {
      supportSet: async (query, request) => {
        try {
          return await bank.supportSet(query, request);
        } catch (err) {
          if (!(err instanceof BankUnavailableError)) throw err;
          this.hooks.log('warn', `${err.message}; asking without the bank`);
          return UNAVAILABLE_SUPPORT;
        }
      },
    };
  }

  ask(question: string, options: AskOptions): AsyncIterable<PipelineEvent> {
    return askEvents(() => this.prepare(question, options), options.signal);
  }

  /**
   * Prepares the ask `question` with `options` would make (core/ask/prepareAsk AskPlan): the workspace searched and the
   * question embedded — both counted in the ledger its run reports — its support set read, the context fitted, the
   * models and the cost decided. A failure is the prepared ask's run; with `whileTyping`, null unless the embedder is
   * ready (no model download, no priced embedding call for a question still being typed), and a failure throws.
   */
  prepare(question: string, options: AskOptions & { whileTyping: true }): Promise<PreparedAsk | null>;
  prepare(question: string, options: AskOptions): Promise<PreparedAsk>;
  async prepare(question: string, options: AskOptions & { whileTyping?: boolean }): Promise<PreparedAsk | null> {
    if (options.whileTyping && !this.embedderReady()) return null;
    const generation = this.generation;
    const host: PreparedAskHost = { endpoints: this.config.endpoints, pastCalls: this.pastCalls, current: () => this.generation === generation };
    let state: BankState;
    try {
      // The bank state is shared by every ask (it may be asking an embedding endpoint its dimension): this ask stops
      // waiting for it when its own signal aborts.
      state = await untilAborted(this.bankState(), options.signal);
    } catch (err) {
      if (options.whileTyping) throw err;
      return failedAsk(question, failureEvent(err, this.config.endpoints), host);
    }
    // The ledger opens before the workspace is searched: retrieval's embedding is the ask's first counted call.
    const opened = openAsk(this.pipelineDeps(state));
    let gathered: Gathered;
    try {
      gathered = await this.gather(question, options, opened.deps.embedder);
    } catch (err) {
      if (options.whileTyping) throw err;
      // Searching the workspace embeds the question: a failure of the embedder or its endpoint says so itself and is
      // no fault of the workspace; only a failure without a kind of its own (a file that cannot be read) is.
      return failedAsk(question, failureEvent(err, this.config.endpoints, errorKind(err) === 'internal' ? `the workspace could not be read: ${errorMessage(err)}` : errorMessage(err)), host);
    }
    try {
      const plan = await prepareAsk({ ...this.pipelineInput(question, options, state), ...gathered.input }, opened, options.signal);
      this.embedderUsed = true;
      return preparedAsk(plan, gathered.input.contextItems ? gathered.ms : undefined, host);
    } catch (err) {
      if (options.whileTyping) throw err;
      const spent = opened.ledger.spent;
      const failure = options.signal.aborted ? { type: 'error' as const, message: 'Cancelled', kind: 'cancelled' as const, causes: [] } : failureEvent(err, this.config.endpoints);
      return failedAsk(question, { ...failure, spent }, host);
    }
  }

  /** A local embedder that needs nothing loaded, or one an earlier plan or ask has loaded. */
  private embedderReady(): boolean {
    return this.config.embedding.provider === 'lexical' || (this.config.embedding.provider === 'transformers' && this.embedderUsed);
  }

  gatherContext(question: string, options: AskOptions): Promise<{ items: ContextItem[]; notes: string[] } | undefined> {
    return this.workspaceContexts.gather(question, options);
  }

  /** The workspace context of an ask (retrieval embeds with the ask's `embedder`), and how long gathering it took. */
  private async gather(question: string, options: AskOptions, embedder: Embedder): Promise<Gathered> {
    const started = performance.now();
    const gathered = await this.workspaceContexts.gather(question, options, embedder);
    return { input: gathered ? { contextItems: gathered.items, contextNotes: gathered.notes } : {}, ms: performance.now() - started };
  }

  private pipelineInput(question: string, options: Omit<AskOptions, 'signal'>, state: BankState): PipelineInput {
    const routing = this.routingIn(state, options.routing);
    return {
      question,
      ...(options.history && options.history.length > 0 ? { history: options.history } : {}),
      ...(options.system ? { system: options.system } : {}),
      models: state.models,
      aggregator: state.aggregator,
      params: { ...this.config, ...options.params },
      routing,
      modelWrittenTests: this.config.modelWrittenTests,
      ...(options.include && options.include.length > 0 ? { include: options.include } : {}),
    };
  }

  private pipelineDeps(state: BankState): PipelineDeps {
    return { embedder: this.embedder, bank: state.source, gateway: this.gateway, checkRunner: this.checkRunner, pastCalls: this.pastCalls, sameMath: mathEquivalence, tokenScale: this.tokenScale };
  }

  async refreshWorkspace(request: WorkspaceRequest, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<RefreshStats> {
    // What a prepared ask found in the workspace may have changed.
    this.generation++;
    return this.workspaceContexts.refresh(request, signal, onProgress);
  }

  updateWorkspaceFiles(request: WorkspaceRequest, paths: readonly string[], signal?: AbortSignal): Promise<void> {
    this.generation++;
    return this.workspaceContexts.updateFiles(request, paths, signal);
  }

  /**
   * The routing of an ask in `mode`: the config's when it names no other mode; else that mode with its own cost weight
   * and agreement shortcut (the config's `costWeight` and `agreementShortcut` belong to the config's mode).
   */
  private routingIn(state: BankState, mode: RoutingMode | undefined): PipelineRouting {
    if (mode === undefined || mode === this.config.routing) return state.routing;
    return routingOf({ ...this.config, routing: mode, costWeight: null, agreementShortcut: null }, state.coverage, state.alpha, state.near);
  }

  modelKeys(): readonly string[] {
    return this.gateway.models.map((m) => m.key);
  }

  contextWindow(model: string): number | undefined {
    return this.gateway.contextWindow(model);
  }

  async route(question: string, options: RouteOptions): Promise<RouteDecision> {
    const prepared = await this.bankState();
    const history = options.history ?? [];
    // Before the embedding: the relay checks the chosen model's window with the whole body, but this call comes first.
    refuseForEveryModel(prepared.models, estimatePromptTokens([{ content: question }]), (model) => this.gateway.contextWindow(model));
    const [query] = await this.embedder.embed([retrievalText(question, history)], options.signal);
    if (query === undefined) throw new Error('the embedder returned no vector for the question');
    const support = prepared.source
      ? await prepared.source.supportSet(query, { nBase: this.config.nBase, gamma: this.config.gamma, models: prepared.models })
      : EMPTY_SUPPORT;
    return routeSingle({
      support,
      models: prepared.models,
      price: (model) => this.gateway.price(model),
      routing: this.routingIn(prepared, options.routing),
      assumedTokens: { prompt: estimatePromptTokens([...turnMessages(history), { content: question }]), completion: this.config.maxTokens },
    });
  }

  async firstModels(): Promise<FirstModels | null> {
    const dir = bankDir(this.config, this.hooks.storageDir);
    const access = bankAccess(this.config, this.hooks);
    const keys = this.modelKeys();
    const first = (fallback: RouteFallback): FirstModels => ({ fallback, models: keys.slice(0, this.config.k) });
    try {
      if (!(await bankExists(dir, access))) return first('empty-bank');
      // Opened with the embedder that built it: nothing is loaded or downloaded to read its counts.
      const recorded = await readBankEmbedder(dir, access);
      if (!('embedder' in recorded)) return null;
      const bank = await openBank(dir, { embedder: recorded.embedder, ...access });
      try {
        if ((await bank.count()) === 0) return first('empty-bank');
        const labelled = new Set((await bank.coverage()).filter((c) => c.labelled > 0).map((c) => c.model));
        return keys.some((m) => labelled.has(m)) ? null : first('no-profiled-model');
      } finally {
        await bank.close();
      }
    } catch (err) {
      if (err instanceof BankUnavailableError) return first('bank-unavailable');
      throw err;
    }
  }

  relay(model: string, body: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<RelayedResponse> {
    return this.gateway.relay(model, body, this.config.maxTokens, signal);
  }

  statedBill(model: string, generation: string, signal: AbortSignal): Promise<StatedBill> {
    return this.gateway.statedBill(model, generation, signal);
  }

  async labelByChecks(result: AskResult, person?: string): Promise<FeedbackResult | null> {
    // Only references that rule 0 labels go to the recorder, so no other rule (agreement with the answer) can apply.
    const references = result.referencers.flatMap((r) => (r.ok && r.checks && codeLabel(r.checks) !== null ? [{ model: r.model, text: r.text, checks: r.checks }] : []));
    if (references.length === 0) return null;
    return this.learnFromChoice({ question: result.question, references, chosen: answerText(result) }, { implicit: false, ...(person ? { person } : {}) });
  }

  async learnFromChoice(input: FeedbackInput, options: { implicit: boolean; person?: string }): Promise<FeedbackResult> {
    return this.writingBank(true, async (bank, user) => recordFeedback(bank, this.embedder, input, { implicit: options.implicit, ...(user ? { user } : {}) }), options.person);
  }

  async forgetChoice(result: FeedbackResult, person?: string): Promise<void> {
    await this.writingBank(false, async (bank, user) => forgetFeedback(bank, result, user ? { user } : {}), person);
  }

  /** Opens the bank for one write by `person` (else the config's user), closes it, and drops the cached bank so the next ask sees it. */
  private async writingBank<T>(create: boolean, write: (bank: Bank, user: string | undefined) => Promise<T>, person: string | undefined): Promise<T> {
    const access = bankAccess(this.config, this.hooks);
    const bank = await openBank(bankDir(this.config, this.hooks.storageDir), { embedder: { id: this.embedder.id, dimension: await this.embedder.dimension() }, create, write: true, ...access });
    try {
      return await write(bank, person ?? access.user);
    } finally {
      await bank.close();
      this.reloadBank();
    }
  }

  /** Drops the cached bank (and the aggregator chosen from it) so the next ask sees writes made since. */
  reloadBank(): void {
    this.generation++;
    const old = this.preparation;
    this.preparation = undefined;
    void old?.then((p) => p.bank?.close(), () => undefined);
  }

  async dispose(): Promise<void> {
    this.lifetime.abort(new Error('the engine was closed'));
    const prepared = await this.preparation?.catch(() => undefined);
    await prepared?.bank?.close();
  }
}

/** The embedder the config names, with the hooks' storage, consent and progress (loaded lazily on first use). */
/**
 * Whether building the workspace index with `embedder`, the one `config` names, asks nothing and spends nothing (issue
 * 70 item 8): the lexical embedder, or a local model already on disk or loaded — never one still to download (its
 * consent would open at start-up) nor an embeddings endpoint (it may be priced). Decided without an engine: no
 * endpoint is contacted.
 */
export function indexesUnasked(config: SmcsConfig, embedder: Embedder): boolean {
  const { provider } = config.embedding;
  return provider === 'lexical' || (provider === 'transformers' && embedder.loadsUnasked?.() === true);
}

export function embedderFor(config: SmcsConfig, hooks: EngineHooks, endpointClient: EmbedderEnvironment['endpointClient']): Embedder {
  return createEmbedder(config.embedding, {
    storageDir: hooks.storageDir,
    consent: hooks.consent,
    onDownloadProgress: (p) => hooks.onDownloadProgress(p),
    endpointClient,
  });
}

export interface CreateEngineOptions {
  /** Cancels discovery. */
  signal?: AbortSignal;
  /** An embedder already built for this config (shared with other commands so the model loads once). */
  embedder?: Embedder;
  /** The endpoints already resolved for this config (shared with an endpoint embedder: one discovery, one limit). */
  gateway?: OpenAiGateway;
  /** The token scale to start from (a team server's, learned from its ledger's last reported calls); a new one by default. */
  tokenScale?: TokenScale;
}

/** Resolves keys, discovers models and prepares the embedder (loaded lazily on first use). */
export async function createEngine(config: SmcsConfig, hooks: EngineHooks, options: CreateEngineOptions = {}): Promise<Engine & ModelRouter & { reloadBank(): void }> {
  if (config.endpoints.length === 0) throw new ConfigError('endpoints', 'no endpoint is configured: add a vLLM server, OpenRouter or another OpenAI-compatible /v1 endpoint');
  const gateway = options.gateway ?? (await createGateway(config.endpoints, { secrets: hooks.secrets, log: hooks.log, ...(options.signal ? { signal: options.signal } : {}) }));
  const embedder = options.embedder ?? embedderFor(config, hooks, (id) => gateway.endpoint(id));
  const local = new SmcsEngine(config, hooks, gateway, embedder, await CallHistory.open(hooks.storageDir, hooks.log), options.tokenScale);
  // An endpoint that is a team server is the engine: its asks run there, once (serverEngine.ts).
  const server = teamServerOf(config.endpoints);
  return server ? new ServerEngine(local, server, await resolveApiKey(server, hooks.secrets, process.env)) : local;
}
