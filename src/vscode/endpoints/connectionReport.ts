/**
 * What SMCS: Test Endpoint Connections says: one short sentence for the notification (VS Code cuts long toasts), and
 * one log line per endpoint with the whole reason. Free of `vscode`.
 */
import { formatQuantity } from '../../presentation/format';

/** How one endpoint answered `GET /models`. */
export type EndpointProbe = { id: string; host: string; ok: true; models: number } | { id: string; host: string; ok: false; reason: string };

/** `local (127.0.0.1:8000)`. */
const named = (p: EndpointProbe): string => (p.host === '' ? p.id : `${p.id} (${p.host})`);

/** Why an endpoint did not answer, in a few words a toast keeps: the key refused (HTTP 401), unreachable, timed out. */
export function shortReason(reason: string): string {
  const status = /\bHTTP (\d{3})\b/.exec(reason)?.[1];
  if (status === '401' || status === '403') return `the key was refused (HTTP ${status})`;
  if (status === '404') return 'no /models there (HTTP 404): check the base URL';
  if (status !== undefined) return `HTTP ${status}`;
  if (/ECONNREFUSED|could not be reached|connection refused/i.test(reason)) return 'nothing listens there';
  if (/ENOTFOUND|EAI_AGAIN/i.test(reason)) return 'its host name is unknown';
  if (/timed? ?out|timeout/i.test(reason)) return 'timed out';
  const [first = ''] = reason.split(/[:;\n]/);
  return first.trim();
}

/** The notification's sentence: every endpoint answers, or which did not and why, in short (the log has the whole reason). */
export function connectionSummary(probes: readonly EndpointProbe[]): string {
  const failed = probes.filter((p): p is Extract<EndpointProbe, { ok: false }> => !p.ok);
  if (probes.length === 0) return 'SMCS: no endpoint is configured.';
  if (failed.length === 0) return probes.length === 1 ? `SMCS: endpoint ${named(probes[0] as EndpointProbe)} answers.` : `SMCS: all ${probes.length} endpoints answer.`;
  const [only] = failed;
  if (failed.length === 1 && only) return `SMCS: endpoint ${named(only)} did not answer: ${shortReason(only.reason)}${probes.length === 2 ? ' (the other did)' : probes.length > 2 ? ` (the other ${probes.length - 1} did)` : ''}.`;
  return `SMCS: ${failed.length} of ${formatQuantity(probes.length, 'endpoint')} did not answer: ${failed.map((p) => `${p.id} (${shortReason(p.reason)})`).join(', ')}.`;
}

/** One log line per endpoint: its models, or the whole reason it did not answer. */
export function connectionLogLines(probes: readonly EndpointProbe[]): string[] {
  return probes.map((p) => (p.ok ? `endpoint ${named(p)}: answers, ${formatQuantity(p.models, 'model')} listed` : `endpoint ${named(p)}: did not answer: ${p.reason}`));
}
