/**
 * The telemetry SDK, bundled separately (dist/telemetry.js) and loaded by src/vscode/telemetry/telemetry.ts only when
 * package.json names a connection string, so activation never loads the ~1.3 MB reporter when telemetry is off.
 */
export { TelemetryReporter } from '@vscode/extension-telemetry';
