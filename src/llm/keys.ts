/**
 * Finds the API key of an endpoint: the secret provider first, then the environment variable named by `apiKeyEnv`.
 * Every key found is registered with core/util/redact, so no message, log line or file shows it afterwards.
 */
import { ConfigError, type EndpointConfig } from '../core/contracts/config';
import { registerSecret } from '../core/util/redact';
import type { SecretProvider } from '../core/contracts/types';

/** The placeholder key vLLM accepts when it runs without `--api-key` (the SDK refuses an empty key). */
export const NO_KEY = 'EMPTY';

function registered(key: string): string {
  registerSecret(key);
  return key;
}

/**
 * Resolves the key to send to an endpoint. vLLM servers without a key get `EMPTY`;
 * `openrouter` and `openai` endpoints must have one, else a ConfigError names the endpoint and how to set it.
 */
export async function resolveApiKey(
  endpoint: EndpointConfig,
  secrets: SecretProvider | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  const fromSecrets = (await secrets?.apiKey(endpoint.id))?.trim();
  if (fromSecrets) return registered(fromSecrets);
  const where = `endpoints[${endpoint.id}]`;
  if (endpoint.apiKeyEnv !== undefined) {
    const fromEnv = env[endpoint.apiKeyEnv]?.trim();
    if (fromEnv) return registered(fromEnv);
    if (endpoint.provider !== 'vllm') {
      throw new ConfigError(
        `${where}.apiKeyEnv`,
        `the environment variable ${endpoint.apiKeyEnv} is not set or empty; endpoint ${endpoint.id} (${endpoint.provider}) needs an API key`,
      );
    }
    return NO_KEY;
  }
  if (endpoint.provider === 'vllm') return NO_KEY;
  const example = endpoint.provider === 'openrouter' ? 'OPENROUTER_API_KEY' : 'OPENAI_API_KEY';
  throw new ConfigError(
    `${where}.apiKeyEnv`,
    `endpoint ${endpoint.id} (provider ${endpoint.provider}) needs an API key: set "apiKeyEnv" to the name of an environment variable that holds it ` +
      `(for example "${example}"), or in VS Code run "SMCS: Set API Key". For a local server without a key use provider "vllm".`,
  );
}
