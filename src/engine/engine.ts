/**
 * Wires a validated config to the embedder, the question bank, the LLM gateway and the pipeline.
 * Used by the CLI and the extension host alike (see types.ts for the contract).
 */
import path from 'node:path';
import { ConfigError, type SmcsConfig } from '../core/config';
import { isTeamBankUrl } from '../core/bankLocation';
import { accuracyLowerBound } from '../core/accuracy';
import { errorKind, errorMessage } from '../core/errors';
import type { PipelineEvent } from '../core/events';
import { runPipeline, type PipelineRouting, type PriorSource } from '../core/pipeline';
import { MODE_COST_WEIGHTS } from '../core/routingObjective';
import type { SupportSet } from '../core/rps';
import type { Embedder, TokenPrice } from '../core/types';
import { bankExists, BankUnavailableError, openBank, type Bank, type BankAccess, type ModelCoverage } from '../bank';
import { createCheckRunner } from '../grading/checkRunner';
import { createEmbedder, type EmbedderEnvironment } from '../embed/factory';
import { createGateway, type OpenAiGateway } from '../llm/gateway';
import { turnMessages } from '../core/conversation';
import { estimateAskCost, type CostEstimate } from '../core/costs';
import { aggregatorSystemPrompt, userMessage } from '../core/prompts';
import { estimateMessageTokens, estimatePromptTokens } from '../core/tokens';
import type { AskOptions, Engine, EngineHooks, EstimateRequest } from './types';

/** Where the bank is: the config's `bank` (a folder, or a team bank's URL as given), else the folder `<storageDir>/bank`. */
export function bankDir(config: SmcsConfig, storageDir: string): string {
  if (config.bank !== undefined && isTeamBankUrl(config.bank)) return config.bank.trim();
  return path.resolve(config.bank ?? path.join(storageDir, 'bank'));
}


/** How the front ends reach a team bank: the password from the hooks' secret store first, writes attributed to `userName`. */
export function bankAccess(config: SmcsConfig, hooks: Pick<EngineHooks, 'bankPassword'>): BankAccess {
  return { ...(hooks.bankPassword ? { password: hooks.bankPassword } : {}), ...(config.userName ? { user: config.userName } : {}) };
}

/**
 * `auto` = the configured model whose bank accuracy is highest by a lower confidence bound (core/accuracy), so few
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
 * agreement shortcut (on in `balanced` and `budget` unless set), and with `aggregator: auto` each model's bank counts.
 */
export function routingOf(config: SmcsConfig, coverage: readonly ModelCoverage[]): PipelineRouting {
  const mode = config.routing;
  const auto = config.aggregator === 'auto' ? new Map(coverage.map((c) => [c.model, { correct: c.correct, labelled: c.labelled }])) : undefined;
  return {
    mode,
    costWeight: mode === 'quality' ? 0 : (config.costWeight ?? MODE_COST_WEIGHTS[mode]),
    maxCostPerQuestion: config.maxCostPerQuestion,
    agreementShortcut: config.agreementShortcut ?? mode !== 'quality',
    ...(auto ? { autoAggregator: auto } : {}),
  };
}

/** What every ask of one bank state shares: the bank (none while the folder holds none) and the resolved aggregator. */
interface Prepared {
  bank: Bank | null;
  /** What RPS reads: the bank, telling a team bank that cannot be reached as such (the ask goes on without it). */
  source: PriorSource | null;
  models: string[];
  aggregator: string;
  routing: PipelineRouting;
}

/** The support set of a team bank that cannot be reached: RPS falls back to the first K models, saying why. */
const UNAVAILABLE_SUPPORT: SupportSet = { bankSize: 0, ids: [], similarities: [], columns: new Map(), unavailable: true };
const UNAVAILABLE: PriorSource = { supportSet: async () => UNAVAILABLE_SUPPORT };

class SmcsEngine implements Engine {
  private preparation: Promise<Prepared> | undefined;
  /** Runs code replies on the question's checks, in the sandbox (src/grading). */
  private readonly checkRunner = createCheckRunner();

  constructor(
    private readonly config: SmcsConfig,
    private readonly hooks: EngineHooks,
    private readonly gateway: OpenAiGateway,
    private readonly embedder: Embedder,
  ) {}

