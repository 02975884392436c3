/**
 * The `--prices FILE` of `smcs eval routing`: `{"<model>": {"prompt": USD per token, "completion": USD per token}}`
 * (the unit OpenRouter's /models lists), checked entry by entry with messages that name the file and the model.
 */
import type { TokenPrice } from '../core/contracts/types';
import { UsageError } from './errors';
import { MB, readUserFile, utf8Text } from '../files/userFile';

/** The largest prices file read: one line per model of every provider is well under a megabyte. */
const MAX_PRICES_BYTES = 16 * MB;

/** Reads and validates a prices file. */
export async function readPricesFile(file: string): Promise<Map<string, TokenPrice>> {
  return parsePrices(utf8Text(await readUserFile(file, { label: `--prices ${file}`, maxBytes: MAX_PRICES_BYTES })), file);
}

/** Parses the prices JSON (`file` names it in messages). */
export function parsePrices(text: string, file: string): Map<string, TokenPrice> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--prices ${file} is not valid JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UsageError(`--prices ${file} must be an object {"<model>": {"prompt": USD per token, "completion": USD per token}}`);
  }
  const prices = new Map<string, TokenPrice>();
  for (const [model, entry] of Object.entries(json as Record<string, unknown>)) {
    const e = typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? (entry as Record<string, unknown>) : undefined;
    const read = (key: 'prompt' | 'completion'): number => {
      const v = e?.[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new UsageError(`--prices ${file}: ${model}.${key} must be a number of USD per token ≥ 0, got ${JSON.stringify(v)}`);
      }
      // Prices per token are tiny; one per million tokens is what providers quote, and a value that large is a unit slip.
      if (v >= 0.01) throw new UsageError(`--prices ${file}: ${model}.${key} is ${v} USD per token — prices here are per token (e.g. 2.5e-6 for $2.50 per million tokens)`);
      return v;
    };
    prices.set(model, { prompt: read('prompt'), completion: read('completion') });
  }
  return prices;
}

/** Each model's price in `models` order; refuses when a model of the bank file has none (naming every such model). */
export function pricesFor(models: readonly string[], prices: ReadonlyMap<string, TokenPrice>, file: string): TokenPrice[] {
  const missing = models.filter((m) => !prices.has(m));
  if (missing.length > 0) {
    const shown = missing.slice(0, 8).join(', ') + (missing.length > 8 ? ` and ${missing.length - 8} more` : '');
    throw new UsageError(`--prices ${file} has no price for ${missing.length} model(s) of the bank file: ${shown} (each model labelled in the file needs one)`);
  }
  return models.map((m) => prices.get(m) as TokenPrice);
}
