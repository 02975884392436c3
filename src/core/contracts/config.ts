/**
 * The SMCS configuration (docs/settings.md): the CLI config file, and the VS Code settings without the `smcs.` prefix.
 * `parseConfig` validates an untrusted object; every error names the field (and endpoint) at fault.
 */
import { DEFAULT_PARAMS, PRESETS, type PresetName, type SmcsParams } from './types';
import { ROUTING_MODES, type RoutingMode } from './routingReport';
import type { ErrorKind } from './errors';
import { cleanMessage } from '../util/redact';
import { BankLocationError, isTeamBankUrl, parseTeamBankUrl } from './bankLocation';

export type Provider = 'vllm' | 'openrouter' | 'openai';
export const PROVIDERS: readonly Provider[] = ['vllm', 'openrouter', 'openai'];

export interface ModelEntry {
  /** Model id as the endpoint serves it. */
  id: string;
  /** Key used in the bank and the UI; defaults to the id. */
  alias?: string;
  /** Price in USD per million tokens, when the endpoint publishes none (a local vLLM has no price). */
  price?: ModelPrice;
}

/** USD per million tokens (the unit providers quote). */
export interface ModelPrice {
  prompt: number;
  completion: number;
}

export interface EndpointConfig {
  id: string;
  provider: Provider;
  baseUrl: string;
  /** Omitted = discover from `GET {baseUrl}/models`. */
  models?: ModelEntry[];
  /** Name of the environment variable holding the key (never the key itself). */
  apiKeyEnv?: string;
  headers: Record<string, string>;
  maxConcurrency: number;
  /** Longest wait for the answer to start and for each next piece of a stream (an inactivity timeout). */
  timeoutMs: number;
  /** Longest one call may take in all, retries included (default DEFAULT_MAX_CALL_MS): a stream that never ends, ends. */
  maxCallMs?: number;
  /** Most bytes of a reply that is not a stream (default 32 MB); a bigger one is refused, not read. */
  maxReplyBytes?: number;
  /**
   * How long this upstream is taken to go on writing a reply after SMCS stopped reading it and closed its connection (a
   * call cut mid-reply): its estimate counts that much more at the pace the reply streamed, never past `max_tokens`.
   * Default DEFAULT_CUT_TAIL_MS, 0 for `vllm` (its server stops a request when the connection closes).
   */
  cutTailMs?: number;
  /** The endpoint is a team SMCS server (`smcs serve --team`): the editor shows the spend of its key (`GET {baseUrl}/smcs/usage`). */
  teamServer?: boolean;
}

/**
 * The endpoint that is a team SMCS server, if any: an engine with one runs its asks there (engine/serverEngine), and
 * its limits — the cost limit, the rate of a member's key — are the server's, not the member's config's.
 */
export const teamServerOf = (endpoints: readonly EndpointConfig[]): EndpointConfig | undefined => endpoints.find((e) => e.teamServer === true);

/**
 * Two seconds: what an upstream that is not known to stop at once is taken to write after its connection was closed —
 * the close travelling through its proxies and its generation loop noticing it. An assumption, stated as one.
 */
export const DEFAULT_CUT_TAIL_MS = 2_000;

/** Ten minutes: far beyond any honest reply of a few thousand tokens, short enough that nothing hangs for good. */
export const DEFAULT_MAX_CALL_MS = 600_000;

export type EmbeddingProvider = 'transformers' | 'endpoint' | 'lexical';

export interface EmbeddingConfig {
  provider: EmbeddingProvider;
  /** Model name (transformers.js model id, or the endpoint's embedding model). */
  model?: string;
  /** Endpoint id, for provider `endpoint`. */
  endpoint?: string;
  /** Folder with local transformers.js models; when set, nothing is downloaded. */
  localModelPath?: string;
  /** Price of an endpoint's embedding model in USD per million tokens, when the endpoint publishes none. */
  price?: number;
}

