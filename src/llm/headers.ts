/** Default request headers per provider, merged under the endpoint's configured headers. */
import type { EndpointConfig } from '../core/contracts/config';

/** OpenRouter app attribution (https://openrouter.ai/docs/app-attribution). */
export const OPENROUTER_ATTRIBUTION: Readonly<Record<string, string>> = Object.freeze({
  'HTTP-Referer': 'https://marketplace.visualstudio.com/items?itemName=smcs.smcs',
  'X-Title': 'SMCS for VS Code',
});

/** Headers sent on every request of an endpoint; configured headers override the defaults (case-insensitively). */
export function endpointHeaders(endpoint: EndpointConfig): Record<string, string> {
  const defaults = endpoint.provider === 'openrouter' ? OPENROUTER_ATTRIBUTION : {};
  const configured = new Set(Object.keys(endpoint.headers).map((k) => k.toLowerCase()));
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries(defaults)) if (!configured.has(k.toLowerCase())) merged[k] = v;
  return { ...merged, ...endpoint.headers };
}
