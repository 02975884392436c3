/**
 * Asks a URL whether it is an SMCS server (`GET {baseUrl}/smcs`, engine/serverProtocol ServerAbout) with the key the
 * person was given, and words every other answer as what to do. Free of `vscode`: the key is handed in, registered
 * with core/util/redact first, and never appears in a message.
 */
import { errorMessage } from '../../core/contracts/errors';
import { registerSecret } from '../../core/util/redact';
import type { ServerAbout } from '../../engine/serverProtocol';

/** How long the server may take to say what it is. */
const PROBE_TIMEOUT_MS = 10_000;

/** What the URL turned out to be: an SMCS server, or why it cannot be added, and whether trying again may help. */
export type Probe = { ok: true; about: ServerAbout } | { ok: false; reason: 'key' | 'not-smcs' | 'unreachable'; message: string };

export async function probeTeamServer(baseUrl: string, key: string, signal?: AbortSignal): Promise<Probe> {
  registerSecret(key);
  const url = `${baseUrl.replace(/\/+$/, '')}/smcs`;
  let res: Response;
  let text: string;
  try {
    const limit = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    res = await fetch(url, { headers: { accept: 'application/json', authorization: `Bearer ${key}` }, signal: signal ? AbortSignal.any([signal, limit]) : limit });
    text = await res.text();
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    return { ok: false, reason: 'unreachable', message: `${url} ${timedOut ? `did not answer within ${PROBE_TIMEOUT_MS / 1000} s` : `could not be reached: ${errorMessage(err)}`}. Is the server running, at that host and port?` };
  }
  if (res.status === 401 || res.status === 403) return { ok: false, reason: 'key', message: `${baseUrl} refused the key (HTTP ${res.status}): check it, or ask whoever runs the server for a new one (smcs keys add)` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const about = body as Partial<ServerAbout> | undefined;
  if (!res.ok || about?.object !== 'smcs.server' || typeof about.protocol !== 'number') {
    return { ok: false, reason: 'not-smcs', message: `${baseUrl} is not an SMCS server (${url} answered HTTP ${res.status}${res.ok ? ' with something else' : ''}): point at smcs serve --team, or add an OpenAI-compatible server with Add vLLM Server` };
  }
  return { ok: true, about: { object: 'smcs.server', protocol: about.protocol, team: about.team === true } };
}
