/**
 * A throwaway Language Model Chat Provider for the UI tests: vendor `smoke` (declared under
 * `contributes.languageModelChatProviders`), one model `echo` that streams `echo: <the last user message's text>` back,
 * one word per part, a part every 50 ms (so a test can stop it mid-stream). It proves the workbench and the LM caller
 * harness work, independently of SMCS's own provider.
 */
import * as vscode from 'vscode';

const ECHO: vscode.LanguageModelChatInformation = {
  id: 'echo',
  name: 'Echo',
  family: 'echo',
  version: '1',
  maxInputTokens: 4096,
  maxOutputTokens: 4096,
  capabilities: {},
};

function textOf(message: vscode.LanguageModelChatRequestMessage): string {
  return message.content
    .filter((part): part is vscode.LanguageModelTextPart => part instanceof vscode.LanguageModelTextPart)
    .map((part) => part.value)
    .join('');
}

const provider: vscode.LanguageModelChatProvider = {
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
  context.subscriptions.push(vscode.lm.registerLanguageModelChatProvider('smoke', provider));
}
