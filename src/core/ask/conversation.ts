/**
 * A conversation's earlier turns and how they reach the models: as user/assistant message pairs before this
 * question, dropping the oldest turns first when a model's context window is too small (docs/design-notes.md, "Conversations").
 */
import type { ChatMessage } from '../contracts/types';
import { estimateMessageTokens } from '../util/tokens';

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

/** Estimated tokens of the turns as messages. */
export function turnTokens(turns: readonly Turn[]): number {
  return turns.reduce((sum, t) => sum + estimateMessageTokens(t.question) + estimateMessageTokens(t.answer), 0);
}

/**
 * How the conversation gives way when the window is short (core/ask/fitPrompt says how much room it has): the newest
 * turns that fit `room` together, the oldest left out first.
 */
export function newestTurns(turns: readonly Turn[], room: number): { turns: number; tokens: number } {
  let kept = 0;
  let tokens = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i];
    if (turn === undefined) break;
    const cost = turnTokens([turn]);
    if (tokens + cost > room) break;
    tokens += cost;
    kept++;
  }
  return { turns: kept, tokens };
}