export interface SmcsConfig extends SmcsParams {
  endpoints: EndpointConfig[];
  aggregator: string;
  embedding: EmbeddingConfig;
  /** A bank folder, or a team bank's postgres:// URL (never with a password). */
  bank?: string;
  /** Who the bank's attribution names for this user's labels and choices; default the OS user. */
  userName?: string;
  preset?: PresetName;
  /** Output budget of each profiling request (reasoning models need room to finish). */
  profileMaxTokens: number;
  /**
   * USD a question may cost: the chosen models' expected cost must fit (a hard limit on the set), and the CLI refuses
   * (the panel asks first) when the estimate before sending is above it; null = off.
   */
  maxCostPerQuestion: number | null;
  /** How referencers (and the `auto` aggregator) are chosen: by prior (`quality`), or by accuracy − costWeight × cost. */
  routing: RoutingMode;
  /** The weight of cost in 1/USD; null = the routing mode's (core/routing/objective MODE_COST_WEIGHTS). */
  costWeight: number | null;
  /** Fewer aggregations when the referencers agree; null = the routing mode's (on in balanced and budget). */
  agreementShortcut: boolean | null;
  /** When a code question has no examples, the aggregator writes a few tests the replies are run on. */
  modelWrittenTests: boolean;
  /**
   * How far RPS pulls a model's share right on the similar questions toward its share on the whole bank, as a number
   * of questions (core/routing/shrinkage): `auto` = chosen from the bank, 0 = the paper's priors exactly.
   */
  priorShrinkage: PriorShrinkageSetting;
}

export type PriorShrinkageSetting = 'auto' | number;

/** The largest `priorShrinkage` accepted: far beyond any support set, so the bank-wide share alone decides. */
export const MAX_PRIOR_SHRINKAGE = 1_000_000;

/** Default output budget of a profiling request. */
export const DEFAULT_PROFILE_MAX_TOKENS = 4096;

/** The keys each object of the config may have; anything else is refused with a "did you mean". */
const ROOT_KEYS = [
  'endpoints', 'aggregator', 'embedding', 'bank', 'preset', 'k', 'nBase', 'gamma', 'kDrop', 'n', 'lambda',
  'temperature', 'maxTokens', 'presencePenalty', 'seed', 'stragglerFactor', 'profileMaxTokens', 'maxCostPerQuestion', 'userName',
  'routing', 'costWeight', 'agreementShortcut', 'modelWrittenTests', 'priorShrinkage',
] as const;
/**
 * Why a base URL with `user:password@` is refused: fetch cannot send credentials in a URL, so every request would fail;
 * the key belongs in SecretStorage or an environment variable.
 */
export const URL_CREDENTIALS_REFUSED =
  'carries credentials (user:password@host), which cannot be sent in a URL: remove them and give the key with "SMCS: Set API Key" or apiKeyEnv';

const ENDPOINT_KEYS = ['id', 'provider', 'baseUrl', 'models', 'apiKeyEnv', 'headers', 'maxConcurrency', 'timeoutMs', 'maxCallMs', 'maxReplyBytes', 'cutTailMs', 'teamServer'] as const;
const MODEL_KEYS = ['id', 'alias', 'price'] as const;
const PRICE_KEYS = ['prompt', 'completion'] as const;
const EMBEDDING_KEYS = ['provider', 'model', 'endpoint', 'localModelPath', 'price'] as const;

