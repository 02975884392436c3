/**
 * Registers SMCS's models with VS Code's chat (vendor `smcs`, declared under `languageModelChatProviders` in
 * package.json) where the API exists: VS Code 1.104 and later. On an older VS Code nothing is registered, and the log
 * says why.
 */
import * as vscode from 'vscode';
import type { Contribution } from '../hostServices';
import { loadRuntime } from '../loadRuntime';
import type { LmFailure } from './lmErrors';
import { SmcsChatProvider, type LmApi } from './smcsChatProvider';

/** The vendor package.json declares. */
export const LM_VENDOR = 'smcs';

/**
 * The error as the chat shows it: its message alone. VS Code prints an error's stack under its message, and the
 * extension host's frames say nothing to the user.
 */
function withoutStack(error: Error): Error {
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

/** VS Code's part classes and error, as the provider takes them. */
function vscodeLmApi(): LmApi {
  const error = vscode.LanguageModelError;
  const make: Record<LmFailure['code'], (message: string) => Error> = {
    NotFound: (m) => error.NotFound(m),
    NoPermissions: (m) => error.NoPermissions(m),
    Blocked: (m) => error.Blocked(m),
    Unknown: (m) => new error(m),
  };
  // LanguageModelDataPart is in VS Code's API from 1.104 on, but not yet in its final types.
  const DataPart = (vscode as unknown as { LanguageModelDataPart?: LmApi['DataPart'] }).LanguageModelDataPart;
  return {
    TextPart: vscode.LanguageModelTextPart,
    ToolCallPart: vscode.LanguageModelToolCallPart,
    ToolResultPart: vscode.LanguageModelToolResultPart,
    requiredToolMode: vscode.LanguageModelChatToolMode.Required,
    PromptTsxPart: vscode.LanguageModelPromptTsxPart,
    ...(DataPart ? { DataPart } : {}),
    textPart: (value) => new vscode.LanguageModelTextPart(value),
    toolCallPart: (callId, name, input) => new vscode.LanguageModelToolCallPart(callId, name, input),
    error: (failure) => withoutStack(make[failure.code](failure.message)),
  };
}

export const languageModelContribution: Contribution = ({ context, log, engine, runs, settings }) => {
  // `vscode.lm` exists since 1.90; the provider API since 1.104 (engines.vscode stays ^1.95.0).
  const lm = vscode.lm as Partial<typeof vscode.lm> | undefined;
  if (typeof lm?.registerLanguageModelChatProvider !== 'function') {
    log.info(`language models: VS Code ${vscode.version} has no Language Model Chat Provider API (1.104 and later have it), so SMCS is not offered in VS Code's chat`);
    return [];
  }
  const changed = new vscode.EventEmitter<void>();
  const { version } = context.extension.packageJSON as { version?: unknown };
  const provider = new SmcsChatProvider({
    api: vscodeLmApi(),
    engine: () => engine.get(),
    settings: () => settings.current,
    runtime: loadRuntime,
    runs,
    log,
    version: typeof version === 'string' ? version : '0',
    onDidChange: changed.event,
  });
  return [changed, settings.onDidChange(() => changed.fire()), lm.registerLanguageModelChatProvider(LM_VENDOR, provider)];
};
