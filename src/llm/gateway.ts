/**
 * The LlmGateway over configured OpenAI-compatible endpoints: resolves keys, discovers models,
 * builds the model table and routes each chat by model key to its endpoint's client.
 */
import type { EndpointConfig } from '../core/contracts/config';
import type { ChatDelta, ChatRequest, LlmGateway, SecretProvider, StatedBill, TokenPrice } from '../core/contracts/types';
import { EndpointClient, type LlmChatResult } from './client';
import type { RelayedResponse } from './relay';
import { readModelList, type DiscoveredModel } from './discovery';
import { LlmError } from './errors';
import { resolveApiKey } from './keys';
import { endpointModels, ModelTable, type ModelInfo } from './registry';
import type { RetryPolicy } from './retry';
import { errorMessage } from '../core/contracts/errors';

export interface GatewayOptions {
  /** Keys by endpoint id (VS Code SecretStorage); asked before the `apiKeyEnv` variable. */
  secrets?: SecretProvider;
  /** Environment for `apiKeyEnv` lookups; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  retry?: Partial<RetryPolicy>;
  /** Diagnostics (never keys, prompts or answers). */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Cancels discovery. */
  signal?: AbortSignal;
}

/**
 * Builds the gateway. Endpoints without `models` must answer `GET /models` (an unreachable one is an error
 * naming it); endpoints with `models` are asked too, best effort, to learn context windows and pricing.
 * Throws ConfigError (missing key, no models, duplicate model key) or LlmError (discovery failed).
 */
export async function createGateway(endpoints: readonly EndpointConfig[], options: GatewayOptions = {}): Promise<OpenAiGateway> {
  const env = options.env ?? process.env;
  const signal = options.signal ?? new AbortController().signal;
  const clients = await Promise.all(
    endpoints.map(async (endpoint) => {
      const apiKey = await resolveApiKey(endpoint, options.secrets, env);
      return new EndpointClient({ endpoint, apiKey, ...(options.retry ? { retry: options.retry } : {}) });
    }),
  );
  const perEndpoint = await Promise.all(
    clients.map(async (client) => {
      const discovered = await discover(client, signal, options.log);
      if (discovered) client.learnModels(discovered);
      return endpointModels(client.endpoint, discovered);
    }),
  );
  return new OpenAiGateway(clients, new ModelTable(perEndpoint.flat()));
}

async function discover(
  client: EndpointClient,
  signal: AbortSignal,
  log: GatewayOptions['log'],
): Promise<DiscoveredModel[] | undefined> {
  const required = client.endpoint.models === undefined;
  try {
    return readModelList(await client.listModels(signal));
  } catch (err) {
    const message = errorMessage(err);
    if (required || (err instanceof LlmError && err.kind === 'cancelled')) {
      if (err instanceof LlmError) {
        // A team server is the engine, not a list of models to write down: what failed is reaching it.
        const what =
          client.endpoint.teamServer !== true
            ? `could not discover models from ${client.endpoint.baseUrl}/models (or list them in "models")`
            : err.kind === 'auth'
              ? `the team server ${client.id} at ${client.endpoint.baseUrl} refused this key: set the key its admin gave you (smcs keys add) for endpoint ${client.id} again`
              : `the team server ${client.id} at ${client.endpoint.baseUrl} cannot take questions until it answers`;
        throw new LlmError(`${message}; ${what}`, {
          kind: err.kind,
          endpointId: err.endpointId,
          cause: err,
        });
      }
      throw err;
    }
    log?.('warn', `${message}; context windows and prices of endpoint ${client.id} are unknown`);
    return undefined;
  }
}

export class OpenAiGateway implements LlmGateway {
  private readonly clients = new Map<string, EndpointClient>();

  constructor(
    clients: readonly EndpointClient[],
    readonly table: ModelTable,
  ) {
    for (const c of clients) this.clients.set(c.id, c);
  }

  /** All models in configured order. */
  get models(): readonly ModelInfo[] {
    return this.table.models;
  }

  /** The client of an endpoint (e.g. for `EndpointEmbedder`); throws naming the known ids when absent. */
  endpoint(id: string): EndpointClient {
    const client = this.clients.get(id);
    if (!client) throw new Error(`no endpoint ${JSON.stringify(id)}; configured endpoints: ${[...this.clients.keys()].join(', ') || '(none)'}`);
    return client;
  }

  /** Streams one chat through the endpoint serving `request.model`; see EndpointClient for retry, timeout and abort. */
  chat(request: ChatRequest, onDelta: (delta: ChatDelta) => void, signal: AbortSignal): Promise<LlmChatResult> {
    const model = this.table.get(request.model);
    if (!model) {
      return Promise.reject(new Error(`unknown model ${JSON.stringify(request.model)}; configured models: ${this.table.keys().join(', ') || '(none)'}`));
    }
    return this.endpoint(model.endpointId).chat(model, request, onDelta, signal);
  }

  /**
   * Relays a chat-completions body to the endpoint serving `model` (llm/relay; `maxTokens`: the output budget of a body
   * that names none); rejects an unknown model like `chat`.
   */
  relay(model: string, body: Readonly<Record<string, unknown>>, maxTokens: number, signal: AbortSignal): Promise<RelayedResponse> {
    const info = this.table.get(model);
    if (!info) return Promise.reject(new Error(`unknown model ${JSON.stringify(model)}; configured models: ${this.table.keys().join(', ') || '(none)'}`));
    return this.endpoint(info.endpointId).relay(info, body, maxTokens, signal);
  }

  /**
   * What the endpoint serving `model` billed for its reply `generation` (a call's `generation`: only an endpoint that
   * states its bills names one; EndpointClient.statedBill); rejects an unknown model like `chat`.
   */
  statedBill(model: string, generation: string, signal: AbortSignal): Promise<StatedBill> {
    const info = this.table.get(model);
    if (!info) return Promise.reject(new Error(`unknown model ${JSON.stringify(model)}; configured models: ${this.table.keys().join(', ') || '(none)'}`));
    return this.endpoint(info.endpointId).statedBill(generation, signal);
  }

  contextWindow(model: string): number | undefined {
    return this.table.get(model)?.contextWindow;
  }

  price(model: string): TokenPrice | undefined {
    return this.table.get(model)?.pricing;
  }
}
