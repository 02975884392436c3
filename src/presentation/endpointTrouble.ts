/**
 * The sentence that names the endpoints an ask failed at and what went wrong with them ("Endpoint local
 * (127.0.0.1:8000) could not be reached"), for the panel's banner and `smcs ask` alike. Never a key: an endpoint is
 * named by its id and host.
 */
import type { ErrorKind, FailedEndpoint } from '../core/contracts/errors';
import { formatCountdown } from './format';

const WHAT_WENT_WRONG: Partial<Record<ErrorKind, string>> = {
  connection: 'could not be reached',
  timeout: 'did not answer in time',
  server: 'failed while answering (a server error)',
  'rate-limit': 'asked to slow down (rate limited)',
  quota: 'refused: the budget is spent',
  auth: 'rejected the API key',
  http: 'refused the request',
  protocol: 'did not answer as an OpenAI-compatible API',
  embedding: 'could not embed the question',
};

/** `local (127.0.0.1:8000)`, or the id alone when the host is not known. */
export const endpointName = (e: FailedEndpoint): string => (e.host === undefined ? e.id : `${e.id} (${e.host})`);

/** `a`, `a and b`, `a, b and c`. */
function listed(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

/** Whether a failure is a connection lost in the middle of a reply (llm/classify's "connection lost"): the server was reached, then stopped. */
export function connectionLost(error: { kind: ErrorKind; message: string; causes: readonly string[] }): boolean {
  return error.kind === 'connection' && [error.message, ...error.causes].some((m) => /connection lost/.test(m));
}

/**
 * What went wrong at the endpoints of a failure of `kind`, as a sentence without a full stop; undefined without
 * endpoints. `lostMidReply`: the connection broke after the reply had begun — the server was reached, and stopped.
 */
export function endpointTrouble(kind: ErrorKind, endpoints: readonly FailedEndpoint[] | undefined, lostMidReply = false): string | undefined {
  if (endpoints === undefined || endpoints.length === 0) return undefined;
  const server = teamServerBehind(endpoints);
  if (server !== undefined) {
    // A team server's own endpoints: named by the ids the server gave, never a host (that is the server's config).
    const ids = `${endpoints.length === 1 ? 'its model endpoint' : 'its model endpoints'} ${listed(endpoints.map((e) => e.id))}`;
    if (kind === 'connection') return `The team server ${endpointName(server)} ${lostMidReply ? `lost the connection to ${ids} in the middle of a reply` : `could not reach ${ids}`}`;
    return `The team server ${endpointName(server)} failed at ${ids}, which ${WHAT_WENT_WRONG[kind] ?? 'failed'}`;
  }
  const what = kind === 'connection' && lostMidReply ? 'lost the connection in the middle of a reply' : (WHAT_WENT_WRONG[kind] ?? 'failed');
  return `${endpoints.length === 1 ? 'Endpoint' : 'Endpoints'} ${listed(endpoints.map(endpointName))} ${what}`;
}

/** The team server every one of `endpoints` is behind (they are its own endpoints); undefined when any is not. */
function teamServerBehind(endpoints: readonly FailedEndpoint[]): { id: string; host?: string } | undefined {
  const [first] = endpoints;
  const server = first?.behind;
  return server !== undefined && endpoints.every((e) => e.behind?.id === server.id) ? server : undefined;
}

/** A failure as the advice below reads it. */
interface Trouble {
  kind: ErrorKind;
  endpoints?: readonly FailedEndpoint[];
  retryAfterMs?: number;
}

/** "try again in 35 s" (the server's Retry-After; seconds up to two minutes), or "try again in a moment" when it named no wait. */
export function retryWait(error: Pick<Trouble, 'retryAfterMs'>): string {
  if (error.retryAfterMs === undefined) return 'try again in a moment';
  const seconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
  return `try again in ${seconds <= 120 ? `${seconds} s` : formatCountdown(error.retryAfterMs)}`;
}

/** Kinds of trouble at a team server's own endpoint that may pass by themselves. */
const PASSING: ReadonlySet<ErrorKind> = new Set(['timeout', 'server', 'rate-limit']);

/**
 * What a member of a team server is told to do about a failure that is the team server's to mend, in the same words in
 * `smcs ask`, the panel's headline and `@smcs` (a phrase without a capital or a full stop): one of the server's own
 * endpoints (its admin must fix it; the member's config has no such endpoint), or the server's limit on the member's
 * key (the server's wait, and who sets the limit). Undefined for any other failure: the front end's own advice stands.
 */
export function teamServerAdvice(error: Trouble): string | undefined {
  const endpoints = error.endpoints ?? [];
  if (endpoints.length === 0) return undefined;
  if (teamServerBehind(endpoints) !== undefined) {
    const mend = `its admin must fix it (${endpoints.length === 1 ? 'that endpoint is' : 'those endpoints are'} in the team server's config, not in yours)`;
    return PASSING.has(error.kind) ? `ask again in a moment; if it goes on, ${mend}` : mend;
  }
  if (error.kind === 'rate-limit' && endpoints.every((e) => e.teamServer === true)) {
    return `${retryWait(error)}; the team server's admin limits your key's request rate, and nothing in your settings changes it`;
  }
  return undefined;
}

/**
 * The server's own words in a spent budget's message (llm/classify writes "the budget is spent (HTTP 429
 * insufficient_quota): <its words>"): "the budget of tiny is $0.0001 per day: $0.0035 spent; it resets at …", for a
 * headline that says the budget; undefined in any other message.
 */
function quotaWords(message: string): string | undefined {
  const words = /the budget is spent \(HTTP [^)]*\): (.+)$/s.exec(message)?.[1]?.trim();
  return words === undefined || words === '' || words === 'no message' ? undefined : words.replace(/[.\s]+$/, '');
}

/** A failure's spent-budget words (`quotaWords`), from its message or the first of its causes that has them; undefined for any other kind. */
export function spentBudgetWords(error: { kind: ErrorKind; message: string; causes: readonly string[] }): string | undefined {
  return error.kind === 'quota' ? [error.message, ...error.causes].map(quotaWords).find((w) => w !== undefined) : undefined;
}
