/**
 * The endpoints an ask's failure names, with their hosts: the pipeline knows endpoints by id only, the engine has the
 * config that says where each one is, so the CLI and the panel can say which server could not be reached.
 */
import type { EndpointConfig } from '../core/contracts/config';
import { errorEndpoint, errorKind, errorMessage, failedEndpoints, type FailedEndpoint } from '../core/contracts/errors';
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

/** `endpoints` with the host of each configured one. */
export function withHosts(endpoints: readonly FailedEndpoint[], configured: readonly EndpointConfig[]): FailedEndpoint[] {
  return endpoints.map((e) => {
    const baseUrl = configured.find((c) => c.id === e.id)?.baseUrl;
    const host = baseUrl === undefined ? undefined : hostOf(baseUrl);
    return host === undefined ? e : { ...e, host };
  });
}

/** The error event for `err`, thrown before the pipeline ran; `message` says what failed when the error does not. */
export function failureEvent(err: unknown, configured: readonly EndpointConfig[], message = errorMessage(err)): ErrorEvent {
  const endpoints = withHosts(failedEndpoints([errorEndpoint(err)]), configured);
  return { type: 'error', message, kind: errorKind(err), causes: [], ...(endpoints.length > 0 ? { endpoints } : {}) };
}

/** A pipeline event with the hosts of the endpoints its failure names. */
export function withFailedHosts(event: PipelineEvent, configured: readonly EndpointConfig[]): PipelineEvent {
  return event.type === 'error' && event.endpoints ? { ...event, endpoints: withHosts(event.endpoints, configured) } : event;
}
