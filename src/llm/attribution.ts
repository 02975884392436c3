/**
 * Whom an upstream request is made for, so a gateway in front of the models (LiteLLM, OpenRouter) attributes its spend:
 * the OpenAI `user` field, and metadata naming the ask and the stage — the ask set by the team server around a member's
 * ask and read by every request made within it (AsyncLocalStorage: the engine's calls need not carry it), the stage by
 * the request itself (a chat request's `stage`, `embedding`, `routed`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Attribution {
  /** The OpenAI `user` field: the member's name, or an opaque id. */
  user: string;
  /** The ask's id, sent as `metadata.smcs_ask_id`. */
  askId: string;
}

/** The stage a request serves, sent as `metadata.smcs_stage`: the ledger's stages (a relayed request is `routed`). */
export type AttributedStage = 'referencer' | 'aggregation' | 'tests' | 'embedding' | 'routed';

const current = new AsyncLocalStorage<Attribution>();

/** Runs `fn` with every upstream request it makes attributed to `attribution` (unattributed when undefined). */
export function withAttribution<T>(attribution: Attribution | undefined, fn: () => T): T {
  return attribution ? current.run(attribution, fn) : fn();
}

/**
 * The fields an upstream request body gains inside an attributed ask: `user` always; `metadata` (the ask's id, and the
 * stage when the request names one) except for OpenAI itself, which refuses metadata on a request it does not store
 * (LiteLLM and OpenRouter read it; vLLM ignores it).
 */
export function attributionFields(provider: string | undefined, stage: AttributedStage | undefined): { user?: string; metadata?: Record<string, string> } {
  const a = current.getStore();
  if (!a) return {};
  return { user: a.user, ...(provider === 'openai' ? {} : { metadata: { smcs_ask_id: a.askId, ...(stage ? { smcs_stage: stage } : {}) } }) };
}
