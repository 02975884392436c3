/**
 * Reads `GET {baseUrl}/models` entries: the model id, the context window (vLLM `max_model_len`,
 * OpenRouter `context_length` or `top_provider.context_length`) and OpenRouter `pricing` (USD per token).
 */

/** USD per token. */
export interface ModelPricing {
  prompt: number;
  completion: number;
}

export interface DiscoveredModel {
  id: string;
  contextWindow?: number;
  pricing?: ModelPricing;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function positiveInt(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

function price(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Parses one `/models` entry; undefined when it has no string id. Unknown or negative prices (OpenRouter's `-1`) are left out. */
export function readModelEntry(raw: unknown): DiscoveredModel | undefined {
  if (!isObject(raw) || typeof raw.id !== 'string' || raw.id.trim() === '') return undefined;
  const model: DiscoveredModel = { id: raw.id };
  const topProvider = isObject(raw.top_provider) ? raw.top_provider : {};
  const contextWindow = positiveInt(raw.max_model_len) ?? positiveInt(raw.context_length) ?? positiveInt(topProvider.context_length);
  if (contextWindow !== undefined) model.contextWindow = contextWindow;
  if (isObject(raw.pricing)) {
    const prompt = price(raw.pricing.prompt);
    const completion = price(raw.pricing.completion);
    if (prompt !== undefined && completion !== undefined) model.pricing = { prompt, completion };
  }
  return model;
}

/** Parses a whole `/models` listing, skipping entries without an id. */
export function readModelList(entries: readonly unknown[]): DiscoveredModel[] {
  return entries.map(readModelEntry).filter((m): m is DiscoveredModel => m !== undefined);
}
