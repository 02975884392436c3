/**
 * Discovers the models an OpenAI-compatible endpoint serves (`GET {baseUrl}/models`), with the
 * context length and price that vLLM and OpenRouter publish. Used by "Add vLLM Server" and
 * "Add OpenRouter". Free of `vscode`; parsing is the LLM layer's `readModelList`.
 */
import { readModelList, type DiscoveredModel } from '../llm/discovery';

export type { DiscoveredModel };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a `/models` response body; throws when it is not an OpenAI-style model list. */
export function parseModelList(body: unknown): DiscoveredModel[] {
  if (!isObject(body) || !Array.isArray(body.data)) throw new Error('the /models response has no "data" list');
  return readModelList(body.data);
}


/** Normalises a user-typed server URL to an OpenAI-compatible base URL ending in `/v1`. */
export function normaliseBaseUrl(input: string): string {
  const trimmed = input.trim();
  const url = new URL(/^[a-z]+:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`must be an http(s) URL, got ${url.protocol}`);
  let path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith('/models')) path = path.slice(0, -'/models'.length);
  if (!/\/v\d+$/.test(path)) path = `${path}/v1`;
  url.pathname = path;
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** Fetches and parses `GET {baseUrl}/models`. Errors name the URL and the HTTP status, never the key. */
export async function discoverModels(baseUrl: string, apiKey: string | undefined, signal: AbortSignal): Promise<DiscoveredModel[]> {
  const url = `${baseUrl.replace(/\/+$/, '')}/models`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal });
  } catch (err) {
    if (signal.aborted) throw new Error(`GET ${url} was cancelled`);
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new Error(`GET ${url} failed${cause}`);
  }
  if (!response.ok) throw new Error(`GET ${url} failed: HTTP ${response.status} ${response.statusText}`.trim());
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new Error(`GET ${url} did not return JSON`);
  }
  return parseModelList(body);
}

/** One Quick Pick line of detail: context length and price, when known. */
export function describeModel(m: DiscoveredModel): string {
  const parts: string[] = [];
  if (m.contextWindow !== undefined) parts.push(`${m.contextWindow >= 1000 ? `${Math.round(m.contextWindow / 1000)}k` : m.contextWindow} context`);
  if (m.pricing) {
    const { prompt, completion } = m.pricing;
    parts.push(prompt === 0 && completion === 0 ? 'free' : `$${fmt(prompt * 1e6)} in / $${fmt(completion * 1e6)} out per 1M tokens`);
  }
  return parts.join(' · ');
}

const fmt = (n: number): string => (n >= 10 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toPrecision(2));
