/** API keys in VS Code SecretStorage, one per endpoint id. Keys never go to settings, logs, telemetry or the webview. */
import type * as vscode from 'vscode';
import type { SecretProvider } from '../core/types';

/** The SecretStorage key of an endpoint's API key. */
export const apiKeySecretName = (endpointId: string): string => `smcs.apiKey.${endpointId}`;

/** SecretProvider over `ExtensionContext.secrets` (the engine falls back to `apiKeyEnv`). */
export class VscodeSecrets implements SecretProvider {
  constructor(private readonly storage: vscode.SecretStorage) {}

  async apiKey(endpointId: string): Promise<string | undefined> {
    const key = await this.storage.get(apiKeySecretName(endpointId));
    return key && key.trim() !== '' ? key : undefined;
  }

  async setApiKey(endpointId: string, key: string): Promise<void> {
    await this.storage.store(apiKeySecretName(endpointId), key.trim());
  }

  async deleteApiKey(endpointId: string): Promise<void> {
    await this.storage.delete(apiKeySecretName(endpointId));
  }
}
