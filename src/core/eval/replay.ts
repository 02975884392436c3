/**
 * Replaying recorded replies through the real pipeline (`smcs eval e2e`): a gateway whose referencers answer with what
 * each model was recorded to reply, and whose aggregator answers with the reference it was given first (an aggregator
 * that copies, so every candidate is one model's recorded reply and the set's labels say whether it is right); and a
 * bank held in memory, the other folds' questions with their labels, read by full scan as RPS reads a store. Pure.
 */
import { estimatePromptTokens, estimateTokens } from '../util/tokens';
import type { LabelColumn, PriorSource, SupportRequest, SupportSet } from '../contracts/priorSource';
import type { ChatDelta, ChatRequest, ChatResult, LlmGateway, TokenPrice } from '../contracts/types';
import { scanSupport } from '../routing/rps';
import { nearSimilarity } from '../routing/exploration';
import { alphaSamplePositions, alphaSampleSize } from '../routing/shrinkage';
import { dot } from '../util/vectorMath';
import { own } from '../util/ownKeys';

/** The aggregator's model key in a replay: never one of the recorded models. */
export const REPLAY_AGGREGATOR = 'replay-aggregator';

/** A window no replayed prompt reaches, so nothing is trimmed or left out. */
const WINDOW = 10_000_000;

/** A gateway that answers one question from its recorded replies (see the module comment). */
export class ReplayGateway implements LlmGateway {
  /** `logprobs`: each reply comes with token log-probabilities, as an endpoint that returns them would give (see `replayLogprobs`). */
  constructor(
    private readonly replies: ReadonlyMap<string, string>,
    private readonly logprobs = false,
  ) {}

  async chat(request: ChatRequest, onDelta: (delta: ChatDelta) => void, signal: AbortSignal): Promise<ChatResult> {
    if (signal.aborted) throw new Error('Cancelled');
    const text = request.model === REPLAY_AGGREGATOR ? this.firstReference(request) : this.replies.get(request.model);
    if (text === undefined) throw new Error(`${request.model}: no recorded reply for this question`);
    onDelta({ kind: 'text', text });
    return { text, reasoning: '', tokenLogprobs: this.logprobs ? replayLogprobs(text) : null, usage: { promptTokens: estimatePromptTokens(request.messages), completionTokens: estimateTokens(text) }, usageEstimated: true, latencyMs: 0, finishReason: 'stop' };
  }

  contextWindow(): number {
    return WINDOW;
  }

  price(): TokenPrice | undefined {
    return undefined;
  }

  /** The recorded reply that comes first in the aggregator's system prompt (its references in draw order); "" for the tests call. */
  private firstReference(request: ChatRequest): string {
    const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
    let first: { at: number; text: string } | undefined;
    for (const text of this.replies.values()) {
      const at = text === '' ? -1 : system.indexOf(text);
      if (at >= 0 && (first === undefined || at < first.at)) first = { at, text };
    }
    return first?.text ?? '';
  }
}

/**
 * Token log-probabilities for a recorded reply, which publishes none: one per estimated token, between −0.05 and −1.05,
 * fixed by the text (an FNV-1a hash), so the same reply always has the same perplexity — a perplexity that says
 * nothing about whether the reply is right, as a real one often does not.
 */
export function replayLogprobs(text: string): number[] {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  const mean = -0.05 - (hash % 1000) / 1000;
  return Array.from({ length: Math.max(1, estimateTokens(text)) }, () => mean);
}

/** A labelled question of the in-memory bank. */
export interface MemoryQuestion {
  id: string;
  /** Unit vector. */
  embedding: Float32Array;
  correct: Readonly<Record<string, number>>;
}

/** The bank of a replay fold: a full scan over questions held in memory. */
export class MemoryBank implements PriorSource {
  private readonly labels: Map<string, LabelColumn>;

  constructor(private readonly questions: readonly MemoryQuestion[]) {
    const models = new Set(questions.flatMap((q) => Object.keys(q.correct)));
    this.labels = new Map([...models].map((m) => [m, Int8Array.from(questions, (q) => own(q.correct, m) ?? -1)]));
  }

  async supportSet(query: Float32Array, request: SupportRequest): Promise<SupportSet> {
    const similarities = Float64Array.from(this.questions, (q) => dot(q.embedding, query));
    return scanSupport(similarities, this.labels, request, (i) => this.questions[i]?.id ?? String(i)).support;
  }

  /**
   * The bank's `near` similarity (routing/exploration) judged on the questions the engine samples of a bank its size
   * (engine/shrinkageEstimate): each one's most similar other question.
   */
  near(): number | null {
    const { questions } = this;
    const sampled = alphaSamplePositions(questions.length, alphaSampleSize(questions.length));
    return nearSimilarity(sampled.flatMap((q) => {
      const own = questions[q]!.embedding;
      const others = questions.flatMap((other, i) => (i === q ? [] : [dot(other.embedding, own)]));
      return others.length === 0 ? [] : [Math.max(...others)];
    }));
  }
}
