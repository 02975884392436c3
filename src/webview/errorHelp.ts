/** What the panel tells a user about a failure of a given kind: a short label, a hint, and the buttons that help. */
import type { EmbedderRemedy, ErrorKind, PanelCommand } from '../shared/protocol';

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

/** The help for a failure of `kind` (unknown kinds, e.g. from an older stored run, get the generic help). */
export function errorHelp(kind: ErrorKind | undefined): ErrorHelp {
  return (kind !== undefined && Object.hasOwn(HELP, kind) ? HELP[kind] : undefined) ?? HELP.internal;
}
