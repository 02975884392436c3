/** What a user is told about a failure of a given kind, in the panel's banner and in `@smcs`'s reply alike: a short label, a hint, and the buttons that help. */
import type { FailedEndpoint } from '../core/contracts/errors';
import { connectionLost, endpointTrouble, retryWait, spentBudgetWords, teamServerAdvice } from './endpointTrouble';
import type { EmbedderRemedy, ErrorKind, PanelCommand } from './protocol';

/** A button of the run's banner: run a host command, or apply a way forward and ask the run's question again. */
export type HelpAction = { command: PanelCommand; label: string } | { remedy: EmbedderRemedy; label: string };

export interface ErrorHelp {
  /** A few words for a chip ("key rejected"). */
  label: string;
  /** One sentence on what to do, for the run's banner. */
  hint: string;
  /** The buttons that help, most useful first. */
  actions: readonly HelpAction[];
}

const SHOW_LOG = [{ command: 'smcs.showLog', label: 'Show Log' }] as const;
const SETTINGS = [{ command: 'smcs.openSettings', label: 'Open Settings' }] as const;

/** The ways forward from an embedding model that cannot be used; each sets the setting and asks again. */
const EMBEDDER_ACTIONS: readonly HelpAction[] = [
  { remedy: 'lexical', label: 'Use the lexical embedder' },
  { remedy: 'local-model', label: 'Choose a local model folder…' },
  { remedy: 'endpoint', label: 'Use an /embeddings endpoint…' },
];

const HELP: Readonly<Record<ErrorKind, ErrorHelp>> = {
  cancelled: { label: 'stopped', hint: 'It was stopped before it finished.', actions: SHOW_LOG },
  timeout: { label: 'timed out', hint: 'The server sent nothing for too long, or the reply took longer than a call may: it may be overloaded, or raise timeoutMs (or maxCallMs) for this endpoint.', actions: SETTINGS },
  connection: { label: 'unreachable', hint: 'The server could not be reached: check that it is running and that the endpoint’s base URL is right.', actions: SETTINGS },
  'rate-limit': { label: 'rate limited', hint: 'The server asked to slow down: wait a moment, or lower maxConcurrency for this endpoint.', actions: SETTINGS },
  quota: { label: 'budget spent', hint: 'Waiting a moment will not help: ask whoever runs the server to raise the budget, or use another endpoint.', actions: SHOW_LOG },
  server: { label: 'server error', hint: 'The server failed while answering; its log may say why.', actions: SHOW_LOG },
  auth: { label: 'key rejected', hint: 'The API key was rejected: set the key for this endpoint again.', actions: [{ command: 'smcs.setApiKey', label: 'Set API Key' }] },
  http: { label: 'refused', hint: 'The server refused the request; the log has its reply.', actions: SHOW_LOG },
  protocol: { label: 'not an API reply', hint: 'The server answered something that is not an OpenAI-compatible API: check the base URL (it usually ends in /v1).', actions: SETTINGS },
  config: { label: 'bad setting', hint: 'A setting is invalid; the message names it.', actions: SETTINGS },
  'too-long': { label: 'too long', hint: 'The question and its context are larger than a chosen model reads: shorten it, or attach less.', actions: SHOW_LOG },
  bank: { label: 'bank problem', hint: 'The question bank could not be used; the log has the details.', actions: SHOW_LOG },
  embedding: {
    label: 'embedding failed',
    hint: 'Choose another way to embed with the buttons below; the question is then asked again.',
    actions: EMBEDDER_ACTIONS,
  },
  mixed: { label: 'failed', hint: 'Several parts failed for different reasons; each is listed.', actions: SHOW_LOG },
  internal: { label: 'failed', hint: 'Something unexpected failed; the log has the details.', actions: SHOW_LOG },
};

const TEST_CONNECTION = { command: 'smcs.testEndpoints', label: 'Test Connection' } as const;
const ENDPOINT_SETTINGS = { command: 'smcs.openEndpointSettings', label: 'Open Endpoint Settings' } as const;
const TRY_ENDPOINT = [TEST_CONNECTION, ENDPOINT_SETTINGS] as const;

/**
 * The help for a failure at named endpoints (the banner's first sentence names them): what to do about that endpoint,
 * with Test Connection and its settings as buttons.
 */
const ENDPOINT_HELP: Readonly<Partial<Record<ErrorKind, ErrorHelp>>> = {
  connection: { label: 'unreachable', hint: 'Check that its server is running and that its base URL in the endpoint settings is right, then retry.', actions: TRY_ENDPOINT },
  timeout: { label: 'timed out', hint: 'It may be overloaded or down: test the connection, or raise its timeoutMs in the endpoint settings.', actions: TRY_ENDPOINT },
  server: { label: 'server error', hint: 'Its server’s log may say why. Retry in a moment, or test the connection.', actions: [TEST_CONNECTION, ENDPOINT_SETTINGS, ...SHOW_LOG] },
  'rate-limit': { label: 'rate limited', hint: 'Wait a moment and retry, or lower its maxConcurrency in the endpoint settings.', actions: [ENDPOINT_SETTINGS] },
  quota: { label: 'budget spent', hint: 'Waiting a moment will not help: ask whoever runs it to raise the budget (or add credit), or use another endpoint.', actions: [ENDPOINT_SETTINGS, ...SHOW_LOG] },
  auth: { label: 'key rejected', hint: 'Set its API key again.', actions: [{ command: 'smcs.setApiKey', label: 'Set API Key' }, TEST_CONNECTION] },
  http: { label: 'refused', hint: 'The details below have its reply.', actions: [...TRY_ENDPOINT, ...SHOW_LOG] },
  protocol: { label: 'not an API reply', hint: 'Check its base URL in the endpoint settings (it usually ends in /v1).', actions: TRY_ENDPOINT },
};

