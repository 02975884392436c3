/**
 * What `smcs ask` prints when an ask failed at an endpoint: which endpoint (id and host, never its key), what to do
 * about it in the config, then what each call said. A server that was shutting down is told in its own words alone.
 */
import type { ErrorKind, FailedEndpoint } from '../core/contracts/errors';
import { connectionLost, endpointTrouble, retryWait, spentBudgetWords, teamServerAdvice } from '../presentation/endpointTrouble';

const REMEDY: Partial<Record<ErrorKind, string>> = {
  connection: 'check that its server is running and that its "baseUrl" in the config is right',
  timeout: 'it may be overloaded or down; raise its "timeoutMs" in the config if it is only slow',
  server: "its server failed; its log may say why; ask again in a moment",
  'rate-limit': 'wait a moment, or lower its "maxConcurrency" in the config',
  quota: 'waiting will not help: ask whoever runs it to raise the budget (or add credit), or use another endpoint',
  auth: 'check the key in the variable its "apiKeyEnv" names',
  protocol: 'check its "baseUrl" in the config (it usually ends in /v1)',
};

/** The config's remedy for a failure of this kind; a rate limit whose server named its wait says the wait first. */
function remedyOf(event: { kind: ErrorKind; retryAfterMs?: number }): string | undefined {
  if (event.kind === 'rate-limit' && event.retryAfterMs !== undefined) return `${retryWait(event)}, as it asked; if it keeps happening, lower its "maxConcurrency" in the config`;
  return REMEDY[event.kind];
}

/**
 * The lines of a failed ask's message: the endpoint's trouble and its remedy first when it was an endpoint's; a
 * stopping server's words (what is counted, ask again in a moment) with no remedy against them, as the panel says them.
 */
export function failureLines(event: { message: string; kind: ErrorKind; causes: readonly string[]; endpoints?: readonly FailedEndpoint[]; retryAfterMs?: number; serverStopping?: true }): string[] {
  const lost = connectionLost(event);
  const trouble = event.serverStopping ? undefined : endpointTrouble(event.kind, event.endpoints, lost);
  if (trouble === undefined) return [event.message, ...event.causes.map((c) => `  ${c}`)];
  // What is the team server's to mend (its endpoints, its limit on the key) is said as the panel and @smcs say it.
  const remedy = teamServerAdvice(event) ?? (lost ? 'its server stopped while it was answering; check that it is running, then ask again' : remedyOf(event));
  // A spent budget is told in the server's own words (how much, of what, when it resets), as the panel tells it.
  const said = spentBudgetWords(event);
  const headline = `${trouble}${said === undefined ? '' : ` (${said})`}${remedy === undefined ? '' : `: ${remedy}`}.`;
  // What the calls said nests under the message it explains.
  return [headline, `  ${event.message}`, ...event.causes.map((c) => `    ${c}`)];
}
