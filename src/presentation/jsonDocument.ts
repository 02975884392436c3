/**
 * The one way JSON for scripts is written — a command's `--json` document, `smcs serve`'s answers and stream chunks:
 * every money field (a number under a key naming USD, such as `costUsd`, `maxCostUsd` or `usdPer1kQuestions`) is
 * rounded by `roundUsd`, so no float noise reaches a script. The values were summed unrounded before; only what is
 * written is rounded.
 */
import { roundUsd } from './format';

const MONEY_KEY = /usd/i;

/** The JSON text of `document` (indented when `indent` is given) with its money rounded. */
export function jsonDocument(document: unknown, indent?: number): string {
  return JSON.stringify(document, (key, value: unknown) => (typeof value === 'number' && MONEY_KEY.test(key) ? roundUsd(value) : value), indent);
}
