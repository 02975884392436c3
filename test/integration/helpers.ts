/** Small helpers shared by the integration tests (they run inside the extension host). */
import * as vscode from 'vscode';

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
