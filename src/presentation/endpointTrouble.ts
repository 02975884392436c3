/**
 * The sentence that names the endpoints an ask failed at and what went wrong with them ("Endpoint local
 * (127.0.0.1:8000) could not be reached"), for the panel's banner and `smcs ask` alike. Never a key: an endpoint is
 * named by its id and host.
 */
import type { ErrorKind, FailedEndpoint } from '../core/contracts/errors';

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
  const what = kind === 'connection' && lostMidReply ? 'lost the connection in the middle of a reply' : (WHAT_WENT_WRONG[kind] ?? 'failed');
  return `${endpoints.length === 1 ? 'Endpoint' : 'Endpoints'} ${listed(endpoints.map(endpointName))} ${what}`;
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
