/**
 * What the server says while the bank cannot route (no bank, no labels, a team bank out of reach): the first K models in
 * the order the config lists them answer every question, which ones, and the remedy. Said at start-up, in each answer's
 * `smcs` field and in the request log.
 */
import type { RouteFallback } from '../core/contracts/priorSource';

/** The remedy, for `smcs serve` and for the extension's local API server alike. */
const PROFILE = 'run `smcs profile` (in VS Code: SMCS: Profile Models) to route by question';

/** Why the first models answer, as the start-up line says it (`bank`) or as one answer does (`question`). */
function reason(fallback: RouteFallback, scope: 'bank' | 'question'): string {
  if (fallback === 'empty-bank') return 'The bank is empty';
  if (fallback === 'bank-unavailable') return 'The team bank cannot be reached (the log says why)';
  return scope === 'bank' ? 'The bank has no label for any configured model' : 'No question like this one in the bank has a label for a configured model';
}

/** "The bank is empty: the first 7 configured models answer (a, b, …); run `smcs profile` … to route by question". */
export function firstModelsNote(fallback: RouteFallback, models: readonly string[], scope: 'bank' | 'question'): string {
  const which = `the first ${models.length} configured ${models.length === 1 ? 'model answers' : 'models answer'} (${models.join(', ')})`;
  return `${reason(fallback, scope)}: ${which}; ${fallback === 'bank-unavailable' ? 'once it answers, the bank routes by question again' : PROFILE}`;
}
