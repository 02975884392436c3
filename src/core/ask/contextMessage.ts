/**
 * This turn's user message with the attached context fitted in (core/ask/fitPrompt): the same message every
 * referencer, aggregation and test-writing call sends, and what the cost estimates count before anything is sent.
 */
import { contextText } from '../context/contextItem';
import { smallestWindow, type FittedContext } from '../promptBudget/fitContext';
import type { GuardedContext } from '../secrets/secretGuard';
import { fitPrompt } from './fitPrompt';
import type { Turn } from './conversation';
import { aggregatorSystemPrompt, userMessage } from './prompts';

export interface ContextMessage {
  content: string;
  fitted: FittedContext;
}

/** A turn of an ask: the question, the conversation before it and the asker's system message. */
export interface AskTurn {
  question: string;
  history: readonly Turn[];
  system?: string;
}

/**
 * The user message every call of an ask sends (each referencer, aggregation and test-writing call): the question,
 * then the `screened` items (core/secrets/secretGuard guardContext, once per ask) fitted to the smallest of `windows`
 * as the largest prompt of the ask lays it out — the aggregator's instructions, the question and the conversation
 * above the context — with room for a reply of `maxTokens`. The fit's notes begin with what the screen left out or
 * redacted; the models see only the fit's own notes.
 */
export function askMessage(turn: AskTurn, screened: GuardedContext, windows: readonly (number | undefined)[], maxTokens: number): ContextMessage {
  const { context } = fitPrompt(
    { system: [aggregatorSystemPrompt([], turn.system)], question: [userMessage(turn.question)], conversation: turn.history, context: screened.items },
    { window: smallestWindow(windows), maxTokens },
  );
  const code = contextText(context.items, context.notes);
  return { content: userMessage(turn.question, code), fitted: { items: context.items, notes: [...screened.notes, ...context.notes] } };
}
