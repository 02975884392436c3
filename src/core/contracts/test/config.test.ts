import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from '../config';
import { DEFAULT_PARAMS } from '../types';

const endpoint = { id: 'local', provider: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1/', models: ['m1', { id: 'm2', alias: 'two' }] };

test('defaults follow the paper and presets set K and n', () => {
  const c = parseConfig({ endpoints: [endpoint] });
  assert.equal(c.k, DEFAULT_PARAMS.k);
  assert.equal(c.nBase, 400);
  assert.equal(c.gamma, 0.95);
  assert.equal(c.endpoints[0]?.baseUrl, 'http://127.0.0.1:8000/v1');
  assert.deepEqual(c.endpoints[0]?.models, [{ id: 'm1' }, { id: 'm2', alias: 'two' }]);
  const fast = parseConfig({ preset: 'fast' });
  assert.deepEqual([fast.k, fast.n], [3, 1]);
  assert.equal(parseConfig({ preset: 'balanced', k: 5 }).k, 5);
});

function field(raw: unknown): string {
  try {
    parseConfig(raw);
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.field;
  }
  assert.fail('expected a ConfigError');
}

test('errors name the field and the endpoint', () => {
  assert.equal(field({ endpoints: [{ ...endpoint, baseUrl: 'not a url' }] }), 'endpoints[local].baseUrl');
  assert.equal(field({ endpoints: [{ ...endpoint, baseUrl: 'http://alice:pa55word@gpu:8000/v1' }] }), 'endpoints[local].baseUrl');
  assert.equal(field({ endpoints: [endpoint, endpoint] }), 'endpoints[local].id');
  assert.equal(field({ endpoints: [{ ...endpoint, models: [] }] }), 'endpoints[local].models');
  assert.equal(field({ endpoints: [{ ...endpoint, apiKey: 'sk-secret' }] }), 'endpoints[local].apiKey');
  assert.equal(field({ endpoints: [{ ...endpoint, provider: 'azure' }] }), 'endpoints[local].provider');
  assert.equal(field({ gamma: 1.5 }), 'gamma');
  assert.equal(field({ k: 2.5 }), 'k');
  assert.equal(field({ preset: 'turbo' }), 'preset');
  assert.equal(field({ embedding: { provider: 'endpoint', model: 'e5' } }), 'embedding.endpoint');
  assert.equal(field({ endpoints: [endpoint], embedding: { provider: 'endpoint', endpoint: 'nope', model: 'e5' } }), 'embedding.endpoint');
});

test('a key in the config is refused without echoing it, saying where a key goes instead', () => {
  assert.throws(
    () => parseConfig({ endpoints: [{ ...endpoint, apiKey: 'sk-secret-123' }] }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.equal(e.field, 'endpoints[local].apiKey');
      assert.ok(!e.message.includes('sk-secret-123'), e.message);
      // Whole, as the user reads it: the redaction of credentials in messages leaves the sentence itself alone.
      assert.equal(e.message, 'endpoints[local].apiKey: an API key never goes in the config: set "apiKeyEnv" to the name of an environment variable (or use SMCS: Set API Key in VS Code)');
      return true;
    },
  );
});

test('unknown or misspelled keys are refused at every level, with a "did you mean"', () => {
  const message = (raw: unknown): string => {
    try {
      parseConfig(raw);
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      return e.message;
    }
    return assert.fail('expected a ConfigError');
  };
  assert.match(message({ frobnicate: 1 }), /^frobnicate: is not a known setting \(known: endpoints, aggregator/);
  assert.match(message({ endpoints: [{ ...endpoint, modelz: ['m'] }] }), /^endpoints\[local\]\.modelz: is not a known setting: did you mean "models"\?/);
  assert.match(message({ embedding: { provider: 'transformers', modle: 'x' } }), /^embedding\.modle: is not a known setting: did you mean "model"\?/);
  assert.match(message({ nbase: 10 }), /did you mean "nBase"/);
  assert.match(message({ endpoints: [{ ...endpoint, models: [{ id: 'm', alais: 'a' }] }] }), /models\[0\]\.alais: .*did you mean "alias"/);
  assert.match(message({ endpoints: [{ ...endpoint, models: [{ id: 'm', price: { prompt: 1, completoin: 2 } }] }] }), /price\.completoin: .*did you mean "completion"/);
  assert.match(message({ endpoints: [endpoint], stragglerMs: 2000 }), /^stragglerMs: was replaced by stragglerFactor: .*0 waits for all/);
  assert.match(message({ endpoints: [endpoint], stragglerFactor: -1 }), /^stragglerFactor: /);
  assert.equal(parseConfig({ endpoints: [endpoint] }).stragglerFactor, 1);
});

test('kDrop must leave at least one reference; the default drop shrinks with a small k', () => {
  assert.equal(field({ k: 3, kDrop: 3 }), 'kDrop');
  assert.throws(() => parseConfig({ k: 2, kDrop: 5 }), /kDrop: must be less than k \(2\), got 5/);
  assert.equal(parseConfig({ k: 3, kDrop: 2 }).kDrop, 2);
  assert.equal(parseConfig({ k: 1 }).kDrop, 0);
  assert.equal(parseConfig({}).kDrop, 1);
});

test('per-model prices (USD per million tokens), the cost ceiling and the profiling budget', () => {
  const c = parseConfig({ endpoints: [{ ...endpoint, models: [{ id: 'm', price: { prompt: 0.15, completion: 0.6 } }] }], maxCostPerQuestion: 0.05, profileMaxTokens: 8192 });
  assert.deepEqual(c.endpoints[0]?.models, [{ id: 'm', price: { prompt: 0.15, completion: 0.6 } }]);
  assert.equal(c.maxCostPerQuestion, 0.05);
  assert.equal(c.profileMaxTokens, 8192);
  const d = parseConfig({});
  assert.equal(d.maxCostPerQuestion, null);
  assert.equal(d.profileMaxTokens, 4096);
  assert.equal(field({ maxCostPerQuestion: 0 }), 'maxCostPerQuestion');
  assert.equal(field({ endpoints: [{ ...endpoint, models: [{ id: 'm', price: { prompt: -1, completion: 0 } }] }] }), 'endpoints[local].models[0].price.prompt');
});

test('a base URL with credentials is refused before any request, saying where the key goes and never quoting it', () => {
  for (const baseUrl of ['http://alice:pa55word@gpu:8000/v1', 'https://tok3n-only@host/v1']) {
    assert.throws(
      () => parseConfig({ endpoints: [{ ...endpoint, baseUrl }] }),
      (err: Error) => {
        assert.match(err.message, /endpoints\[local\]\.baseUrl: carries credentials .* "SMCS: Set API Key" or apiKeyEnv/);
        assert.doesNotMatch(err.message, /pa55word|tok3n-only/);
        return true;
      },
    );
  }
});

test('an endpoint may be marked as a team SMCS server (teamServer), and the mark must be a boolean', () => {
  const endpoint = { id: 'team', provider: 'openai', baseUrl: 'http://team.example:8765/v1', models: ['smcs'] };
  assert.equal(parseConfig({ endpoints: [{ ...endpoint, teamServer: true }] }).endpoints[0]?.teamServer, true);
  assert.equal(parseConfig({ endpoints: [endpoint] }).endpoints[0]?.teamServer, undefined);
  assert.throws(() => parseConfig({ endpoints: [{ ...endpoint, teamServer: 'yes' }] }), /endpoints\[team\]\.teamServer: must be true or false/);
});

test('modelWrittenTests is on by default, can be turned off, and must be a boolean', () => {
  assert.equal(parseConfig({}).modelWrittenTests, true);
  assert.equal(parseConfig({ modelWrittenTests: false }).modelWrittenTests, false);
  assert.throws(() => parseConfig({ modelWrittenTests: 'no' }), /modelWrittenTests: must be true or false, got "no"/);
  assert.throws(() => parseConfig({ modelWritenTests: false }), /did you mean "modelWrittenTests"/);
});

test('priorShrinkage is auto by default, takes a number of questions from 0, and refuses anything else naming the field', () => {
  assert.equal(parseConfig({}).priorShrinkage, 'auto');
  assert.equal(parseConfig({ priorShrinkage: 0 }).priorShrinkage, 0);
  assert.equal(parseConfig({ priorShrinkage: 12.5 }).priorShrinkage, 12.5);
  assert.equal(parseConfig({ priorShrinkage: 'auto' }).priorShrinkage, 'auto');
  for (const bad of [-1, 'none', '8', null, Number.NaN, 2_000_000, true]) {
    assert.throws(
      () => parseConfig({ priorShrinkage: bad }),
      (err: unknown) => err instanceof ConfigError && err.field === 'priorShrinkage' && /must be "auto" \(chosen from the bank\) or a number of questions from 0/.test(err.message),
      JSON.stringify(bad),
    );
  }
});
