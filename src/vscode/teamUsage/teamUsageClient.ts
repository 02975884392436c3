/**
 * Asks a team SMCS server for the spend of the key the editor holds for it (`GET {baseUrl}/smcs/usage`), and words
 * every way that can fail with the endpoint's id and the remedy. Free of `vscode`: the key is handed in, and never
 * appears in a message (registered with core/util/redact before the request, so even a server echoing it is cleaned).
 */
import type { EndpointConfig } from '../../core/contracts/config';
import { errorMessage } from '../../core/contracts/errors';
import type { SecretProvider } from '../../core/contracts/types';
import { cleanMessage, registerSecret } from '../../core/util/redact';
import { readTeamUsage, teamUsageLine, type TeamUsage, type TeamUsageView } from '../../presentation/teamUsage';

/** How long a team server may take to answer before it counts as unreachable (the Bank section waits for it). */
const TEAM_USAGE_TIMEOUT_MS = 5000;

/** A usage report is a few hundred bytes; a reply much larger than this is not one. */
const MOST_BYTES = 256 * 1024;

/** The endpoint as the request needs it: its id for messages, its base URL (ending in `/v1`). */
export interface TeamEndpoint {
  id: string;
  baseUrl: string;
}

/** Why the usage of a team endpoint could not be read; the message names the endpoint and what to do. */
export class TeamUsageError extends Error {
  constructor(
    message: string,
    /** `key`: the server refused the key; `not-team`: the server is not a team SMCS server; `unreachable`: no answer. */
    readonly reason: 'key' | 'not-team' | 'unreachable' | 'server',
  ) {
    super(cleanMessage(message));
    this.name = 'TeamUsageError';
  }
}

/** The message of an OpenAI-shaped error body, when it has one. */
function serverMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    return typeof body.error?.message === 'string' ? body.error.message : undefined;
  } catch {
    return undefined;
  }
}

function refusal(endpoint: TeamEndpoint, url: string, status: number, text: string): TeamUsageError {
  if (status === 401 || status === 403) {
    return new TeamUsageError(`endpoint ${endpoint.id}: the team server refused the key (missing, wrong or revoked): set your team key with SMCS: Set API Key, or ask whoever runs the server for a new one (smcs keys add)`, 'key');
  }
  if (status === 404 || status === 405) {
    return new TeamUsageError(`endpoint ${endpoint.id} keeps no budget or spend for your key: ${url} answered ${status} (only smcs serve --team answers it); if it is not an SMCS server at all, point the endpoint at the team server`, 'not-team');
  }
  const said = serverMessage(text);
  return new TeamUsageError(`endpoint ${endpoint.id}: the team server answered HTTP ${status}${said ? `: ${said}` : ''}`, 'server');
}

/** The usage report of `endpoint` for `key`; throws TeamUsageError. */
export async function fetchTeamUsage(endpoint: TeamEndpoint, key: string | undefined, signal?: AbortSignal): Promise<TeamUsage> {
  const url = `${endpoint.baseUrl.replace(/\/+$/, '')}/smcs/usage`;
  if (key) registerSecret(key);
  let res: Response;
  let text: string;
  try {
    const limit = AbortSignal.timeout(TEAM_USAGE_TIMEOUT_MS);
    res = await fetch(url, { headers: { accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, signal: signal ? AbortSignal.any([signal, limit]) : limit });
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MOST_BYTES) throw new TeamUsageError(`endpoint ${endpoint.id} is not a team SMCS server: ${url} answered with ${length} bytes, not a usage report`, 'not-team');
    text = await res.text();
  } catch (err) {
    if (err instanceof TeamUsageError) throw err;
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    throw new TeamUsageError(`endpoint ${endpoint.id}: the team server at ${url} ${timedOut ? `did not answer within ${TEAM_USAGE_TIMEOUT_MS / 1000} s` : `could not be reached: ${errorMessage(err)}`}`, 'unreachable');
  }
  if (!res.ok) throw refusal(endpoint, url, res.status, text);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const usage = readTeamUsage(body);
  if (!usage) throw new TeamUsageError(`endpoint ${endpoint.id} is not a team SMCS server: ${url} did not answer with a usage report (only smcs serve --team does)`, 'not-team');
  return usage;
}

/** The Bank section's line for each team endpoint: its usage, or why it could not be read. */
export async function teamUsageViews(endpoints: readonly TeamEndpoint[], keyOf: (endpoint: TeamEndpoint) => Promise<string | undefined>): Promise<TeamUsageView[]> {
  return Promise.all(
    endpoints.map(async (endpoint): Promise<TeamUsageView> => {
      try {
        return { endpoint: endpoint.id, text: teamUsageLine(await fetchTeamUsage(endpoint, await keyOf(endpoint))), problem: false };
      } catch (err) {
        return { endpoint: endpoint.id, text: errorMessage(err), problem: true };
      }
    }),
  );
}

/** The endpoints of the settings marked `teamServer`. */
export const teamEndpoints = (endpoints: readonly EndpointConfig[]): EndpointConfig[] => endpoints.filter((e) => e.teamServer === true);

/** The key the editor sends an endpoint: SMCS: Set API Key's, else the `apiKeyEnv` variable's (as the engine finds it). */
export async function endpointKey(secrets: SecretProvider, endpoint: Pick<EndpointConfig, 'id' | 'apiKeyEnv'>, env: Readonly<Record<string, string | undefined>> = process.env): Promise<string | undefined> {
  const stored = await secrets.apiKey(endpoint.id);
  const fromEnv = endpoint.apiKeyEnv === undefined ? undefined : env[endpoint.apiKeyEnv]?.trim();
  return stored ?? (fromEnv || undefined);
}
