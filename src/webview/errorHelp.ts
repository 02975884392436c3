/** What the panel tells a user about a failure of a given kind: a short label, a hint, and the command that helps. */
import type { ErrorKind, PanelCommand } from '../shared/protocol';

export interface ErrorHelp {
  /** A few words for a chip ("key rejected"). */
  label: string;
  /** One sentence on what to do, for the run's banner. */
  hint: string;
  /** The command that helps, with its button label. */
  action: { command: PanelCommand; label: string };
}

const SHOW_LOG = { command: 'smcs.showLog', label: 'Show Log' } as const;
const SETTINGS = { command: 'smcs.openSettings', label: 'Open Settings' } as const;

const HELP: Readonly<Record<ErrorKind, ErrorHelp>> = {
  cancelled: { label: 'stopped', hint: 'It was stopped before it finished.', action: SHOW_LOG },
  timeout: { label: 'timed out', hint: 'The server sent nothing for too long: it may be overloaded, or raise timeoutMs for this endpoint.', action: SETTINGS },
  connection: { label: 'unreachable', hint: 'The server could not be reached: check that it is running and that the endpoint’s base URL is right.', action: SETTINGS },
  'rate-limit': { label: 'rate limited', hint: 'The server asked to slow down: wait a moment, or lower maxConcurrency for this endpoint.', action: SETTINGS },
  server: { label: 'server error', hint: 'The server failed while answering; its log may say why.', action: SHOW_LOG },
  auth: { label: 'key rejected', hint: 'The API key was rejected: set the key for this endpoint again.', action: { command: 'smcs.setApiKey', label: 'Set API Key' } },
  http: { label: 'refused', hint: 'The server refused the request; the log has its reply.', action: SHOW_LOG },
  protocol: { label: 'not an API reply', hint: 'The server answered something that is not an OpenAI-compatible API: check the base URL (it usually ends in /v1).', action: SETTINGS },
  config: { label: 'bad setting', hint: 'A setting is invalid; the message names it.', action: SETTINGS },
  bank: { label: 'bank problem', hint: 'The question bank could not be used; the log has the details.', action: SHOW_LOG },
  embedding: { label: 'embedding failed', hint: 'The embedding model could not be used: choose another embedding provider or model in the settings.', action: SETTINGS },
  mixed: { label: 'failed', hint: 'Several parts failed for different reasons; each is listed.', action: SHOW_LOG },
  internal: { label: 'failed', hint: 'Something unexpected failed; the log has the details.', action: SHOW_LOG },
};

/** The help for a failure of `kind` (unknown kinds, e.g. from an older stored run, get the generic help). */
export function errorHelp(kind: ErrorKind | undefined): ErrorHelp {
  return (kind !== undefined && Object.hasOwn(HELP, kind) ? HELP[kind] : undefined) ?? HELP.internal;
}
