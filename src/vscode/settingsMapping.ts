/**
 * Maps VS Code settings (`smcs.*`) to the config object that `parseConfig` validates, and maps a
 * `ConfigError` field back to the setting a user must fix. Pure: the caller supplies the reader.
 */
import { at } from '../core/util/arrays';

/** Every `smcs.*` setting that feeds `parseConfig`, without the `smcs.` prefix, with its config path. */
export const CONFIG_SETTINGS = [
  { setting: 'endpoints', path: ['endpoints'] },
  { setting: 'aggregator', path: ['aggregator'] },
  { setting: 'embedding.provider', path: ['embedding', 'provider'] },
  { setting: 'embedding.model', path: ['embedding', 'model'] },
  { setting: 'embedding.endpoint', path: ['embedding', 'endpoint'] },
  { setting: 'embedding.localModelPath', path: ['embedding', 'localModelPath'] },
  { setting: 'embedding.price', path: ['embedding', 'price'] },
  { setting: 'bank', path: ['bank'] },
  { setting: 'preset', path: ['preset'] },
  { setting: 'k', path: ['k'] },
  { setting: 'nBase', path: ['nBase'] },
  { setting: 'gamma', path: ['gamma'] },
  { setting: 'kDrop', path: ['kDrop'] },
  { setting: 'n', path: ['n'] },
  { setting: 'lambda', path: ['lambda'] },
  { setting: 'temperature', path: ['temperature'] },
  { setting: 'maxTokens', path: ['maxTokens'] },
  { setting: 'presencePenalty', path: ['presencePenalty'] },
  { setting: 'seed', path: ['seed'] },
  { setting: 'stragglerFactor', path: ['stragglerFactor'] },
  { setting: 'maxCostPerQuestion', path: ['maxCostPerQuestion'] },
  { setting: 'routing', path: ['routing'] },
  { setting: 'costWeight', path: ['costWeight'] },
  { setting: 'agreementShortcut', path: ['agreementShortcut'] },
  { setting: 'priorShrinkage', path: ['priorShrinkage'] },
  { setting: 'profileMaxTokens', path: ['profileMaxTokens'] },
  { setting: 'modelWrittenTests', path: ['modelWrittenTests'] },
  { setting: 'userName', path: ['userName'] },
] as const satisfies readonly { setting: string; path: readonly string[] }[];

/** Every `smcs.*` setting the engine's config reads, without the prefix. */
export type ConfigSettingKey = (typeof CONFIG_SETTINGS)[number]['setting'];

/**
 * The `smcs.*` settings the host reads itself (the engine's come through `parseConfig`), with the defaults
 * `package.json` declares for them (`src/vscode/test/settingsMapping.test.ts` holds the two equal).
 */
export const HOST_SETTINGS = {
  learnFromChoices: true,
  strictImport: false,
  'context.currentFile': true,
  'server.port': 8765,
  'server.learnFromChecks': true,
} as const satisfies Record<string, boolean | number | string>;

export type HostSettings = { -readonly [K in keyof typeof HOST_SETTINGS]: (typeof HOST_SETTINGS)[K] extends boolean ? boolean : (typeof HOST_SETTINGS)[K] extends number ? number : string };

/** Settings whose empty string means "not set" (the setting's default in the manifest is ""). */
const EMPTY_MEANS_UNSET = new Set(['aggregator', 'bank', 'embedding.model', 'embedding.endpoint', 'embedding.localModelPath', 'userName']);

/**
 * Builds the raw config object from settings. `readExplicit(key)` returns the value the user set
 * (user, workspace or folder scope) or undefined when only the manifest default applies, so that an
 * unset `smcs.k` lets `smcs.preset` decide while an explicit `smcs.k` overrides the preset.
 */
export function settingsToConfigInput(readExplicit: (setting: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { setting, path } of CONFIG_SETTINGS) {
    const value = readExplicit(setting);
    if (value === undefined) continue;
    if (EMPTY_MEANS_UNSET.has(setting) && typeof value === 'string' && value.trim() === '') continue;
    let target = out;
    for (const key of path.slice(0, -1)) {
      const child = target[key];
      if (typeof child === 'object' && child !== null) target = child as Record<string, unknown>;
      else target = target[key] = {};
    }
    target[at(path, path.length - 1)] = value;
  }
  return out;
}

/** The full setting id (`smcs.…`) to open for a `ConfigError.field` such as `endpoints[local].baseUrl` or `embedding.model`. */
export function settingForConfigField(field: string): string {
  const [head = ''] = field.split('[');
  if (head.startsWith('embedding.')) {
    const known = CONFIG_SETTINGS.find((s) => s.setting === head);
    return `smcs.${known ? known.setting : 'embedding.provider'}`;
  }
  const top = head.split('.')[0];
  const known = CONFIG_SETTINGS.find((s) => s.setting === top);
  return known ? `smcs.${known.setting}` : 'smcs';
}
