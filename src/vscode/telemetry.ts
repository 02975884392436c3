/**
 * Telemetry through @vscode/extension-telemetry, which honours VS Code's telemetry setting. The
 * connection string is `telemetryConnectionString` in package.json; when it is empty no reporter is
 * created at all. Tests (ExtensionMode.Test only) may point it elsewhere with the environment
 * variable SMCS_TELEMETRY_CONNECTION_STRING, e.g. at a loopback ingestion endpoint.
 * Every payload is built by the allow-listing functions of telemetryEvents.ts.
 */
import * as vscode from 'vscode';
import type { TelemetryPayload } from './telemetryEvents';

/** Sends allow-listed events; a no-op when telemetry is not configured. */
export interface Telemetry extends vscode.Disposable {
  readonly enabled: boolean;
  send(event: TelemetryPayload): void;
}

/** The environment variable that overrides the connection string in ExtensionMode.Test. */
export const TELEMETRY_ENV = 'SMCS_TELEMETRY_CONNECTION_STRING';

/** The connection string to use, or undefined for none. */
export function telemetryConnectionString(context: vscode.ExtensionContext): string | undefined {
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    const fromEnv = process.env[TELEMETRY_ENV];
    if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  }
  const value: unknown = context.extension.packageJSON?.telemetryConnectionString;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Creates the telemetry sender; the reporter library is loaded only when a connection string exists. */
export function createTelemetry(context: vscode.ExtensionContext, log: (message: string) => void): Telemetry {
  const connectionString = telemetryConnectionString(context);
  if (!connectionString) return { enabled: false, send: () => undefined, dispose: () => undefined };
  // Loaded on demand so activation does not pay for the telemetry SDK when it is unused.
  const { TelemetryReporter } = require('@vscode/extension-telemetry') as typeof import('@vscode/extension-telemetry');
  const reporter = new TelemetryReporter(connectionString);
  log('telemetry: reporter created (VS Code telemetry setting applies)');
  return {
    enabled: true,
    send: (event) => reporter.sendTelemetryEvent(event.name, event.properties, event.measurements),
    dispose: () => void reporter.dispose(),
  };
}
