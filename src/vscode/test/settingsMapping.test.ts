import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigError, parseConfig } from '../../core/contracts/config';
import { DEFAULT_PARAMS, PRESETS } from '../../core/contracts/types';
import { CONFIG_SETTINGS, HOST_SETTINGS, settingForConfigField, settingsToConfigInput } from '../settingsMapping';
import { REPO } from '../../../test/fixtures/repo';

interface SettingSchema {
  type?: string | string[];
  items?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: string[];
  enumDescriptions?: string[];
  markdownDescription?: string;
  description?: string;
  order?: number;
}

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
};
const schema = pkg.contributes.configuration.properties;

/** Parses settings as VS Code would hand them over (only explicitly set values). */
const configFrom = (settings: Record<string, unknown>) => parseConfig(settingsToConfigInput((key) => settings[key]));

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

test('no settings give the paper defaults', () => {
  const config = configFrom({});
  for (const [key, value] of Object.entries(DEFAULT_PARAMS)) assert.equal(config[key as keyof typeof DEFAULT_PARAMS], value, key);
  assert.deepEqual(config.endpoints, []);
  assert.equal(config.aggregator, 'auto');
  assert.equal(config.bank, undefined);
});

test('nested embedding settings and endpoints map to the config object; empty strings mean unset', () => {
  const config = configFrom({
    endpoints: [{ id: 'local', provider: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1/', models: ['a', { id: 'b', alias: 'B' }] }],
    'embedding.provider': 'endpoint',
    'embedding.endpoint': 'local',
    'embedding.model': 'e5',
    'embedding.localModelPath': '',
    bank: '',
    aggregator: '',
    k: 3,
    stragglerFactor: 0.5,
  });
  assert.equal(config.endpoints[0]?.baseUrl, 'http://127.0.0.1:8000/v1');
  assert.deepEqual(config.endpoints[0]?.models, [{ id: 'a' }, { id: 'b', alias: 'B' }]);
  assert.deepEqual(config.embedding, { provider: 'endpoint', endpoint: 'local', model: 'e5' });
  assert.equal(config.bank, undefined);
  assert.equal(config.aggregator, 'auto');
  assert.equal(config.k, 3);
  assert.equal(config.stragglerFactor, 0.5);
});

test('a preset applies unless k or n are set explicitly', () => {
  assert.deepEqual([configFrom({ preset: 'fast' }).k, configFrom({ preset: 'fast' }).n], [PRESETS.fast.k, PRESETS.fast.n]);
  const mixed = configFrom({ preset: 'fast', n: 5 });
  assert.deepEqual([mixed.k, mixed.n], [PRESETS.fast.k, 5]);
});

test('config errors map back to the setting to open', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ endpoints: [{ id: 'x', baseUrl: 'ftp://h' }] }, 'smcs.endpoints'],
    [{ endpoints: [{ id: 'x', baseUrl: 'http://h', apiKey: 'sk-123' }] }, 'smcs.endpoints'],
    [{ k: 0 }, 'smcs.k'],
    [{ gamma: 2 }, 'smcs.gamma'],
    [{ preset: 'turbo' }, 'smcs.preset'],
    [{ 'embedding.provider': 'endpoint' }, 'smcs.embedding.endpoint'],
    [{ 'embedding.provider': 'endpoint', 'embedding.endpoint': 'x', endpoints: [{ id: 'x', baseUrl: 'http://h' }] }, 'smcs.embedding.model'],
    [{ stragglerFactor: -1 }, 'smcs.stragglerFactor'],
  ];
  for (const [settings, setting] of cases) {
    const err = errorOf(() => configFrom(settings));
    assert.equal(settingForConfigField(err.field), setting, `${JSON.stringify(settings)} → ${err.field}`);
  }
  assert.equal(settingForConfigField('(root)'), 'smcs');
});

test('package.json declares every setting with a description, an order, and defaults equal to the engine defaults', () => {
  for (const { setting } of CONFIG_SETTINGS) {
    const s = schema[`smcs.${setting}`];
    assert.ok(s, `smcs.${setting} is not contributed`);
    assert.ok(s.markdownDescription ?? s.description, `smcs.${setting} has no description`);
    assert.equal(typeof s.order, 'number', `smcs.${setting} has no order`);
  }
  // The host's own settings: what settings.ts falls back to is what the manifest declares.
  for (const [key, value] of Object.entries(HOST_SETTINGS)) {
    assert.ok(schema[`smcs.${key}`], `smcs.${key} is not contributed`);
    assert.equal(schema[`smcs.${key}`]?.default, value, `default of smcs.${key}`);
  }
  for (const [key, value] of Object.entries(DEFAULT_PARAMS)) {
    assert.equal(schema[`smcs.${key}`]?.default, value, `default of smcs.${key}`);
  }
  assert.deepEqual(schema['smcs.preset']?.enum, Object.keys(PRESETS));
  assert.equal(schema['smcs.preset']?.enumDescriptions?.length, Object.keys(PRESETS).length);
});

