/**
 * The engine's parameters, records and ports: what an ask is run with (SmcsParams, presets), what the bank holds
 * (BankRecord), and the interfaces src/embed and src/llm implement (Embedder, LlmGateway), with the calls they report.
 */

/** Hyper-parameters of one run (paper §3; defaults from its appendix A.3). */
export interface SmcsParams {
  /** Number of referencer models. */
  k: number;
  /** Rank whose similarity sets the support threshold. */
  nBase: number;
  /** Threshold factor: t = gamma * s_(nBase). */
  gamma: number;
  /** References dropped from each subset. */
  kDrop: number;
  /** Number of aggregation subsets / candidates. */
  n: number;
  /** Weight of the (1 - perplexity) term of the hybrid score. */
  lambda: number;
  temperature: number;
  maxTokens: number;
  presencePenalty: number;
  /** Seed of the PRNG that draws subsets. */
  seed: number;
  /**
   * The straggler deadline: once K − Kdrop references are in, the others get this many times the time taken so far
   * (at least STRAGGLER_MIN_MS) before they are left out as late; 0 waits for every referencer, as the paper does.
   */
  stragglerFactor: number;
}

/** The least extra time a straggler gets, however quickly the others answered. */
export const STRAGGLER_MIN_MS = 2000;

export const DEFAULT_PARAMS: Readonly<SmcsParams> = Object.freeze({
  k: 7,
  nBase: 400,
  gamma: 0.95,
  kDrop: 1,
  n: 8,
  lambda: 1.0,
  temperature: 0.7,
  maxTokens: 8192,
  presencePenalty: 1.05,
  seed: 0,
  stragglerFactor: 1,
});

export type PresetName = 'quality' | 'balanced' | 'fast';

/** Accuracy/cost trade-offs (paper Tables 11–12). */
export const PRESETS: Readonly<Record<PresetName, Readonly<Pick<SmcsParams, 'k' | 'n'>>>> = Object.freeze({
  quality: { k: DEFAULT_PARAMS.k, n: DEFAULT_PARAMS.n },
  balanced: { k: 4, n: 4 },
  fast: { k: 3, n: 1 },
});

export type GraderKind = 'choice' | 'number' | 'exact' | 'code' | 'none';

/** Where a bank question came from. */
export type RecordSource = 'import' | 'starter' | 'profile' | 'feedback';

/** One line of the bank interchange JSONL. Only id and question are required, so any benchmark's questions import. */
export interface BankRecord {
  id: string;
  question: string;
  answer?: string;
  grader?: GraderKind;
  domain?: string;
  /** Correctness per model key: 1 right, 0 wrong. */
  correct?: Record<string, 0 | 1>;
  embedding?: number[];
  fold?: number;
  source?: RecordSource;
  /** Tokens of the reply each model's label came from; `estimated` when counted from the reply's length. */
  tokens?: Record<string, RecordedTokens>;
}

/** The tokens of one recorded reply: what was sent, what the model wrote, and whether they were counted or estimated. */
export interface RecordedTokens {
  prompt: number;
  completion: number;
  /** True when no server reported them: an estimate from the texts' length (core/util/tokens). */
  estimated?: boolean;
}

