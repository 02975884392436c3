/**
 * Folds streamed chat-completion chunks into deltas and a result: reasoning (`reasoning_content`,
 * `reasoning`, `<think>` blocks) apart from the answer, answer-token log-probs, usage and finish reason.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ChatDelta, ChatMessage, TextDelta, TokenUsage } from '../core/types';
import { estimatePromptTokens, estimateTokens } from '../core/tokens';
import { ThinkSplitter } from './thinkSplitter';

/** What the stream yielded, before timing and cost are added. */
export interface StreamOutcome {
  text: string;
  reasoning: string;
  /** Null when not requested, when the answer is empty, or when any answer chunk came without log-probs. */
  tokenLogprobs: number[] | null;
  usage: TokenUsage;
  /** True when the provider sent no usage and it was estimated (core/tokens). */
  usageEstimated: boolean;
  finishReason: string | null;
}

type ReasoningDelta = { reasoning_content?: unknown; reasoning?: unknown };


export class ChatAccumulator {
  private readonly content = new ThinkSplitter();
  /**
   * Replays the tokens of the log-probs: a token counts as an answer token when it releases answer text
   * (tokens inside think blocks, tags, and a partial tag held back at the very end are left out).
   */
  private readonly tokens = new ThinkSplitter();
  private text = '';
  private reasoning = '';
  private readonly logprobs: number[] = [];
  private logprobsMissing = false;
  private usage: TokenUsage | undefined;
  private finishReason: string | null = null;
  private deltas = 0;

  constructor(
    private readonly wantLogprobs: boolean,
    private readonly onDelta: (delta: ChatDelta) => void,
  ) {}

  /** Deltas handed to `onDelta` so far (a retry after the first one would duplicate output). */
  get emitted(): number {
    return this.deltas;
  }

  add(chunk: ChatCompletionChunk): void {
    if (chunk.usage) this.usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const delta = (choice.delta ?? {}) as ChatCompletionChunk.Choice.Delta & ReasoningDelta;
    const reasoning = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : delta.reasoning;
    if (typeof reasoning === 'string' && reasoning !== '') this.emit({ kind: 'reasoning', text: reasoning });
    if (typeof delta.content === 'string' && delta.content !== '') {
      for (const d of this.content.push(delta.content)) this.emit(d);
      this.collectLogprobs(choice.logprobs?.content);
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  /** True once a chunk carried a finish reason; a stream that ends without one was cut short. */
  get finished(): boolean {
    return this.finishReason !== null;
  }

  /** Ends the stream; `messages` are used only to estimate usage when the provider sent none. */
  finish(messages: readonly ChatMessage[]): StreamOutcome {
    for (const d of this.content.flush()) this.emit(d);
    const usageEstimated = this.usage === undefined;
    const usage = this.usage ?? {
      promptTokens: estimatePromptTokens(messages),
      completionTokens: estimateTokens(this.text + this.reasoning),
    };
    const complete = this.wantLogprobs && !this.logprobsMissing && this.logprobs.length > 0;
    return {
      text: this.text,
      reasoning: this.reasoning,
      tokenLogprobs: complete ? [...this.logprobs] : null,
      usage,
      usageEstimated,
      finishReason: this.finishReason,
    };
  }

  private collectLogprobs(entries: ReadonlyArray<{ token: string; logprob: number }> | null | undefined): void {
    if (!this.wantLogprobs || this.logprobsMissing) return;
    if (!entries || entries.length === 0) {
      this.logprobsMissing = true;
      return;
    }
    for (const entry of entries) {
      if (!this.tokens.push(entry.token ?? '').some((d) => d.kind === 'text')) continue;
      if (typeof entry.logprob !== 'number' || !Number.isFinite(entry.logprob)) {
        this.logprobsMissing = true;
        return;
      }
      this.logprobs.push(entry.logprob);
    }
  }

  private emit(delta: TextDelta): void {
    if (delta.kind === 'text') this.text += delta.text;
    else this.reasoning += delta.text;
    this.deltas += 1;
    this.onDelta(delta);
  }
}