/** A connection lost in the middle of a reply: the server was there and stopped (it crashed or restarted). */
const LOST_HELP: ErrorHelp = { label: 'connection lost', hint: 'Its server stopped while it was answering (it may have crashed or restarted): check that it is running, then retry. What it had sent is counted in the cost.', actions: [TEST_CONNECTION, ...SHOW_LOG] };

/**
 * What follows the words of an SMCS server that was shutting down (`serverStopping`): they say what is counted and to ask
 * again, so nothing is said of a failure, a log or a setting to check, and no button but Retry is offered.
 */
const STOPPED_HINT = 'Whoever runs it shut it down (perhaps to restart it); nothing in your settings needs to change.';

/** The help for a failure of `kind` at the endpoints the banner names (the generic help for kinds that are no endpoint's). */
export function endpointErrorHelp(kind: ErrorKind): ErrorHelp {
  return ENDPOINT_HELP[kind] ?? { ...errorHelp(kind), actions: [...TRY_ENDPOINT, ...errorHelp(kind).actions] };
}

/** A sentence from a phrase: its first letter capitalised, a full stop after it. */
const sentence = (phrase: string): string => `${phrase.charAt(0).toUpperCase()}${phrase.slice(1)}.`;

/** A message without the full stop it may end with: a sentence around it ends it once ("…was declined.." read as a typo). */
const unstopped = (text: string): string => text.replace(/[.\s]+$/, '');

/**
 * The help for a failure at endpoints: what is the team server's to mend in the words `smcs ask` uses too
 * (endpointTrouble teamServerAdvice), a rate limit whose server named its wait with the wait, else by kind.
 */
function helpAt(error: { kind: ErrorKind; endpoints?: readonly FailedEndpoint[]; retryAfterMs?: number }, lost: boolean): ErrorHelp {
  const advice = teamServerAdvice(error);
  const help = lost ? LOST_HELP : endpointErrorHelp(error.kind);
  if (advice !== undefined) return { label: help.label, hint: sentence(advice), actions: SHOW_LOG };
  if (lost) return LOST_HELP;
  if (error.kind === 'rate-limit' && error.retryAfterMs !== undefined) return { ...help, hint: sentence(`${retryWait(error)}, as it asked; if it keeps happening, lower its maxConcurrency in the endpoint settings`) };
  return help;
}

/** The help for a failure of `kind` (unknown kinds, e.g. from an older stored run, get the generic help). */
export function errorHelp(kind: ErrorKind | undefined): ErrorHelp {
  return (kind !== undefined && Object.hasOwn(HELP, kind) ? HELP[kind] : undefined) ?? HELP.internal;
}

/** A failed run as the user is told it: the sentence (which endpoints, what went wrong, what to do), the details, the buttons. */
export interface FailureNotice {
  text: string;
  /** What each call said, or the causes, for a fold under the sentence. */
  details: string[];
  actions: readonly HelpAction[];
}

/** The failure of a run in the panel's banner's words, which `@smcs` uses too. */
export function failureNotice(error: { message: string; kind: ErrorKind; causes: readonly string[]; endpoints?: readonly FailedEndpoint[]; retryAfterMs?: number; serverStopping?: true }): FailureNotice {
  // A stopping server is told in its own words ("the SMCS server stopped … ask again in a moment"), as a sentence.
  if (error.serverStopping) return { text: `${sentence(unstopped(error.message))} ${STOPPED_HINT}`, details: [...error.causes], actions: [] };
  // "connection lost" (llm/classify): the server was reached and answering, then stopped — no base URL to check.
  const lost = connectionLost(error);
  const trouble = endpointTrouble(error.kind, error.endpoints, lost);
  if (trouble !== undefined) {
    // A failure at an endpoint is told by which endpoint and what to do; what each call said folds under it.
    const help = helpAt(error, lost);
    // A spent budget is told in the server's own words: how much, of what budget, and when it resets.
    const said = spentBudgetWords(error);
    return { text: `${trouble}${said === undefined ? '' : `: ${said}`}. ${help.hint}`, details: [error.message, ...error.causes], actions: help.actions };
  }
  const help = errorHelp(error.kind);
  const [only, ...more] = error.causes;
  // One cause reads inline; several (every referencer failing) fold under the message so the hint stays in view.
  if (only !== undefined && more.length === 0) return { text: `${unstopped(error.message)} — ${unstopped(only)}. ${help.hint}`, details: [], actions: help.actions };
  return { text: `${unstopped(error.message)}. ${help.hint}`, details: [...error.causes], actions: help.actions };
}
