/**
 * Reads `GET {baseUrl}/models` entries: the model id, the context window (vLLM `max_model_len`,
 * OpenRouter `context_length` or `top_provider.context_length`), OpenRouter `pricing` (USD per token) and vLLM's
 * `root` (the model path behind a served name).
 */
import type { ErrorKind } from '../core/contracts/errors';
import { cleanMessage, registerSecret } from '../core/util/redact';
import type { TokenPrice } from '../core/contracts/types';
import { apiFetch, HTML_PAGE_MESSAGE, HtmlPageError } from './apiFetch';
import { errorBodyMessage } from './errorBody';

export interface DiscoveredModel {
  id: string;
  contextWindow?: number;
  /** USD per token. */
  pricing?: TokenPrice;
  /** vLLM's `root`: the model path the server loaded, when it differs from the served `id` (`--served-model-name`). */
  root?: string;
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
  if (typeof raw.root === 'string' && raw.root.trim() !== '' && raw.root !== raw.id) model.root = raw.root;
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

/** Parses a `/models` response body; throws when it is not an OpenAI-style model list. */
export function parseModelList(body: unknown): DiscoveredModel[] {
  if (!isObject(body) || !Array.isArray(body.data)) throw new Error('the /models response has no "data" list');
  return readModelList(body.data);
}

/** A discovery that failed: its kind, and a message naming the URL (credentials and keys redacted) and the status. */
export class DiscoveryError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
  ) {
    super(cleanMessage(message));
    this.name = 'DiscoveryError';
  }
}

/** Fetches and parses `GET {baseUrl}/models` (Add vLLM Server, Add OpenRouter). Errors carry a kind and never the key. */
export async function discoverModels(baseUrl: string, apiKey: string | undefined, signal: AbortSignal): Promise<DiscoveredModel[]> {
  const url = `${baseUrl.replace(/\/+$/, '')}/models`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (apiKey) {
    registerSecret(apiKey);
    headers.authorization = `Bearer ${apiKey}`;
  }
  let response: Response;
  try {
    response = await apiFetch(url, { headers, signal });
  } catch (err) {
    if (signal.aborted) throw new DiscoveryError(`GET ${url} was cancelled`, 'cancelled');
    if (err instanceof HtmlPageError) throw new DiscoveryError(`GET ${url}: ${HTML_PAGE_MESSAGE}`, 'protocol');
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new DiscoveryError(`GET ${url} failed${cause}`, 'connection');
  }
  if (!response.ok) {
    const kind = response.status === 401 || response.status === 403 ? 'auth' : response.status >= 500 ? 'server' : 'http';
    const said = errorBodyMessage(await response.json().catch(() => undefined));
    throw new DiscoveryError(`GET ${url} failed: HTTP ${response.status} ${said ?? response.statusText}`.trim(), kind, response.status);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new DiscoveryError(`GET ${url} did not return JSON`, 'protocol');
  }
  return parseModelList(body);
}
