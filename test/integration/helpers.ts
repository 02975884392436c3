/** Small helpers shared by the integration tests (they run inside the extension host). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LoopbackUpstream } from '../fixtures/loopbackUpstream';
import type { HostToWebview } from '../../src/presentation/protocol';

/** publisher.name from package.json. */
export const EXTENSION_ID = 'smcs.smcs';

interface ContributedCommand {
  command: string;
}

/** The extension under test, activated. */
export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  await extension.activate();
  return extension;
}

/** The setting names declared in package.json `contributes.configuration`, without the `smcs.` prefix. */
function contributedSettings(): string[] {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const properties = (extension.packageJSON?.contributes?.configuration?.properties ?? {}) as Record<string, unknown>;
  return Object.keys(properties).map((key) => key.replace(/^smcs\./, ''));
}

/** The command ids declared in package.json `contributes.commands`. */
export function contributedCommands(): string[] {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const commands = (extension.packageJSON?.contributes?.commands ?? []) as ContributedCommand[];
  return commands.map((c) => c.command);
}

/** Polls `probe` until it returns a truthy value; throws `message` after `timeoutMs`. */
export async function waitUntil<T>(probe: () => T | Promise<T>, message: string, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`${message} within ${timeoutMs} ms${cause}`);
}

/** The API `activate` returns (see src/vscode/extension.ts). */
export interface SmcsTestApi {
  history(): readonly { id: string; question: string; status: string }[];
  isRunning(): boolean;
  workspaceIndex(): 'idle' | 'building' | 'built' | 'failed';
  /** In ExtensionMode.Test only: a document of the panel besides the webview's (panelDocument.ts). */
  connectPanelDocument?: (post: (msg: HostToWebview) => void) => { receive(msg: unknown): void; close(): void };
}

/** The activated extension's exported API. */
export async function smcsApi(): Promise<SmcsTestApi> {
  return (await activeExtension()).exports as SmcsTestApi;
}

/**
 * Sets user (global) `smcs.*` settings and waits until the extension host sees them, so the
 * extension's change listener has run before the test goes on. `undefined` removes a setting.
 */
export async function configure(values: Record<string, unknown>): Promise<void> {
  const section = vscode.workspace.getConfiguration('smcs');
  for (const [key, value] of Object.entries(values)) {
    await section.update(key, value, vscode.ConfigurationTarget.Global);
  }
  await waitUntil(
    () =>
      Object.entries(values).every(
        ([key, value]) =>
          JSON.stringify(vscode.workspace.getConfiguration('smcs').inspect(key)?.globalValue) === JSON.stringify(value),
      ),
    'the settings did not reach the extension host',
  );
}

/** A fresh folder under the runner's scratch folder (or the OS temp folder). */
export function scratchDir(name: string): string {
  const root = process.env.SMCS_IT_SCRATCH ?? os.tmpdir();
  return fs.mkdtempSync(path.join(root, `${name}-`));
}

/** A path for a bank that does not exist yet (the engine then runs as plain MoA; an import creates it). */
export function freshBankPath(): string {
  return path.join(scratchDir('bank'), 'bank');
}

/**
 * The settings that send questions to `fake`: one endpoint serving `models` (the first aggregates), the lexical
 * embedder and a fresh bank; `overrides` win.
 */
export function fakeServerSettings(fake: LoopbackUpstream, models: readonly string[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    endpoints: [{ id: 'fake', provider: 'vllm', baseUrl: fake.baseUrl, models }],
    'embedding.provider': 'lexical',
    bank: freshBankPath(),
    aggregator: models[0],
    ...overrides,
  };
}

/** Removes every `smcs.*` user setting a test or the commands it ran wrote, so the next test starts from the defaults. */
export async function clearSettings(): Promise<void> {
  const section = vscode.workspace.getConfiguration('smcs');
  const written = contributedSettings().filter((key) => section.inspect(key)?.globalValue !== undefined);
  await configure(Object.fromEntries(written.map((key) => [key, undefined])));
}
