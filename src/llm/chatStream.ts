/**
 * Folds streamed chat-completion chunks into deltas and a result: reasoning (`reasoning_content`,
 * `reasoning`, `<think>` blocks) apart from the answer, answer-token log-probs, usage and finish reason.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ChatDelta, ChatMessage, OutputStop, TextDelta, TokenUsage } from '../core/contracts/types';
import { estimatePromptTokens, estimateTokens, tokensOfChars } from '../core/util/tokens';
import { ThinkSplitter, type SplitEvent } from './thinkSplitter';

/** What the stream yielded, before timing and cost are added. */
export interface StreamOutcome {
  text: string;
  reasoning: string;
  /** Null when not requested, when the answer is empty, or when any answer chunk came without log-probs. */
  tokenLogprobs: number[] | null;
  usage: TokenUsage;
  /** True when the provider sent no usage and it was estimated (core/util/tokens). */
  usageEstimated: boolean;
  finishReason: string | null;
  /** Set when the reader stopped the stream and kept what arrived: which limit, and the estimated tokens that had arrived. */
  stopped?: Omit<OutputStop, 'ms'>;
  /** The reply's id as its chunks named it (the completion's `id`), when they did. */
  generation?: string;
}

type ReasoningDelta = { reasoning_content?: unknown; reasoning?: unknown };

/** The reasoning a delta carries in a field: vLLM's `reasoning_content` or OpenRouter's `reasoning` (newer vLLM sends both, alike). */
function reasoningField(delta: ReasoningDelta): string {
  if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') return delta.reasoning_content;
  return typeof delta.reasoning === 'string' ? delta.reasoning : '';
}

export class ChatAccumulator {
  private readonly content = new ThinkSplitter();
  /**
   * Replays the tokens of the log-probs through a second splitter: a token counts as an answer token when it releases
   * answer text; a `retract` (lone `</think>`) drops the ones counted so far. Tokens of reasoning, tags, separators and a
   * partial tag held back at the very end are left out.
   */
  private readonly tokens = new ThinkSplitter();
  /** Answer and reasoning pieces in arrival order; a retract turns the answer pieces so far into reasoning. */
  private readonly parts: TextDelta[] = [];
  private logprobs: number[] = [];
  private logprobsMissing = false;
  private usage: TokenUsage | undefined;
  private finishReason: string | null = null;
  private id: string | undefined;
  private deltas = 0;
  /** Characters of answer and reasoning generated so far (tags and held-back pieces aside). */
  private generatedChars = 0;

  constructor(
    private readonly wantLogprobs: boolean,
    private readonly onDelta: (delta: ChatDelta) => void,
  ) {}

  /** Deltas handed to `onDelta` so far (a retry after the first one would duplicate output). */
  get emitted(): number {
    return this.deltas;
  }

  /** The reply's id as its chunks named it (the completion's `id`); undefined until one did. */
  get generation(): string | undefined {
    return this.id;
  }

  add(chunk: ChatCompletionChunk): void {
    if (typeof chunk.id === 'string' && chunk.id !== '') this.id ??= chunk.id;
    if (chunk.usage) this.usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const delta: ChatCompletionChunk.Choice.Delta & ReasoningDelta = choice.delta ?? {};
    const reasoning = reasoningField(delta);
    if (reasoning !== '') {
      this.apply(this.content.markReasoning());
      this.replayTokens(this.tokens.markReasoning());
      this.emit({ kind: 'reasoning', text: reasoning });
    }
    if (typeof delta.content === 'string' && delta.content !== '') {
      const events = this.content.push(delta.content);
      this.apply(events);
      if (this.wantLogprobs) this.collectLogprobs(choice.logprobs?.content, events.some((e) => e.kind === 'text'));
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  /** Estimated tokens generated so far, reasoning included (max_tokens counts both). */
  get generatedTokens(): number {
    return tokensOfChars(this.generatedChars);
  }

  /** True once a chunk carried a finish reason; a stream that ends without one was cut short. */
  get finished(): boolean {
    return this.finishReason !== null;
  }

  /** True once answer text (not only reasoning) has arrived. */
  get answered(): boolean {
    return this.parts.some((p) => p.kind === 'text');
  }

  /**
   * Ends the stream; `messages` are used only to estimate usage when the provider sent none. `stoppedBy`: the reader
   * stopped the stream at that limit of ours and keeps what arrived (past the output ceiling, the reply was cut at a
   * token limit: `length`).
   */
  finish(messages: readonly ChatMessage[], stoppedBy?: OutputStop['limit']): StreamOutcome {
    this.apply(this.content.flush());
    const text = this.joined('text');
    const reasoning = this.joined('reasoning').trim();
    const usageEstimated = this.usage === undefined;
    const usage = this.usage ?? {
      promptTokens: estimatePromptTokens(messages),
      completionTokens: estimateTokens(text + reasoning),
    };
    const complete = this.wantLogprobs && !this.logprobsMissing && this.logprobs.length > 0;
    return {
      text,
      reasoning,
      tokenLogprobs: complete ? [...this.logprobs] : null,
      usage,
      usageEstimated,
      finishReason: stoppedBy === 'maxTokens' ? 'length' : this.finishReason,
      ...(stoppedBy !== undefined ? { stopped: { limit: stoppedBy, tokens: this.generatedTokens } } : {}),
      ...(this.id !== undefined ? { generation: this.id } : {}),
    };
  }

  private joined(kind: TextDelta['kind']): string {
    return this.parts.filter((p) => p.kind === kind).map((p) => p.text).join('');
  }

  /** Streams the splitter's pieces; a retract re-files the answer so far as reasoning (the final result corrects the stream). */
  private apply(events: readonly SplitEvent[]): void {
    for (const e of events) {
      if (e.kind !== 'retract') this.emit(e);
      else for (const [i, p] of this.parts.entries()) if (p.kind === 'text') this.parts[i] = { kind: 'reasoning', text: p.text };
    }
  }

  /** Counts a token's log-prob when it released answer text; a retract forgets the answer tokens counted so far. */
  private replayTokens(events: readonly SplitEvent[], logprob?: number): boolean {
    let answer = false;
    for (const e of events) {
      if (e.kind === 'retract') {
        this.logprobs = [];
        this.logprobsMissing = false;
        answer = false;
      } else if (e.kind === 'text') answer = true;
    }
    if (answer && logprob !== undefined) this.logprobs.push(logprob);
    return answer;
  }

  /**
   * Replays one content chunk's tokens. A chunk without log-probs makes them missing when it carried answer text
   * (`answerChunk`); a token with an unusable log-prob does when it is an answer token.
   */
  private collectLogprobs(entries: ReadonlyArray<{ token: string; logprob: number }> | null | undefined, answerChunk: boolean): void {
    if (!entries || entries.length === 0) {
      if (answerChunk) this.logprobsMissing = true;
      return;
    }
    for (const entry of entries) {
      const usable = typeof entry.logprob === 'number' && Number.isFinite(entry.logprob);
      const answer = this.replayTokens(this.tokens.push(entry.token ?? ''), usable ? entry.logprob : undefined);
      if (answer && !usable) this.logprobsMissing = true;
    }
  }

  private emit(delta: TextDelta): void {
    this.generatedChars += delta.text.length;
    this.parts.push(delta);
    this.deltas += 1;
    this.onDelta(delta);
  }
}
