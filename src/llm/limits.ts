/**
 * The bounds every upstream call runs within, from the endpoint's config: how long one call may take in all, how much
 * of one reply is read, and where a chat stream that runs on past `max_tokens` is stopped.
 */
import { DEFAULT_CUT_TAIL_MS, DEFAULT_MAX_CALL_MS, type EndpointConfig } from '../core/contracts/config';
import { DEFAULT_REPLY_LIMITS, type ReplyLimits } from './apiFetch';

/** A call's total limit: the endpoint's `maxCallMs`, else the default. */
export const callLimitOf = (endpoint: EndpointConfig): number => endpoint.maxCallMs ?? DEFAULT_MAX_CALL_MS;

/**
 * How long an endpoint is taken to go on writing a reply after we stopped reading it and closed its connection: its
 * `cutTailMs`, else 0 for a vLLM server (it cancels a request whose connection closed, between two tokens), else
 * DEFAULT_CUT_TAIL_MS.
 */
export const cutTailOf = (endpoint: EndpointConfig): number => endpoint.cutTailMs ?? (endpoint.provider === 'vllm' ? 0 : DEFAULT_CUT_TAIL_MS);

/** How much of one reply an endpoint's calls read (llm/apiFetch). */
export function replyLimits(endpoint: EndpointConfig): ReplyLimits {
  return { ...DEFAULT_REPLY_LIMITS, ...(endpoint.maxReplyBytes !== undefined ? { replyBytes: endpoint.maxReplyBytes } : {}) };
}

/**
 * Where we stop reading a chat stream the server does not end at `max_tokens` (it ignores the field, or never stops):
 * 4 × max_tokens + 256 estimated tokens. The estimate (3 characters a token) can run high — twice on code indented
 * with long runs of spaces — so an honest reply stays well below it, and a runaway one costs a bounded read.
 */
export function outputCeiling(maxTokens: number): number {
  return 4 * maxTokens + 256;
}
