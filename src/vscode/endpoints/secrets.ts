/**
 * API keys (one per endpoint id), team bank passwords (one per bank URL) and the local API server's key in VS Code
 * SecretStorage. None ever goes to settings, logs, telemetry or the webview.
 */
import type * as vscode from 'vscode';
import type { SecretProvider } from '../../core/contracts/types';

/** The SecretStorage key of an endpoint's API key. */
export const apiKeySecretName = (endpointId: string): string => `smcs.apiKey.${endpointId}`;

/** The SecretStorage key of a team bank's password: the bank's URL (which holds no password). */
export const bankPasswordSecretName = (bankUrl: string): string => `smcs.bankPassword.${bankUrl.trim()}`;

/** The SecretStorage key of the bearer key SMCS: Start Local API Server requires. */
export const SERVER_KEY_SECRET = 'smcs.serverKey';

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

  /** The team bank's password, when one was set with SMCS: Set Team Bank Password (else PGPASSWORD or ~/.pgpass apply). */
  async bankPassword(bankUrl: string): Promise<string | undefined> {
    const password = await this.storage.get(bankPasswordSecretName(bankUrl));
    return password === undefined || password === '' ? undefined : password;
  }

  async setBankPassword(bankUrl: string, password: string): Promise<void> {
    await this.storage.store(bankPasswordSecretName(bankUrl), password);
  }

  async deleteBankPassword(bankUrl: string): Promise<void> {
    await this.storage.delete(bankPasswordSecretName(bankUrl));
  }

  /** The local API server's key: the stored one, else `generate()`'s, stored first (so every start uses the same key). */
  async serverKey(generate: () => string): Promise<string> {
    const known = await this.storage.get(SERVER_KEY_SECRET);
    if (known) return known;
    const key = generate();
    await this.storage.store(SERVER_KEY_SECRET, key);
    return key;
  }
}
