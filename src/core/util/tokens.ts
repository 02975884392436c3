/**
 * The one token estimate, for when no tokenizer of the model is at hand (the models are arbitrary): about three
 * characters per token. Code and non-English text run denser than English prose (~4), so context budgets built on
 * it err on the side of fitting, and a cost estimate errs on the side of too high. Beside it, the output a request
 * keeps at least, which the conversation's fit (ask/) and the context budget (context/) share.
 */

export const CHARS_PER_TOKEN = 3;

/** Tokens a chat message (or a numbered reference inside one) costs beyond its text: role, separators, numbering. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/** Estimated tokens of a text. */
export function estimateTokens(text: string): number {
  return tokensOfChars(text.length);
}

/** Estimated tokens of `chars` characters of text (for a count kept as a stream goes by). */
export function tokensOfChars(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** Estimated tokens of a text sent as one message (or one reference). */
export function estimateMessageTokens(text: string): number {
  return estimateTokens(text) + MESSAGE_OVERHEAD_TOKENS;
}

/** Estimated prompt tokens of a conversation. */
export function estimatePromptTokens(messages: readonly { content: string }[]): number {
  return messages.reduce((sum, m) => sum + estimateMessageTokens(m.content), 0);
}

/** The output budget a request keeps at least, before history is given up for it. */
export function minimumOutput(maxTokens: number, contextWindow: number): number {
  return Math.min(maxTokens, Math.max(512, Math.floor(contextWindow / 4)));
}
