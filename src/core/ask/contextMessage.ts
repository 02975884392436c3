/**
 * This turn's user message with the attached context fitted in (core/context/fitContext): the same message every
 * referencer, aggregation and test-writing call sends, and what the cost estimates count before anything is sent.
 */
import { contextRoom, fitContext, type FittedContext } from '../context/fitContext';
import { contextText } from '../context/contextItem';
import type { GuardedContext } from '../context/secretGuard';
import { turnMessages, type Turn } from './conversation';
import { aggregatorSystemPrompt, userMessage } from './prompts';
import { partTokens } from '../context/promptLayout';

export interface ContextMessage {
  content: string;
  fitted: FittedContext;
}

/**
 * `question`, then the `screened` items — the selection among them, screened for secrets on the text about to be sent
 * (core/context/secretGuard guardContext, once per ask) — fitted to the smallest of `windows` after `fixedTokens`
 * (conversation, question, aggregator instructions) and room for a reply of `maxTokens`. The fit's notes begin with
 * what the screen left out or redacted; the models see only the fit's own notes.
 */
export function contextMessage(question: string, screened: GuardedContext, windows: readonly (number | undefined)[], fixedTokens: number, maxTokens: number): ContextMessage {
  const fitted = fitContext(screened.items, contextRoom(windows, fixedTokens, maxTokens));
  const code = contextText(fitted.items, fitted.notes);
  return { content: userMessage(question, code), fitted: { items: fitted.items, notes: [...screened.notes, ...fitted.notes] } };
}

/** A turn of an ask: the question and the conversation before it. */
export interface AskTurn {
  question: string;
  history: readonly Turn[];
}

/**
 * The user message every call of an ask sends (each referencer, aggregation and test-writing call): `items` fitted to
 * the smallest of `windows` after the prompt always sent — the conversation, this turn and the aggregator's instructions.
 */
export function askMessage(turn: AskTurn, screened: GuardedContext, windows: readonly (number | undefined)[], maxTokens: number): ContextMessage {
  const fixed = partTokens({ system: [aggregatorSystemPrompt([])], question: [userMessage(turn.question)], conversation: turnMessages(turn.history).map((m) => m.content) });
  return contextMessage(turn.question, screened, windows, fixed, maxTokens);
}
