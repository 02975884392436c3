/**
 * SMCS: Test Endpoint Connections: asks every configured endpoint for its models (`GET /models`, with its key), says in
 * one sentence which answered, and logs why the others did not; offered by the panel when an ask failed at an endpoint.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/contracts/errors';
import { loadRuntime } from '../loadRuntime';
import type { Log } from '../log';
import { rawSetting } from '../settings';
import { connectionLogLines, connectionSummary, type EndpointProbe } from './connectionReport';
import type { VscodeSecrets } from './secrets';

/** How long one endpoint may take to list its models before it counts as not answering. */
const PROBE_TIMEOUT_MS = 10_000;

interface EndpointAddress {
  id: string;
  baseUrl: string;
  apiKeyEnv: string | undefined;
}

/** The endpoints of the settings, read leniently (an endpoint with another invalid field can still be tested). */
function configuredAddresses(): EndpointAddress[] {
  const all = rawSetting('endpoints');
  if (!Array.isArray(all)) return [];
  return all.flatMap((e: unknown) => {
    if (typeof e !== 'object' || e === null) return [];
    const { id, baseUrl, apiKeyEnv } = e as Record<string, unknown>;
    return typeof id === 'string' && typeof baseUrl === 'string' ? [{ id, baseUrl, apiKeyEnv: typeof apiKeyEnv === 'string' ? apiKeyEnv : undefined }] : [];
  });
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return '';
  }
}

async function probe(endpoint: EndpointAddress, secrets: VscodeSecrets, cancelled: AbortSignal): Promise<EndpointProbe> {
  const host = hostOf(endpoint.baseUrl);
  const key = (await secrets.apiKey(endpoint.id)) ?? (endpoint.apiKeyEnv === undefined ? undefined : process.env[endpoint.apiKeyEnv]);
  try {
    const models = await loadRuntime().discoverModels(endpoint.baseUrl, key, AbortSignal.any([cancelled, AbortSignal.timeout(PROBE_TIMEOUT_MS)]));
    return { id: endpoint.id, host, ok: true, models: models.length };
  } catch (err) {
    const reason = cancelled.aborted ? 'cancelled' : errorMessage(err);
    return { id: endpoint.id, host, ok: false, reason };
  }
}

/** Tests every endpoint; a failure offers the endpoint settings and the log. */
export async function testEndpointConnections(secrets: VscodeSecrets, log: Log): Promise<void> {
  const endpoints = configuredAddresses();
  const probes = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'SMCS: testing the endpoints…', cancellable: true }, (_progress, token) => {
    const cancel = new AbortController();
    token.onCancellationRequested(() => cancel.abort());
    return Promise.all(endpoints.map((e) => probe(e, secrets, cancel.signal)));
  });
  for (const line of connectionLogLines(probes)) log.info(`test connections: ${line}`);
  const summary = connectionSummary(probes);
  if (probes.every((p) => p.ok) && probes.length > 0) {
    void vscode.window.showInformationMessage(summary);
    return;
  }
  const choice = await vscode.window.showWarningMessage(summary, 'Open Endpoint Settings', 'Show Log');
  if (choice === 'Open Endpoint Settings') await vscode.commands.executeCommand('smcs.openEndpointSettings');
  if (choice === 'Show Log') log.show();
}
