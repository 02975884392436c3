/**
 * The model table: model key (alias, or the id as served) → endpoint and model id, with the
 * context window and pricing learned from discovery. Keys are unique across all endpoints.
 */
import { ConfigError, type EndpointConfig, type ModelEntry } from '../core/contracts/config';
import type { TokenPrice } from '../core/contracts/types';
import type { DiscoveredModel } from './discovery';

export interface ModelInfo {
  /** Key used by the bank, the pipeline and the UI. */
  key: string;
  endpointId: string;
  /** Model id as the endpoint serves it. */
  modelId: string;
  contextWindow?: number;
  pricing?: TokenPrice;
}

/**
 * A team server's models that run the whole method (`smcs`, `smcs-quality`, `smcs-fast`, …; server/models.ts): as a
 * referencer or aggregator each call would be a whole ask on the server — asks nested in an ask. Its `smcs/<model>`
 * pass-through models are one upstream call each.
 */
export function isWholeMethodModel(id: string): boolean {
  return id === 'smcs' || /^smcs-[a-z]+$/.test(id);
}

/**
 * The models of one endpoint: its configured list (enriched with what discovery knows about each id),
 * or, when `models` is omitted, everything discovery found. Throws ConfigError when that is nothing. An endpoint marked
 * `teamServer` offers only its pass-through models: its whole-method ones are left out of discovery and refused in
 * `models`, so an ask never nests asks.
 */
export function endpointModels(endpoint: EndpointConfig, discovered: readonly DiscoveredModel[] | undefined): ModelInfo[] {
  if (endpoint.teamServer === true) {
    const nested = endpoint.models?.find((m) => isWholeMethodModel(m.id));
    if (nested) {
      throw new ConfigError(
        `endpoints[${endpoint.id}].models`,
        `names ${JSON.stringify(nested.id)}, the team server's whole method: each call of it would be a whole ask on the server, nested in this one. List its pass-through models (smcs/<model>) instead`,
      );
    }
    discovered = discovered?.filter((d) => !isWholeMethodModel(d.id));
  }
  const known = new Map((discovered ?? []).map((d) => [d.id, d]));
  // A price set in the config (USD per million tokens) wins over the one the endpoint publishes (USD per token).
  const info = (id: string, key: string, configured?: ModelEntry): ModelInfo => {
    const d = known.get(id);
    const pricing = configured?.price ? { prompt: configured.price.prompt / 1e6, completion: configured.price.completion / 1e6 } : d?.pricing;
    return {
      key,
      endpointId: endpoint.id,
      modelId: id,
      ...(d?.contextWindow !== undefined ? { contextWindow: d.contextWindow } : {}),
      ...(pricing ? { pricing } : {}),
    };
  };
  if (endpoint.models) return endpoint.models.map((m) => info(m.id, m.alias ?? m.id, m));
  if (!discovered || discovered.length === 0) {
    throw new ConfigError(
      `endpoints[${endpoint.id}].models`,
      `is omitted and GET ${endpoint.baseUrl}/models listed no models; list the model ids in "models"`,
    );
  }
  return discovered.map((d) => info(d.id, d.id));
}

/** All models in configured order (endpoint order, then model order), looked up by key. */
export class ModelTable {
  private readonly byKey = new Map<string, ModelInfo>();

  /** Throws ConfigError naming both places when two models share a key. */
  constructor(readonly models: readonly ModelInfo[]) {
    for (const m of models) {
      const other = this.byKey.get(m.key);
      if (other) {
        const place = (x: ModelInfo) => `endpoint ${x.endpointId} (model ${x.modelId})`;
        throw new ConfigError(
          `endpoints[${m.endpointId}].models`,
          `model key ${JSON.stringify(m.key)} is used by both ${place(other)} and ${place(m)}; give one of them an "alias"`,
        );
      }
      this.byKey.set(m.key, m);
    }
  }

  get(key: string): ModelInfo | undefined {
    return this.byKey.get(key);
  }

  /** Model keys in configured order. */
  keys(): string[] {
    return this.models.map((m) => m.key);
  }
}
