/**
 * This turn's user message with the attached context fitted in (core/context/fitContext): the same message every
 * referencer, aggregation and test-writing call sends, and what the cost estimates count before anything is sent.
 */
import { contextRoom, fitContext, type FittedContext } from '../context/fitContext';
import { contextText, type ContextItem } from '../context/contextItem';
import { guardContext } from '../context/secretGuard';
import { turnMessages, type Turn } from './conversation';
import { aggregatorSystemPrompt, userMessage } from './prompts';
import { estimateMessageTokens, estimatePromptTokens } from '../util/tokens';

export interface ContextMessage {
  content: string;
  fitted: FittedContext;
}

/**
 * `question` and the user's own `context` (a selection), then `items` — screened for secrets right here, on the text
 * about to be sent (core/context/secretGuard) — fitted to the smallest of `windows` after `fixedTokens` (conversation,
 * question, aggregator instructions) and room for a reply of `maxTokens`. The fit's notes begin with what the screen
 * left out or redacted; the models see only the fit's own notes.
 */
export function contextMessage(question: string, context: string | undefined, items: readonly ContextItem[], windows: readonly (number | undefined)[], fixedTokens: number, maxTokens: number): ContextMessage {
  const guarded = guardContext(items);
  const fitted = fitContext(guarded.items, contextRoom(windows, fixedTokens, maxTokens));
  const code = contextText(fitted.items, fitted.notes);
  return { content: userMessage(question, [context, code].filter(Boolean).join('\n\n')), fitted: { items: fitted.items, notes: [...guarded.notes, ...fitted.notes] } };
}

/** A turn of an ask: the question, the user's own context (a selection) and the conversation before it. */
export interface AskTurn {
  question: string;
  context?: string;
  history: readonly Turn[];
}

/**
 * The user message every call of an ask sends (each referencer, aggregation and test-writing call): `items` fitted to
 * the smallest of `windows` after the prompt always sent — the conversation, this turn and the aggregator's instructions.
 */
export function askMessage(turn: AskTurn, items: readonly ContextItem[], windows: readonly (number | undefined)[], maxTokens: number): ContextMessage {
  const user = { content: userMessage(turn.question, turn.context) };
  const fixed = estimatePromptTokens([...turnMessages(turn.history), user]) + estimateMessageTokens(aggregatorSystemPrompt([]));
  return contextMessage(turn.question, turn.context, items, windows, fixed, maxTokens);
}
