/**
 * The replies in OpenAI's chat-completion shapes (a completion, its stream chunks, the usage chunk), and the `smcs`
 * field they carry: what the method did, for scripts (OpenAI clients ignore fields they do not know).
 */
import { randomBytes } from 'node:crypto';
import type { AskResult } from '../core/contracts/events';
import { firstModelsNote } from './firstModelsNote';
import { answerText, type Answer } from '../core/contracts/answer';
import { referenceFields } from '../presentation/answerNames';
import { answerView, resultSource } from '../presentation/answerView';
import { agreementLine, agreementLineText } from '../presentation/agreementLine';

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** The `smcs` field of an answer of the whole method. */
export interface SmcsSummary {
  mode: string;
  support: { count: number };
  selectionFallback?: string;
  /** With a fallback: who answered and why, and the remedy ("The bank is empty: the first 7 configured models answer (…); run `smcs profile` …"). */
  selectionNote?: string;
  referencers: { model: string; prior: number | null; unprofiled: boolean; ok: boolean; error?: string; latencyMs: number; checks?: unknown }[];
  aggregator: string;
  candidates: { index: number; subset: string[]; ok: boolean; error?: string; similarity: number; perplexity: number | null; total: number; checks?: unknown }[];
  winner: number;
  selectedBy: string;
  bestByChecks: unknown;
  /** The reply that is the answer, and why (core/contracts/answer). */
  answeredBy: Answer;
  /** Why that reply is the answer, in the words of the panel, `@smcs` and `smcs ask` (presentation/answerView). */
  answerReason: string;
  /** A referencer's own reply answers: the checks chose it over every candidate, every aggregation failed, or none ran. */
  directReference?: string;
  fallbackReference?: string;
  checksReference?: string;
  /** The final answers chose (`selectedBy: "agreement"`): the answer, its support and the split of the models' answers. */
  agreement?: AskResult['agreement'];
  /** Where the models' final answers agree, as the panel and the CLI say it ("3 of 3 models answer (D)"); absent when none were read. */
  agreementLine?: string;
  /** The final answers chose an answer no candidate holds: this model's reply is the answer. */
  agreementReference?: string;
  costUsd: number | null;
  tokens: { prompt: number; completion: number };
  /** The response's `usage` split by stage: every upstream call of the fan-out, summed per stage. */
  usage: Record<string, StageUsage>;
  timings: AskResult['timings'];
  /** Replies SMCS stopped reading far past max_tokens (their servers did not stop). */
  stoppedOutput?: AskResult['stoppedOutput'];
}

/** What one stage of an ask spent: its calls, their tokens and USD (null when a call had no known price). */
export interface StageUsage {
  calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number | null;
}

/** The ask's calls summed per stage (embedding, referencer, aggregation, tests). */
export function usageByStage(calls: AskResult['calls']): Record<string, StageUsage> {
  const out: Record<string, StageUsage> = {};
  for (const c of calls) {
    const s = (out[c.stage] ??= { calls: 0, prompt_tokens: 0, completion_tokens: 0, cost_usd: 0 });
    s.calls++;
    s.prompt_tokens += c.tokens.prompt;
    s.completion_tokens += c.tokens.completion;
    s.cost_usd = s.cost_usd === null || c.costUsd === null ? null : s.cost_usd + c.costUsd;
  }
  return out;
}

/** `chatcmpl-` and 24 random characters, as OpenAI's ids look. */
export const completionId = (): string => `chatcmpl-${randomBytes(18).toString('base64url')}`;

/** The summed usage of every call of the ask (embeddings included), as OpenAI counts it. */
export function usageOf(result: Pick<AskResult, 'tokens'>): OpenAiUsage {
  const { prompt, completion } = result.tokens;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function smcsSummary(result: AskResult): SmcsSummary {
  const prior = new Map(result.priors.map((p) => [p.model, p]));
  const agreed = agreementLine(result.agreement);
  return {
    mode: result.routing?.mode ?? 'quality',
    support: result.support,
    ...(result.selectionFallback ? { selectionFallback: result.selectionFallback, selectionNote: firstModelsNote(result.selectionFallback, result.referencers.map((r) => r.model), 'question') } : {}),
    referencers: result.referencers.map((r) => ({
      model: r.model,
      prior: prior.get(r.model)?.prior ?? null,
      unprofiled: prior.get(r.model)?.unprofiled ?? false,
      ok: r.ok,
      ...(r.error !== undefined ? { error: r.error } : {}),
      latencyMs: Math.round(r.latencyMs),
      ...(r.checks ? { checks: r.checks } : {}),
    })),
    aggregator: result.aggregator,
    candidates: result.candidates.map((c) => ({
      index: c.index,
      subset: c.subset,
      ok: c.ok,
      ...(c.error !== undefined ? { error: c.error } : {}),
      similarity: c.similarity,
      perplexity: c.perplexity,
      total: c.total,
      ...(c.checks ? { checks: c.checks } : {}),
    })),
    winner: result.winner,
    selectedBy: result.selectedBy,
    bestByChecks: result.bestByChecks,
    answeredBy: result.answer,
    answerReason: answerView(resultSource(result)).reason ?? '',
    ...referenceFields(result.answer, result.selectedBy),
    ...(result.agreement ? { agreement: result.agreement } : {}),
    ...(agreed ? { agreementLine: agreementLineText(agreed) } : {}),
    costUsd: result.costUsd,
    tokens: result.tokens,
    usage: usageByStage(result.calls),
    timings: result.timings,
    ...(result.stoppedOutput ? { stoppedOutput: result.stoppedOutput } : {}),
  };
}

/** A whole (non-streamed) chat completion. */
export function completion(id: string, model: string, created: number, result: AskResult): Record<string, unknown> {
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: answerText(result), refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: usageOf(result),
    smcs: smcsSummary(result),
  };
}

/** One `chat.completion.chunk`; `extra` adds top-level fields (the `smcs` field of the chunk with `finish_reason`). */
export function chunk(id: string, model: string, created: number, delta: Record<string, unknown>, finishReason: 'stop' | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...extra };
}

/** The chunk `stream_options.include_usage` asks for: no choices, the usage. */
export function usageChunk(id: string, model: string, created: number, usage: OpenAiUsage): Record<string, unknown> {
  return { id, object: 'chat.completion.chunk', created, model, choices: [], usage };
}
