/**
 * A throwaway Language Model Chat Provider for the UI tests: vendor `smoke` (declared under
 * `contributes.languageModelChatProviders`), one model `echo` that streams `echo: <the last user message's text>` back,
 * one word per part, a part every 50 ms (so a test can stop it mid-stream). It proves the workbench and the LM caller harness work, independently of SMCS's own provider.
 */
import * as vscode from 'vscode';

/**
 * The slice of VS Code 1.104's provider API this extension uses, declared here because the repository's
 * `@types/vscode` is older than 1.104 (the API is read at run time from the workbench that loads the extension).
 */
interface ChatInformation {
  id: string;
  name: string;
  family: string;
  version: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { toolCalling?: boolean };
}
interface RequestMessage {
  role: vscode.LanguageModelChatMessageRole;
  content: readonly unknown[];
}
interface ChatProvider {
  provideLanguageModelChatInformation(options: unknown, token: vscode.CancellationToken): ChatInformation[];
  provideLanguageModelChatResponse(
    model: ChatInformation,
    messages: readonly RequestMessage[],
    options: unknown,
    progress: vscode.Progress<vscode.LanguageModelTextPart>,
    token: vscode.CancellationToken,
  ): Promise<void>;
  provideTokenCount(model: ChatInformation, text: string | RequestMessage, token: vscode.CancellationToken): Promise<number>;
}
type LmWithProviders = typeof vscode.lm & { registerLanguageModelChatProvider(vendor: string, provider: ChatProvider): vscode.Disposable };

const ECHO: ChatInformation = {
  id: 'echo',
  name: 'Echo',
  family: 'echo',
  version: '1',
  maxInputTokens: 4096,
  maxOutputTokens: 4096,
  capabilities: {},
};

function textOf(message: RequestMessage): string {
  return message.content
    .filter((part): part is vscode.LanguageModelTextPart => part instanceof vscode.LanguageModelTextPart)
    .map((part) => part.value)
    .join('');
}

const provider: ChatProvider = {
  provideLanguageModelChatInformation: () => [ECHO],
  async provideLanguageModelChatResponse(_model, messages, _options, progress, token) {
    const lastUser = [...messages].reverse().find((m) => m.role === vscode.LanguageModelChatMessageRole.User);
    const words = `echo: ${lastUser ? textOf(lastUser) : ''}`.split(/(?<= )/);
    for (const [i, word] of words.entries()) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      if (token.isCancellationRequested) return;
      progress.report(new vscode.LanguageModelTextPart(word));
    }
  },
  async provideTokenCount(_model, text) {
    return (typeof text === 'string' ? text : textOf(text)).length;
  },
};

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push((vscode.lm as LmWithProviders).registerLanguageModelChatProvider('smoke', provider));
}
