/**
 * What "Add vLLM Server" and "Add OpenRouter" show of a server's models: the base URL a user typed, normalised,
 * and one line per discovered model. Free of `vscode`; the discovery itself is the LLM layer's `discoverModels`,
 * reached through the runtime.
 */
import { URL_CREDENTIALS_REFUSED } from '../core/config';
import type { DiscoveredModel } from '../llm/discovery';

/** Normalises a user-typed server URL to an OpenAI-compatible base URL ending in `/v1`. */
export function normaliseBaseUrl(input: string): string {
  const trimmed = input.trim();
  const url = new URL(/^[a-z]+:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`must be an http(s) URL, got ${url.protocol}`);
  if (url.username !== '' || url.password !== '') throw new Error(URL_CREDENTIALS_REFUSED);
  let path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith('/models')) path = path.slice(0, -'/models'.length);
  if (!/\/v\d+$/.test(path)) path = `${path}/v1`;
  url.pathname = path;
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
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