/** Edit distance between two keys (insertions, deletions, substitutions, adjacent swaps), for "did you mean". */
function editDistance(a: string, b: string): number {
  // Indices are bounded by the table's size (a.length + 1 rows of b.length + 1).
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      const prev = d[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The known key closest to `key` (case-insensitively), when it is close enough to be a typo. */
function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const distance = editDistance(key.toLowerCase(), k.toLowerCase());
    if (distance < bestDistance) {
      best = k;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Top-level keys of earlier versions, and what took their place. */
const REPLACED: Readonly<Record<string, string>> = {
  stragglerMs: 'stragglerFactor: the late referencers get that many times what the first K − Kdrop replies took (at least 2 s); 0 waits for all',
};

/** Refuses keys of `raw` that are not in `known`, naming the first one and the key it probably meant. */
function refuseUnknownKeys(raw: Json, known: readonly string[], where: string): void {
  for (const key of Object.keys(raw)) {
    if (known.includes(key)) continue;
    if (where === '' && Object.hasOwn(REPLACED, key)) throw new ConfigError(key, `was replaced by ${REPLACED[key]}`);
    const guess = closestKey(key, known);
    const field = where === '' ? key : `${where}.${key}`;
    throw new ConfigError(field, `is not a known setting${guess ? `: did you mean "${guess}"?` : ` (known: ${known.join(', ')})`}`);
  }
}

export class ConfigError extends Error {
  readonly kind = 'config' satisfies ErrorKind;

  constructor(
    /** Dotted path of the offending field, e.g. `endpoints[local].baseUrl`. */
    readonly field: string,
    /** What is wrong with it (the message without the field). */
    readonly detail: string,
  ) {
    // A base URL in the message may carry credentials (`http://user:pass@host`).
    super(cleanMessage(`${field}: ${detail}`));
    this.name = 'ConfigError';
  }
}

export const DEFAULT_EMBEDDING: Readonly<EmbeddingConfig> = Object.freeze({ provider: 'transformers' });

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Each pipeline parameter's bounds: least, most, whole numbers only. */
const PARAM_BOUNDS: Readonly<Record<keyof SmcsParams, readonly [number, number, boolean]>> = {
  k: [1, 64, true],
  nBase: [1, 1_000_000, true],
  gamma: [0, 1, false],
  kDrop: [0, 63, true],
  n: [1, 64, true],
  lambda: [0, 100, false],
  temperature: [0, 2, false],
  maxTokens: [1, 1_000_000, true],
  presencePenalty: [-2, 2, false],
  seed: [0, 2 ** 32 - 1, true],
  stragglerFactor: [0, 100, false],
};

/**
 * Pipeline parameters an ask sets over the config's (a preset chosen in the panel, sent to a team server), each within
 * the config's bounds; a ConfigError names a key that is not a parameter or a value out of bounds.
 */
export function parseParamsOverride(raw: unknown): Partial<SmcsParams> {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw new ConfigError('params', 'must be an object of pipeline parameters');
  refuseUnknownKeys(raw, Object.keys(PARAM_BOUNDS), 'params');
  const out: Partial<SmcsParams> = {};
  for (const key of Object.keys(raw) as (keyof SmcsParams)[]) out[key] = paramField(raw, key, 0);
  return out;
}

function paramField(src: Json, key: keyof SmcsParams, fallback: number): number {
  return numberField(src, key, fallback, ...PARAM_BOUNDS[key]);
}

function numberField(src: Json, key: keyof SmcsParams, fallback: number, min: number, max: number, integer: boolean): number {
  const v = src[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(key, `must be a number, got ${JSON.stringify(v)}`);
  if (integer && !Number.isInteger(v)) throw new ConfigError(key, `must be a whole number, got ${v}`);
  if (v < min || v > max) throw new ConfigError(key, `must be between ${min} and ${max}, got ${v}`);
  return v;
}

function stringField(src: Json, key: string, field: string): string | undefined {
  const v = src[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(field, 'must be a non-empty string');
  return v;
}

function parseModels(raw: unknown, where: string): ModelEntry[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) throw new ConfigError(`${where}.models`, 'must be a list of model ids or {"id","alias"} objects');
  if (raw.length === 0) throw new ConfigError(`${where}.models`, 'lists no models (omit it to discover them from /models)');
  return raw.map((m, i) => {
    if (typeof m === 'string' && m.trim() !== '') return { id: m };
    if (isObject(m) && typeof m.id === 'string' && m.id.trim() !== '') {
      refuseUnknownKeys(m, MODEL_KEYS, `${where}.models[${i}]`);
      if (m.alias !== undefined && (typeof m.alias !== 'string' || m.alias.trim() === '')) {
        throw new ConfigError(`${where}.models[${i}].alias`, 'must be a non-empty string');
      }
      const entry: ModelEntry = { id: m.id };
      if (typeof m.alias === 'string') entry.alias = m.alias;
      if (m.price !== undefined) entry.price = parsePrice(m.price, `${where}.models[${i}].price`);
      return entry;
    }
    throw new ConfigError(`${where}.models[${i}]`, 'must be a model id or an object with a string "id"');
  });
}

function parsePrice(raw: unknown, field: string): ModelPrice {
  if (!isObject(raw)) throw new ConfigError(field, 'must be {"prompt": USD per million tokens, "completion": USD per million tokens}');
  refuseUnknownKeys(raw, PRICE_KEYS, field);
  const read = (key: 'prompt' | 'completion'): number => {
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`${field}.${key}`, `must be a number of USD per million tokens ≥ 0, got ${JSON.stringify(v)}`);
    return v;
  };
  return { prompt: read('prompt'), completion: read('completion') };
}

function parseEndpoint(raw: unknown, index: number): EndpointConfig {
  if (!isObject(raw)) throw new ConfigError(`endpoints[${index}]`, 'must be an object');
  const id = stringField(raw, 'id', `endpoints[${index}].id`);
  if (id === undefined) throw new ConfigError(`endpoints[${index}].id`, 'is required');
  const where = `endpoints[${id}]`;
  if ('apiKey' in raw) {
    throw new ConfigError(`${where}.apiKey`, 'an API key never goes in the config: set "apiKeyEnv" to the name of an environment variable (or use SMCS: Set API Key in VS Code)');
  }
  refuseUnknownKeys(raw, ENDPOINT_KEYS, where);
  const provider = raw.provider ?? 'openai';
  if (typeof provider !== 'string' || !PROVIDERS.includes(provider as Provider)) {
    throw new ConfigError(`${where}.provider`, `must be one of ${PROVIDERS.join(', ')}, got ${JSON.stringify(provider)}`);
  }
  const baseUrl = stringField(raw, 'baseUrl', `${where}.baseUrl`);
  if (baseUrl === undefined) throw new ConfigError(`${where}.baseUrl`, 'is required (for example http://127.0.0.1:8000/v1)');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(`${where}.baseUrl`, `is not a valid URL: ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${where}.baseUrl`, `must be an http(s) URL, got ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') throw new ConfigError(`${where}.baseUrl`, URL_CREDENTIALS_REFUSED);
  const apiKeyEnv = stringField(raw, 'apiKeyEnv', `${where}.apiKeyEnv`);
  const headersRaw = raw.headers ?? {};
  if (!isObject(headersRaw) || !Object.values(headersRaw).every((v) => typeof v === 'string')) {
    throw new ConfigError(`${where}.headers`, 'must be an object of string values');
  }
  const maxConcurrency = raw.maxConcurrency ?? 8;
  if (typeof maxConcurrency !== 'number' || !Number.isInteger(maxConcurrency) || maxConcurrency < 1 || maxConcurrency > 256) {
    throw new ConfigError(`${where}.maxConcurrency`, 'must be a whole number from 1 to 256');
  }
  const timeoutMs = raw.timeoutMs ?? 120000;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 1000) {
    throw new ConfigError(`${where}.timeoutMs`, 'must be a number of milliseconds, at least 1000');
  }
  const maxCallMs = raw.maxCallMs;
  if (maxCallMs !== undefined && (typeof maxCallMs !== 'number' || !Number.isFinite(maxCallMs) || maxCallMs < 1000)) {
    throw new ConfigError(`${where}.maxCallMs`, 'must be a number of milliseconds, at least 1000');
  }
  const maxReplyBytes = raw.maxReplyBytes;
  if (maxReplyBytes !== undefined && (typeof maxReplyBytes !== 'number' || !Number.isInteger(maxReplyBytes) || maxReplyBytes < 1024)) {
    throw new ConfigError(`${where}.maxReplyBytes`, 'must be a whole number of bytes, at least 1024');
  }
  const cutTailMs = raw.cutTailMs;
  if (cutTailMs !== undefined && (typeof cutTailMs !== 'number' || !Number.isFinite(cutTailMs) || cutTailMs < 0 || cutTailMs > 600_000)) {
    throw new ConfigError(`${where}.cutTailMs`, 'must be a number of milliseconds from 0 to 600000');
  }
  if (raw.teamServer !== undefined && typeof raw.teamServer !== 'boolean') throw new ConfigError(`${where}.teamServer`, 'must be true or false');
  const endpoint: EndpointConfig = {
    id,
    provider: provider as Provider,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: headersRaw as Record<string, string>,
    maxConcurrency,
    timeoutMs,
    ...(maxCallMs !== undefined ? { maxCallMs } : {}),
    ...(maxReplyBytes !== undefined ? { maxReplyBytes } : {}),
    ...(cutTailMs !== undefined ? { cutTailMs } : {}),
    ...(raw.teamServer === true ? { teamServer: true } : {}),
  };
  const models = parseModels(raw.models, where);
  if (models) endpoint.models = models;
  if (apiKeyEnv) endpoint.apiKeyEnv = apiKeyEnv;
  return endpoint;
}

function parseEmbedding(raw: unknown, endpointIds: ReadonlySet<string>): EmbeddingConfig {
  if (raw === undefined) return { ...DEFAULT_EMBEDDING };
  if (!isObject(raw)) throw new ConfigError('embedding', 'must be an object');
  refuseUnknownKeys(raw, EMBEDDING_KEYS, 'embedding');
  const provider = raw.provider ?? 'transformers';
  if (provider !== 'transformers' && provider !== 'endpoint' && provider !== 'lexical') {
    throw new ConfigError('embedding.provider', `must be transformers, endpoint or lexical, got ${JSON.stringify(provider)}`);
  }
  const result: EmbeddingConfig = { provider };
  const model = stringField(raw, 'model', 'embedding.model');
  if (model) result.model = model;
  const localModelPath = stringField(raw, 'localModelPath', 'embedding.localModelPath');
  if (localModelPath) result.localModelPath = localModelPath;
  const endpoint = stringField(raw, 'endpoint', 'embedding.endpoint');
  if (provider === 'endpoint') {
    if (!endpoint) throw new ConfigError('embedding.endpoint', 'is required when embedding.provider is "endpoint"');
    if (!endpointIds.has(endpoint)) throw new ConfigError('embedding.endpoint', `names no configured endpoint: ${JSON.stringify(endpoint)}`);
    if (!model) throw new ConfigError('embedding.model', 'is required when embedding.provider is "endpoint"');
  }
  if (endpoint) result.endpoint = endpoint;
  if (raw.price !== undefined && raw.price !== null) {
    if (typeof raw.price !== 'number' || !Number.isFinite(raw.price) || raw.price < 0) {
      throw new ConfigError('embedding.price', `must be a number of USD per million tokens ≥ 0, got ${JSON.stringify(raw.price)}`);
    }
    result.price = raw.price;
  }
  return result;
}

function positiveInteger(src: Json, key: string, fallback: number, max: number): number {
  const v = src[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) throw new ConfigError(key, `must be a whole number from 1 to ${max}, got ${JSON.stringify(v)}`);
  return v;
}

function maxCost(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ConfigError('maxCostPerQuestion', `must be null (off) or an amount of USD above 0, got ${JSON.stringify(v)}`);
  return v;
}

/** The routing mode, cost weight and agreement shortcut (null = the mode's). */
function routingFields(raw: Json): Pick<SmcsConfig, 'routing' | 'costWeight' | 'agreementShortcut'> {
  const routing = raw.routing ?? 'quality';
  if (typeof routing !== 'string' || !(ROUTING_MODES as readonly string[]).includes(routing)) {
    throw new ConfigError('routing', `must be one of ${ROUTING_MODES.join(', ')}, got ${JSON.stringify(routing)}`);
  }
  const costWeight = raw.costWeight ?? null;
  if (costWeight !== null && (typeof costWeight !== 'number' || !Number.isFinite(costWeight) || costWeight < 0 || costWeight > 1_000_000)) {
    throw new ConfigError('costWeight', `must be null (the routing mode's) or a number from 0 to 1000000 (per USD), got ${JSON.stringify(costWeight)}`);
  }
  const shortcut = raw.agreementShortcut ?? null;
  if (shortcut !== null && typeof shortcut !== 'boolean') throw new ConfigError('agreementShortcut', `must be null (the routing mode's), true or false, got ${JSON.stringify(shortcut)}`);
  return { routing: routing as RoutingMode, costWeight, agreementShortcut: shortcut };
}

/** `priorShrinkage`: "auto" (the default) or a number of questions from 0 to MAX_PRIOR_SHRINKAGE. */
function priorShrinkage(v: unknown): PriorShrinkageSetting {
  if (v === undefined || v === 'auto') return 'auto';
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_PRIOR_SHRINKAGE) {
    throw new ConfigError('priorShrinkage', `must be "auto" (chosen from the bank) or a number of questions from 0 (the paper's priors) to ${MAX_PRIOR_SHRINKAGE}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** A true/false setting: `fallback` when absent, refused naming the key when not a boolean. */
function booleanField(src: Json, key: string, fallback: boolean): boolean {
  const v = src[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ConfigError(key, `must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

/** Validates an untrusted config object and fills defaults. Throws ConfigError naming the field. */
export function parseConfig(raw: unknown): SmcsConfig {
  if (!isObject(raw)) throw new ConfigError('(root)', 'the config must be a JSON object');
  refuseUnknownKeys(raw, ROOT_KEYS, '');
  const preset = raw.preset;
  if (preset !== undefined && (typeof preset !== 'string' || !(preset in PRESETS))) {
    throw new ConfigError('preset', `must be one of ${Object.keys(PRESETS).join(', ')}, got ${JSON.stringify(preset)}`);
  }
  const base: SmcsParams = { ...DEFAULT_PARAMS, ...(preset ? PRESETS[preset as PresetName] : {}) };
  const endpointsRaw = raw.endpoints ?? [];
  if (!Array.isArray(endpointsRaw)) throw new ConfigError('endpoints', 'must be a list of endpoint objects');
  const endpoints = endpointsRaw.map(parseEndpoint);
  const seen = new Set<string>();
  for (const e of endpoints) {
    if (seen.has(e.id)) throw new ConfigError(`endpoints[${e.id}].id`, `duplicate endpoint id ${JSON.stringify(e.id)}`);
    seen.add(e.id);
  }
  const aggregator = raw.aggregator ?? 'auto';
  if (typeof aggregator !== 'string' || aggregator.trim() === '') throw new ConfigError('aggregator', 'must be "auto" or a model key');
  const config: SmcsConfig = {
    endpoints,
    aggregator,
    embedding: parseEmbedding(raw.embedding, seen),
    k: paramField(raw, 'k', base.k),
    nBase: paramField(raw, 'nBase', base.nBase),
    gamma: paramField(raw, 'gamma', base.gamma),
    kDrop: paramField(raw, 'kDrop', base.kDrop),
    n: paramField(raw, 'n', base.n),
    lambda: paramField(raw, 'lambda', base.lambda),
    temperature: paramField(raw, 'temperature', base.temperature),
    maxTokens: paramField(raw, 'maxTokens', base.maxTokens),
    presencePenalty: paramField(raw, 'presencePenalty', base.presencePenalty),
    seed: paramField(raw, 'seed', base.seed),
    stragglerFactor: paramField(raw, 'stragglerFactor', base.stragglerFactor),
    profileMaxTokens: positiveInteger(raw, 'profileMaxTokens', DEFAULT_PROFILE_MAX_TOKENS, 1_000_000),
    maxCostPerQuestion: maxCost(raw.maxCostPerQuestion),
    ...routingFields(raw),
    modelWrittenTests: booleanField(raw, 'modelWrittenTests', true),
    priorShrinkage: priorShrinkage(raw.priorShrinkage),
  };
  // The default drop shrinks with a small k (k = 1 keeps its one reference); an explicit kDrop must leave one.
  if (raw.kDrop === undefined) config.kDrop = Math.min(config.kDrop, config.k - 1);
  else if (config.kDrop >= config.k) {
    throw new ConfigError('kDrop', `must be less than k (${config.k}), got ${config.kDrop}: each subset keeps k − kDrop references, so at least one must stay`);
  }
  const bank = stringField(raw, 'bank', 'bank');
  if (bank && isTeamBankUrl(bank)) {
    try {
      parseTeamBankUrl(bank);
    } catch (err) {
      if (err instanceof BankLocationError) throw new ConfigError('bank', err.detail);
      throw err;
    }
  }
  if (bank) config.bank = bank;
  const userName = stringField(raw, 'userName', 'userName');
  if (userName) config.userName = userName.trim();
  if (preset) config.preset = preset as PresetName;
  return config;
}