test('the manifest ranges agree with parseConfig: the bounds are accepted, one step beyond is rejected', () => {
  for (const key of ['k', 'n', 'kDrop', 'nBase', 'gamma', 'lambda', 'temperature', 'maxTokens', 'presencePenalty', 'seed', 'profileMaxTokens']) {
    const s = schema[`smcs.${key}`];
    // kDrop must stay below k: try its range with the largest k.
    const configWith = (values: Record<string, unknown>) => configFrom(key === 'kDrop' ? { k: 64, ...values } : values);
    assert.ok(s, `smcs.${key} is not contributed`);
    assert.equal(typeof s.minimum, 'number', `smcs.${key} minimum`);
    assert.equal(typeof s.maximum, 'number', `smcs.${key} maximum`);
    const step = s.type === 'integer' ? 1 : 0.5;
    assert.doesNotThrow(() => configWith({ [key]: s.minimum }), `smcs.${key} = minimum`);
    assert.doesNotThrow(() => configWith({ [key]: s.maximum }), `smcs.${key} = maximum`);
    assert.throws(() => configWith({ [key]: (s.minimum as number) - step }), ConfigError, `smcs.${key} below minimum`);
    assert.throws(() => configWith({ [key]: (s.maximum as number) + step }), ConfigError, `smcs.${key} above maximum`);
  }
});

test('every object in the settings schema refuses unknown properties, as the CLI config does', () => {
  const endpoint = schema['smcs.endpoints']?.items as { additionalProperties?: unknown; properties: Record<string, { items?: { anyOf?: Array<Record<string, unknown>> } }> };
  assert.equal(endpoint.additionalProperties, false);
  const model = endpoint.properties.models?.items?.anyOf?.find((m) => m.type === 'object') as { additionalProperties?: unknown; properties: Record<string, { additionalProperties?: unknown }> };
  assert.equal(model.additionalProperties, false);
  assert.equal(model.properties.price?.additionalProperties, false);
  assert.throws(() => configFrom({ endpoints: [{ id: 'e', baseUrl: 'http://h/v1', modelz: ['m'] }] }), /endpoints\[e\]\.modelz: is not a known setting: did you mean "models"\?/);
});

test("the Settings editor's baseUrl pattern accepts and refuses the URLs the config accepts and refuses", () => {
  const endpoint = schema['smcs.endpoints']?.items as { properties: Record<string, { pattern?: string }> };
  const pattern = new RegExp(endpoint.properties.baseUrl?.pattern ?? 'missing');
  const accepted = (baseUrl: string): boolean => {
    try {
      configFrom({ endpoints: [{ id: 'e', baseUrl, models: ['m'] }] });
      return true;
    } catch (err) {
      if (err instanceof ConfigError) return false;
      throw err;
    }
  };
  const urls = ['http://127.0.0.1:8000/v1', 'https://openrouter.ai/api/v1', 'http://[::1]:8000', 'http://gpu/proxy/@team/v1', 'http://alice:pw@gpu:8000/v1', 'https://token@host/v1', 'ftp://host/v1'];
  for (const url of urls) assert.equal(pattern.test(url), accepted(url), url);
  assert.deepEqual(urls.filter((u) => !pattern.test(u)), ['http://alice:pw@gpu:8000/v1', 'https://token@host/v1', 'ftp://host/v1']);
});

test('smcs.modelWrittenTests is contributed with the config default and reaches the config', () => {
  assert.equal(schema['smcs.modelWrittenTests']?.default, parseConfig({}).modelWrittenTests);
  assert.equal(configFrom({ modelWrittenTests: false }).modelWrittenTests, false);
});

test('smcs.priorShrinkage is contributed as "auto" or a number in the config\'s range, reaches the config, and its errors open it', () => {
  const s = schema['smcs.priorShrinkage'] as SettingSchema & { anyOf?: { enum?: string[]; minimum?: number; maximum?: number }[] };
  assert.equal(s.default, parseConfig({}).priorShrinkage);
  assert.deepEqual(s.anyOf?.[0]?.enum, ['auto']);
  assert.doesNotThrow(() => configFrom({ priorShrinkage: s.anyOf?.[1]?.minimum }));
  assert.doesNotThrow(() => configFrom({ priorShrinkage: s.anyOf?.[1]?.maximum }));
  assert.throws(() => configFrom({ priorShrinkage: (s.anyOf?.[1]?.maximum ?? 0) + 1 }), ConfigError);
  assert.equal(configFrom({ priorShrinkage: 16 }).priorShrinkage, 16);
  assert.equal(settingForConfigField(errorOf(() => configFrom({ priorShrinkage: -1 })).field), 'smcs.priorShrinkage');
});
