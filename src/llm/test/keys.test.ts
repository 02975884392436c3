import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../core/contracts/config';
import { endpointHeaders, OPENROUTER_ATTRIBUTION } from '../headers';
import { NO_KEY, resolveApiKey } from '../keys';
import { redact } from '../../core/util/redact';
import { parsedEndpoint as endpoint } from '../../../test/fixtures/gatewayData';

describe('keys and headers', () => {
  it('prefers the secret provider, then apiKeyEnv; vLLM falls back to EMPTY', async () => {
    const secrets = { apiKey: async (id: string) => (id === 'e' ? 'from-secrets' : undefined) };
    assert.equal(await resolveApiKey(endpoint({ provider: 'openrouter', apiKeyEnv: 'K' }), secrets, { K: 'from-env' }), 'from-secrets');
    assert.equal(await resolveApiKey(endpoint({ provider: 'openrouter', apiKeyEnv: 'K' }), undefined, { K: 'from-env' }), 'from-env');
    assert.equal(await resolveApiKey(endpoint({ provider: 'vllm' }), undefined, {}), NO_KEY);
    assert.equal(await resolveApiKey(endpoint({ provider: 'vllm', apiKeyEnv: 'UNSET' }), undefined, {}), NO_KEY);
  });

  it('registers every key it resolves, so redaction removes it from any text afterwards', async () => {
    const fromEnv = 'env-key-without-a-known-shape-1';
    const fromSecrets = 'stored-key-without-a-known-shape-2';
    assert.equal(redact(`${fromEnv} ${fromSecrets}`), `${fromEnv} ${fromSecrets}`);
    await resolveApiKey(endpoint({ provider: 'openai', apiKeyEnv: 'K' }), undefined, { K: fromEnv });
    await resolveApiKey(endpoint({ provider: 'openai' }), { apiKey: async () => fromSecrets }, {});
    assert.equal(redact(`echoed ${fromEnv} and ${fromSecrets}`), 'echoed [redacted] and [redacted]');
  });

  it('names the endpoint, the field and how to set a missing key', async () => {
    await assert.rejects(
      resolveApiKey(endpoint({ id: 'or', provider: 'openrouter' }), undefined, {}),
      (e: unknown) => e instanceof ConfigError && e.field === 'endpoints[or].apiKeyEnv' && /OPENROUTER_API_KEY/.test(e.message) && /SMCS: Set API Key/.test(e.message),
    );
    await assert.rejects(
      resolveApiKey(endpoint({ id: 'oa', provider: 'openai', apiKeyEnv: 'MY_KEY' }), undefined, { MY_KEY: ' ' }),
      (e: unknown) => e instanceof ConfigError && e.field === 'endpoints[oa].apiKeyEnv' && /MY_KEY is not set/.test(e.message),
    );
  });

  it('adds OpenRouter attribution under configured headers', () => {
    assert.deepEqual(endpointHeaders(endpoint({ provider: 'vllm', headers: { 'X-A': '1' } })), { 'X-A': '1' });
    const h = endpointHeaders(endpoint({ provider: 'openrouter', headers: { 'x-title': 'Mine' } }));
    assert.equal(h['HTTP-Referer'], OPENROUTER_ATTRIBUTION['HTTP-Referer']);
    assert.equal(h['x-title'], 'Mine');
    assert.equal(h['X-Title'], undefined);
  });
});