/** An embedding model. Vectors are L2-normalised. Loading is lazy. */
export interface Embedder {
  /** Stable identity of the embedding space, e.g. `transformers:Xenova/all-MiniLM-L6-v2`. Two embedders with equal ids produce comparable vectors. */
  readonly id: string;
  /** Vector length; may load the model (or ask the endpoint) to find out, stopping when `signal` aborts. */
  dimension(signal?: AbortSignal): Promise<number>;
  /**
   * Embeds a batch; one unit-length vector per text, in order. An embedder that calls a priced service reports
   * each call to `onCall` (local embedders cost nothing and report none).
   */
  embed(texts: readonly string[], signal?: AbortSignal, onCall?: (call: CallRecord) => void): Promise<Float32Array[]>;
  /**
   * A local model: whether it loads now without asking the user anything or downloading (its files are on disk, or it
   * is loaded). Absent for embedders that load no model.
   */
  loadsUnasked?(): boolean;
  /**
   * A local model whose download the user declined: its next load asks again. Called when the user starts anew what
   * needs the model (a question, an import, profiling); a decline otherwise holds for the embedder's life. Absent for
   * embedders that ask nothing.
   */
  askAgain?(): void;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** USD per token (OpenRouter's `/models` unit). */
export interface TokenPrice {
  prompt: number;
  completion: number;
}

export interface ChatRequest {
  /** Model key (model id as served, or its alias). */
  model: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  presencePenalty: number;
  /** Ask for token log-probs. */
  logprobs: boolean;
  /** The stage of an ask this call serves (a gateway in front of the models reads it as `metadata.smcs_stage`); none for profiling. */
  stage?: Exclude<CallStage, 'embedding'>;
}

/**
 * What a call reports while it runs: a streamed piece of answer text or of reasoning (kept apart from the answer),
 * or a wait before the next attempt (`ms` long, e.g. a server's `Retry-After`; the caller's signal cancels it).
 */
export type ChatDelta = TextDelta | { kind: 'wait'; ms: number; reason: string };

/** A streamed piece of answer text or of reasoning. */
export interface TextDelta {
  kind: 'text' | 'reasoning';
  text: string;
}

/**
 * Why SMCS stopped reading a reply and kept what had arrived: the server went on far past `maxTokens` (llm/limits
 * `outputCeiling`), or the call's total time limit (the endpoint's `maxCallMs`) ran out while its answer streamed.
 */
export interface OutputStop {
  limit: 'maxTokens' | 'maxCallMs';
  /** Estimated tokens that had arrived, all kept in `text` and `reasoning`. */
  tokens: number;
  /** How long the call had run. */
  ms: number;
}

export interface ChatResult {
  /** The answer, with any reasoning removed. */
  text: string;
  /** Reasoning (`reasoning_content` or `<think>` blocks), never passed to the aggregator. */
  reasoning: string;
  /** Log-probs of the generated answer tokens; null when the provider did not return them (never zeros). */
  tokenLogprobs: number[] | null;
  usage: TokenUsage;
  /** The server reported no usage: `usage` is an estimate (core/util/tokens). */
  usageEstimated: boolean;
  latencyMs: number;
  finishReason: string | null;
  /** Set when SMCS stopped reading the reply and kept what had arrived (finishReason is then `length` for `maxTokens`). */
  stopped?: OutputStop;
  /** Cost in USD when the model's price is known. */
  costUsd?: number;
  /** The upstream's id of this reply, when the upstream states what it billed for a reply by its id (see CallRecord). */
  generation?: string;
}

/** What the pipeline needs from the LLM layer. */
export interface LlmGateway {
  chat(request: ChatRequest, onDelta: (delta: ChatDelta) => void, signal: AbortSignal): Promise<ChatResult>;
  /** Context window of a model in tokens, when known. */
  contextWindow(model: string): number | undefined;
  /** Price of a model, when known (published by the endpoint, or set in the config). */
  price(model: string): TokenPrice | undefined;
}

/** Supplies API keys by endpoint id (VS Code SecretStorage, or environment variables in the CLI). */
export interface SecretProvider {
  apiKey(endpointId: string): Promise<string | undefined>;
}

/** Asked once before the embedding model is downloaded; false = do not download. */
export type DownloadConsent = (modelId: string) => Promise<boolean>;

export interface DownloadProgress {
  file: string;
  /** 0–100, when the size is known. */
  percent?: number;
  loadedBytes?: number;
  totalBytes?: number;
}

export type CallStage = 'referencer' | 'aggregation' | 'tests' | 'embedding';

export interface CallRecord {
  stage: CallStage;
  model: string;
  tokens: { prompt: number; completion: number };
  /** USD, from the usage and the model's price; null when the model has no known price. */
  costUsd: number | null;
  latencyMs: number;
  /** The server reported no usage (or the call failed before it did): the tokens are an estimate (core/util/tokens). */
  estimated: boolean;
  /**
   * Of `tokens.prompt`, the workspace context's: its share of the prompt's characters, in the prompt's count (so never
   * above it). Absent when the ask sent no context, and for embeddings.
   */
  context?: number;
  /**
   * Of an `estimated` call (cut off mid-reply), the upstream's id of the reply, when the upstream states what it billed
   * for a reply by its id (OpenRouter's generation id): a team server asks it, and replaces the estimate by the bill.
   */
  generation?: string;
  /**
   * Of a call whose usage the upstream reported, the tokens the estimate from its text gives (core/util/tokens): how the
   * upstream's count compares with the estimate, which a cut call is scaled by (core/cost/cutTail TokenScale). A team
   * server keeps it in its ledger, so a server started again scales its first cut calls as the upstreams count.
   */
  textTokens?: { prompt: number; completion: number };
}

/** What an upstream states it billed for one reply (OpenRouter's generation stats): its cost and tokens as it counts them. */
export interface StatedBill {
  costUsd: number;
  tokens: { prompt: number; completion: number };
}
