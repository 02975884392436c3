/**
 * Stand-ins for the few classes of VS Code the language model provider makes and reads (parts, LanguageModelError),
 * shaped as VS Code's, so the provider runs on node; and a cancellation token the test cancels.
 */
import type * as vscode from 'vscode';
import type { LmFailure } from '../lmErrors';
import type { LmApi } from '../smcsChatProvider';

export class TextPart {
  constructor(public value: string) {}
}
export class ToolCallPart {
  constructor(
    public callId: string,
    public name: string,
    public input: object,
  ) {}
}
export class ToolResultPart {
  constructor(
    public callId: string,
    public content: unknown[],
  ) {}
}
export class PromptTsxPart {
  constructor(public value: unknown) {}
}
export class DataPart {
  constructor(
    public data: Uint8Array,
    public mimeType: string,
  ) {}
}

/** `LanguageModelError` as VS Code makes it: a message and a code. */
export class LanguageModelError extends Error {
  constructor(
    message: string,
    readonly code: LmFailure['code'],
  ) {
    super(message);
    this.name = 'LanguageModelError';
  }
}

export const fakeLmApi: LmApi = {
  TextPart,
  ToolCallPart,
  ToolResultPart,
  PromptTsxPart,
  DataPart,
  // LanguageModelChatToolMode.Required's value.
  requiredToolMode: 2,
  textPart: (value) => new TextPart(value),
  toolCallPart: (callId, name, input) => new ToolCallPart(callId, name, input),
  error: (failure) => new LanguageModelError(failure.message, failure.code),
};

/** A cancellation token with its `cancel`. */
export function cancellation(): { token: vscode.CancellationToken; cancel: () => void } {
  const listeners = new Set<() => void>();
  let cancelled = false;
  const onCancellationRequested = ((listener: () => void) => {
    listeners.add(listener);
    return { dispose: () => listeners.delete(listener) };
  }) as vscode.Event<unknown>;
  return {
    token: {
      get isCancellationRequested() {
        return cancelled;
      },
      onCancellationRequested,
    },
    cancel: () => {
      cancelled = true;
      for (const l of listeners) l();
    },
  };
}
