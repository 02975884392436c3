/**
 * Telemetry through @vscode/extension-telemetry, which honours VS Code's telemetry setting. The
 * connection string is `telemetryConnectionString` in package.json; when it is empty no reporter is
 * created at all. VS Code only logs, never sends, the telemetry of an extension under development, so the
 * UI suite checks real payloads with an installed copy whose package.json names a loopback endpoint.
 * Every payload is built by the allow-listing functions of telemetryEvents.ts.
 */
import path from 'node:path';
import type * as vscode from 'vscode';
import type { TelemetryPayload } from './telemetryEvents';
import type * as TelemetryRuntimeModule from './telemetryRuntime';

type TelemetryRuntime = typeof TelemetryRuntimeModule;

/** Loads dist/telemetry.js; the path is computed, so esbuild leaves the SDK out of the extension bundle. */
function loadTelemetryRuntime(): TelemetryRuntime {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a computed path keeps the SDK out of the host bundle
  return require(path.join(__dirname, 'telemetry.js')) as TelemetryRuntime;
}

/** Sends allow-listed events; a no-op when telemetry is not configured. */
export interface Telemetry extends vscode.Disposable {
  readonly enabled: boolean;
  send(event: TelemetryPayload): void;
}

/** The connection string of the extension's package.json (`manifest`), or undefined for none. */
export function telemetryConnectionString(manifest: unknown): string | undefined {
  const value = typeof manifest === 'object' && manifest !== null && 'telemetryConnectionString' in manifest ? manifest.telemetryConnectionString : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Creates the telemetry sender; the reporter library is loaded only when a connection string exists. */
export function createTelemetry(context: vscode.ExtensionContext, log: (message: string) => void): Telemetry {
  const connectionString = telemetryConnectionString(context.extension.packageJSON);
  if (!connectionString) return { enabled: false, send: () => undefined, dispose: () => undefined };
  const { TelemetryReporter } = loadTelemetryRuntime();
  // Node's fetch as the transport: it reaches http and https ingestion endpoints alike (the library's default is https only).
  const reporter = new TelemetryReporter(connectionString, undefined, undefined, (url, init) => fetch(url, init));
  log(`telemetry: reporter created; VS Code's telemetry level for it is ${reporter.telemetryLevel}`);
  return {
    enabled: true,
    send: (event) => reporter.sendTelemetryEvent(event.name, event.properties, event.measurements),
    dispose: () => void reporter.dispose(),
  };
}
