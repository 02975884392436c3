/**
 * Removes credentials from text before it reaches a message, a log line, a file or the panel: the API keys this
 * process resolved (registered as they are resolved), bearer and basic tokens, `sk-…` style keys, `key=value`
 * secrets and the user-info part of URLs (`http://user:pass@host`). Pure: no I/O.
 */

import { stripTerminalControls } from './terminalText';

const REDACTED = '[redacted]';

/** Shorter registered strings are ignored: they would blank ordinary words (vLLM's placeholder key is `EMPTY`). */
const MIN_SECRET_LENGTH = 8;

/**
 * The extension host and the engine are separate bundles (dist/extension.js, dist/runtime.js), each with its own
 * copy of this module; the registry lives on globalThis under a registered symbol, so a key the engine resolved is
 * also removed from the host's log and panel messages.
 */
const REGISTRY = Symbol.for('smcs.redact.secrets');

const isStringSet = (v: unknown): v is Set<string> => v instanceof Set && [...v.values()].every((s) => typeof s === 'string');

function registry(): Set<string> {
  const existing: unknown = Reflect.get(globalThis, REGISTRY);
  if (isStringSet(existing)) return existing;
  const created = new Set<string>();
  Reflect.set(globalThis, REGISTRY, created);
  return created;
}

/** Remembers a secret (an API key just resolved) so that every later `redact` removes it. */
export function registerSecret(secret: string): void {
  const value = secret.trim();
  if (value.length >= MIN_SECRET_LENGTH) registry().add(value);
}

/** `scheme://user:pass@` or `scheme://token@`: everything between `//` and `@`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi;
const API_KEY = /\b(?:sk|pk|rk)-(?:or-|proj-|ant-)?[A-Za-z0-9_-]{8,}/g;
const KEY_VALUE =
  /\b((?:x-api-key|api[_-]?key|access[_-]?token|auth[_-]?token|token|secret|password|passwd|InstrumentationKey)["']?\s*[=:]\s*["']?)(?!Bearer\s|Basic\s|\[redacted\])[^\s"',;&]{4,}/gi;
const QUERY_KEY = /([?&](?:key|sig|signature)=)[^&\s#"']+/gi;

/** Only the registered secrets: for model output, which may quote example credentials that are not ours. */
export function redactRegistered(text: string): string {
  let out = text;
  for (const secret of registry()) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** The registered secrets and everything that looks like a credential, replaced by `[redacted]`. */
export function redact(text: string): string {
  return redactRegistered(text)
    .replace(URL_CREDENTIALS, (_m, scheme: string) => `${scheme}${REDACTED}@`)
    .replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(API_KEY, REDACTED)
    .replace(KEY_VALUE, (_m, prefix: string) => `${prefix}${REDACTED}`)
    .replace(QUERY_KEY, (_m, prefix: string) => `${prefix}${REDACTED}`);
}

/**
 * A JSON-serialisable value with the registered secrets removed from every string in it: the value itself when none
 * occurs, else a copy read back through `guard` (undefined if the copy no longer passes it).
 */
export function redactRegisteredJson<T>(value: T, guard: (v: unknown) => v is T): T | undefined {
  const json = JSON.stringify(value);
  const clean = redactRegistered(json);
  if (clean === json) return value;
  const copy: unknown = JSON.parse(clean);
  return guard(copy) ? copy : undefined;
}

/**
 * A message about to be made from text that may quote a server, a file or a URL: credentials redacted and terminal
 * control sequences removed. Every error class of the engine builds its message through this.
 */
export function cleanMessage(text: string): string {
  return redact(stripTerminalControls(text));
}
