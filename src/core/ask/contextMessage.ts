/**
 * This turn's user message with the attached context fitted in (core/context/fitContext): the same message every
 * referencer, aggregation and test-writing call sends, and what the cost estimates count before anything is sent.
 */
import { contextRoom, fitContext, type FittedContext } from '../context/fitContext';
import { contextText, type ContextItem } from '../context/contextItem';
import { userMessage } from './prompts';

export interface ContextMessage {
  content: string;
  fitted: FittedContext;
}

/**
 * `question` and the user's own `context` (a selection), then `items` fitted to the smallest of `windows` after
 * `fixedTokens` (conversation, question, aggregator instructions) and room for a reply of `maxTokens`.
 */
export function contextMessage(question: string, context: string | undefined, items: readonly ContextItem[], windows: readonly (number | undefined)[], fixedTokens: number, maxTokens: number): ContextMessage {
  const fitted = fitContext(items, contextRoom(windows, fixedTokens, maxTokens));
  const code = contextText(fitted.items, fitted.notes);
  return { content: userMessage(question, [context, code].filter(Boolean).join('\n\n')), fitted };
}