  /** Opens the bank read-only and resolves the aggregator, once per bank state; a failure is not kept. */
  private prepare(): Promise<Prepared> {
    if (!this.preparation) {
      const preparing = (async (): Promise<Prepared> => {
        const dir = bankDir(this.config, this.hooks.storageDir);
        const models = this.gateway.models.map((m) => m.key);
        let bank: Bank | null;
        let coverage: ModelCoverage[];
        try {
          const access = bankAccess(this.config, this.hooks);
          bank = (await bankExists(dir, access)) ? await openBank(dir, { embedder: { id: this.embedder.id, dimension: await this.embedder.dimension() }, ...access }) : null;
          coverage = (await bank?.coverage()) ?? [];
        } catch (err) {
          if (!(err instanceof BankUnavailableError)) throw err;
          this.hooks.log('warn', `${err.message}; asking without the bank`);
          return { bank: null, source: UNAVAILABLE, models, aggregator: resolveAggregator(this.config, models, []), routing: routingOf(this.config, []) };
        }
        if (bank?.recovery) this.hooks.log('warn', `question bank recovered from damage: ${bank.recovery.problems.join('; ')}`);
        return { bank, source: bank && this.reachable(bank), models, aggregator: resolveAggregator(this.config, models, coverage), routing: routingOf(this.config, coverage) };
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

  async *ask(question: string, options: AskOptions): AsyncIterable<PipelineEvent> {
    let prepared: Prepared;
    try {
      prepared = await this.prepare();
    } catch (err) {
      yield { type: 'error', message: errorMessage(err), kind: errorKind(err), causes: [] };
      return;
    }
    yield* runPipeline(
      {
        question,
        ...(options.context ? { context: options.context } : {}),
        ...(options.history && options.history.length > 0 ? { history: options.history } : {}),
        models: prepared.models,
        aggregator: prepared.aggregator,
        params: { ...this.config, ...options.params },
        routing: options.costLimitWaived ? { ...prepared.routing, maxCostPerQuestion: null } : prepared.routing,
        modelWrittenTests: this.config.modelWrittenTests,
      },
      { embedder: this.embedder, bank: prepared.source, gateway: this.gateway, checkRunner: this.checkRunner },
      options.signal,
    );
  }

  /**
   * Needs no bank and no embedding model (it runs while the user types): with `aggregator: auto` the aggregator is
   * priced as the priciest configured model, which keeps the estimate an upper bound.
   */
  estimateCost(request: EstimateRequest): CostEstimate {
    const models = this.gateway.models.map((m) => m.key);
    const prices = models.map((m) => this.gateway.price(m));
    const aggregatorPrice =
      this.config.aggregator === 'auto'
        ? prices.reduce<TokenPrice | undefined>((max, p) => (p !== undefined && (max === undefined || p.prompt + p.completion > max.prompt + max.completion) ? p : max), undefined)
        : this.gateway.price(this.config.aggregator);
    const params = { ...this.config, ...request.params };
    const sent = [...turnMessages(request.history ?? []), { content: userMessage(request.question, request.context) }];
    return estimateAskCost({
      promptTokens: estimatePromptTokens(sent),
      instructionTokens: estimateMessageTokens(aggregatorSystemPrompt([])),
      k: params.k,
      kDrop: params.kDrop,
      n: params.n,
      maxTokens: params.maxTokens,
      referencerPrices: prices,
      aggregatorPrice,
    });
  }

  /** Drops the cached bank (and the aggregator chosen from it) so the next ask sees writes made since. */
  reloadBank(): void {
    const old = this.preparation;
    this.preparation = undefined;
    void old?.then((p) => p.bank?.close(), () => undefined);
  }

  async dispose(): Promise<void> {
    const prepared = await this.preparation?.catch(() => undefined);
    await prepared?.bank?.close();
  }
}

/** The embedder the config names, with the hooks' storage, consent and progress (loaded lazily on first use). */
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
}

/** Resolves keys, discovers models and prepares the embedder (loaded lazily on first use). */
export async function createEngine(config: SmcsConfig, hooks: EngineHooks, options: CreateEngineOptions = {}): Promise<Engine & { reloadBank(): void }> {
  if (config.endpoints.length === 0) throw new ConfigError('endpoints', 'no endpoint is configured: add a vLLM server, OpenRouter or another OpenAI-compatible /v1 endpoint');
  const gateway = await createGateway(config.endpoints, { secrets: hooks.secrets, log: hooks.log, ...(options.signal ? { signal: options.signal } : {}) });
  const embedder = options.embedder ?? embedderFor(config, hooks, (id) => gateway.endpoint(id));
  return new SmcsEngine(config, hooks, gateway, embedder);
}
