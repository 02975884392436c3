/**
 * A conversation's earlier turns and how they reach the models: as user/assistant message pairs before this
 * question, dropping the oldest turns first when a model's context window is too small (docs/design-notes.md, "Conversations").
 */
import type { ChatMessage } from '../contracts/types';
import { estimateMessageTokens, estimatePromptTokens, minimumOutput } from '../util/tokens';

/** One earlier turn: what the user sent (the question and the selection it was about) and the reply they kept. */
export interface Turn {
  question: string;
  answer: string;
}

/** The turns as alternating user and assistant messages, oldest first. */
export function turnMessages(turns: readonly Turn[]): ChatMessage[] {
  return turns.flatMap((t): ChatMessage[] => [
    { role: 'user', content: t.question },
    { role: 'assistant', content: t.answer },
  ]);
}

/** Questions shorter than this (in words) lean on the turn before them for retrieval ("and in Rust?"). */
export const SHORT_QUESTION_WORDS = 6;

/**
 * The text retrieval embeds: the latest question, or — when it is a short follow-up — the previous question
 * and this one, so the topic carries over ("and in Rust?" after a question about sorting retrieves sorting).
 */
export function retrievalText(question: string, turns: readonly Turn[]): string {
  const previous = turns.at(-1);
  const words = question.trim().split(/\s+/).filter(Boolean).length;
  return previous !== undefined && words < SHORT_QUESTION_WORDS ? `${previous.question}\n${question}` : question;
}

export interface FittedRequest {
  /** The messages to send: `before`, the kept turns, then `after`. */
  messages: ChatMessage[];
  /** How many of the oldest turns were left out. */
  droppedTurns: number;
  /** Output tokens to ask for: `maxTokens`, or less when the window leaves less after the prompt. */
  maxTokens: number;
}

/**
 * Fits one request into a model's context window. `before` (e.g. the aggregator's system prompt) and `after`
 * (this question) are always kept; the earlier turns are kept newest first while at least `minimumOutput` stays
 * for the reply; the output budget is then whatever the window leaves, at most `maxTokens` (at least 1).
 * An unknown window keeps everything.
 */
export function fitConversation(
  before: readonly ChatMessage[],
  turns: readonly Turn[],
  after: readonly ChatMessage[],
  maxTokens: number,
  contextWindow: number | undefined,
): FittedRequest {
  const history = turnMessages(turns);
  if (contextWindow === undefined) return { messages: [...before, ...history, ...after], droppedTurns: 0, maxTokens };
  const fixed = estimatePromptTokens(before) + estimatePromptTokens(after);
  const room = contextWindow - fixed - minimumOutput(maxTokens, contextWindow);
  let kept = 0;
  let used = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i];
    if (turn === undefined) break;
    const cost = estimateMessageTokens(turn.question) + estimateMessageTokens(turn.answer);
    if (used + cost > room) break;
    used += cost;
    kept++;
  }
  const messages = [...before, ...history.slice(history.length - 2 * kept), ...after];
  const left = contextWindow - fixed - used;
  return { messages, droppedTurns: turns.length - kept, maxTokens: Math.max(1, Math.min(maxTokens, left)) };
}
