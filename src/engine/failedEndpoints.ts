/**
 * The endpoints an ask's failure names, with their hosts: the pipeline knows endpoints by id only, the engine has the
 * config that says where each one is, so the CLI and the panel can say which server could not be reached.
 */
import type { EndpointConfig } from '../core/contracts/config';
import { errorEndpoint, errorKind, errorMessage, errorRetryAfter, failedEndpoints, type FailedEndpoint } from '../core/contracts/errors';
import type { PipelineEvent } from '../core/contracts/events';

type ErrorEvent = Extract<PipelineEvent, { type: 'error' }>;

/** `host:port` of a base URL (never its credentials or path); undefined when it is not a URL. */
function hostOf(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).host || undefined;
  } catch {
    return undefined;
  }
}

/** `endpoints` with the host of each configured one, and whether it is a team server. */
export function withHosts(endpoints: readonly FailedEndpoint[], configured: readonly EndpointConfig[]): FailedEndpoint[] {
  return endpoints.map((e) => {
    const config = configured.find((c) => c.id === e.id);
    const host = config === undefined ? undefined : hostOf(config.baseUrl);
    return { ...e, ...(host === undefined ? {} : { host }), ...(config?.teamServer === true ? { teamServer: true } : {}) };
  });
}

/**
 * The error event for `err`, thrown before the pipeline ran; `message` says what failed when the error does not. The
 * wait its server asked for (Retry-After) goes with it.
 */
export function failureEvent(err: unknown, configured: readonly EndpointConfig[], message = errorMessage(err)): ErrorEvent {
  const endpoints = withHosts(failedEndpoints([errorEndpoint(err)]), configured);
  const retryAfterMs = errorRetryAfter(err);
  return { type: 'error', message, kind: errorKind(err), causes: [], ...(endpoints.length > 0 ? { endpoints } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/**
 * An error event of a team server's run, as its member reads it: the endpoints it names are the server's own (its
 * config's, not the member's), so each is marked as behind `server` and loses its host; only the server's admin can
 * mend them.
 */
export function behindTeamServer(event: ErrorEvent, server: EndpointConfig): ErrorEvent {
  if (!event.endpoints || event.endpoints.length === 0) return event;
  const host = hostOf(server.baseUrl);
  const behind = { id: server.id, ...(host === undefined ? {} : { host }) };
  return { ...event, endpoints: event.endpoints.map((e) => ({ id: e.id, behind })) };
}

/** A pipeline event with the hosts of the endpoints its failure names. */
export function withFailedHosts(event: PipelineEvent, configured: readonly EndpointConfig[]): PipelineEvent {
  return event.type === 'error' && event.endpoints ? { ...event, endpoints: withHosts(event.endpoints, configured) } : event;
}
