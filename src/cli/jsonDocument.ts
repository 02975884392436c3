/**
 * The one way a command prints its `--json` document: every money field (a number under a key naming USD, such as
 * `costUsd`, `maxCostUsd` or `usdPer1kQuestions`) is rounded by `roundUsd`, so no float noise reaches a script. The
 * values were summed unrounded before; only what is printed is rounded.
 */
import { roundUsd } from '../shared/format';

const MONEY_KEY = /usd/i;

/** The JSON text of `document` (indented when `indent` is given) with its money rounded. */
export function jsonDocument(document: unknown, indent?: number): string {
  return JSON.stringify(document, (key, value: unknown) => (typeof value === 'number' && MONEY_KEY.test(key) ? roundUsd(value) : value), indent);
}
