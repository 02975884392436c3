/** Removes anything that looks like a credential from a log line. Pure. */

const API_KEY = /\b(?:sk|pk|rk)-(?:or-|proj-|ant-)?[A-Za-z0-9_-]{8,}/g;
const AUTH_HEADER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi;
const KEY_VALUE = /\b((?:api[_-]?key|authorization|token|secret|password|InstrumentationKey)\s*[=:]\s*)["']?[^\s"',;]{4,}/gi;

/** Replaces API keys, bearer tokens and `key=value` secrets with `[redacted]`; `known` are exact secrets to remove too. */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const secret of known) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  out = out.replace(API_KEY, '[redacted]');
  out = out.replace(AUTH_HEADER, (_m, scheme: string) => `${scheme} [redacted]`);
  out = out.replace(KEY_VALUE, (_m, prefix: string) => `${prefix}[redacted]`);
  return out;
}
