/**
 * Refusing a prompt that cannot fit a model's context window before anything is sent (a 9 MB question would otherwise
 * go to every referencer, each refusing it after reading it). The token estimate runs high on English prose (about
 * 1.4 × the real count at 3 characters a token), so a prompt is refused only past 1.5 × the window: no tokenizer we
 * know fits it there, and one near the window is left to the server to judge.
 */
import type { ErrorKind } from '../contracts/errors';

/** How far past the window the estimate must go before a prompt is refused (see the file's comment). */
export const WINDOW_SLACK = 1.5;

/** A prompt larger than the context window of a model it would be sent to. */
export class PromptTooLongError extends Error {
  readonly kind = 'too-long' satisfies ErrorKind;

  constructor(
    readonly model: string,
    readonly promptTokens: number,
    readonly contextWindow: number,
  ) {
    super(
      `the request is about ${promptTokens.toLocaleString('en-US')} tokens, more than the context window of ${model} (${contextWindow.toLocaleString('en-US')} tokens): nothing was sent; shorten it or send less context`,
    );
    this.name = 'PromptTooLongError';
  }
}

/** Throws PromptTooLongError when `promptTokens` (estimated) is clearly more than `contextWindow`; an unknown window passes. */
export function refuseOversizedPrompt(model: string, promptTokens: number, contextWindow: number | undefined): void {
  if (contextWindow !== undefined && promptTokens > contextWindow * WINDOW_SLACK) throw new PromptTooLongError(model, promptTokens, contextWindow);
}

/**
 * Before the models are chosen (nothing sent yet, the embedding included): throws when the prompt is clearly larger than
 * the largest window among `models`, so no choice could take it. Passes when a window is unknown.
 */
export function refuseForEveryModel(models: readonly string[], promptTokens: number, windowOf: (model: string) => number | undefined): void {
  let largest: { model: string; window: number } | undefined;
  for (const model of models) {
    const window = windowOf(model);
    if (window === undefined) return;
    if (largest === undefined || window > largest.window) largest = { model, window };
  }
  if (largest) refuseOversizedPrompt(largest.model, promptTokens, largest.window);
}
