/**
 * What "Add vLLM Server", "Add OpenRouter" and "Use an /embeddings Endpoint…" show of a server's models: the base URL a
 * user typed, normalised (and the part to select when it is typed again), one line per discovered model, and which
 * models look like embedding models. Free of `vscode`; the discovery itself is the LLM layer's `discoverModels`,
 * reached through the runtime.
 */
import { URL_CREDENTIALS_REFUSED } from '../../core/contracts/config';
import type { DiscoveredModel } from '../../llm/discovery';
import { formatUsd } from '../../presentation/format';

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

/** What is wrong with a typed server URL (an input box's validation message), or undefined when it can be used. */
export function urlProblem(typed: string): string | undefined {
  try {
    normaliseBaseUrl(typed);
    return undefined;
  } catch (err) {
    return `Not a valid URL: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** One Quick Pick line of detail: context length and price, when known. */
export function describeModel(m: DiscoveredModel): string {
  const parts: string[] = [];
  if (m.contextWindow !== undefined) parts.push(`${m.contextWindow >= 1000 ? `${Math.round(m.contextWindow / 1000)}k` : m.contextWindow} context`);
  if (m.pricing) {
    const { prompt, completion } = m.pricing;
    parts.push(prompt === 0 && completion === 0 ? 'free' : `${formatUsd(prompt * 1e6)} in / ${formatUsd(completion * 1e6)} out per 1M tokens`);
  }
  return parts.join(' · ');
}

/** Where the port of a typed server URL is (start, end), so a retry after an unreachable server can select it; undefined without one. */
export function portSelection(typed: string): [number, number] | undefined {
  const match = /^(?:[a-z]+:\/\/)?(?:\[[^\]]*\]|[^/:?#]*):(\d+)/i.exec(typed);
  const port = match?.[1];
  if (match === null || port === undefined) return undefined;
  const end = match.index + match[0].length;
  return [end - port.length, end];
}

/**
 * Name parts of the common embedding models: anything with "embed" (text-embedding-3-small, nomic-embed-text,
 * Qwen3-Embedding, mxbai-embed-large) and the families BAAI bge, intfloat e5, Alibaba gte, nomic, and the
 * sentence-transformers MiniLM and MPNet models, as words of the name (so "e5" does not match inside another word).
 */
const EMBEDDING_NAME = /embed|(^|[^a-z0-9])(bge|e5|gte|nomic|minilm|mpnet)([^a-z0-9]|$)/i;

/**
 * Whether a listed model looks like an embedding model, by its name or, on vLLM, the model path it was loaded from
 * (`root`: a served name such as "embedder" says nothing). `/models` has no field for what a model does (vLLM's model
 * card has id, root, parent, max_model_len and permissions), so the name is all there is to go by.
 */
export function looksLikeEmbeddingModel(model: DiscoveredModel): boolean {
  return EMBEDDING_NAME.test(model.id) || (model.root !== undefined && EMBEDDING_NAME.test(model.root));
}
