/**
 * The message of an HTTP error body, whatever shape the server gave it: OpenAI's `{error: {message}}`, vLLM's
 * `{error: "…"}` or top-level `{object: "error", message}`, FastAPI's `{detail: "…"}` or `{detail: [{msg}]}`, a proxy's
 * `{message}` or `{msg}`. Users see this text, so it is never the JSON itself.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Longest message taken from a body: a server may put a whole stack trace in it. */
const MAX_MESSAGE_CHARS = 500;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, MAX_MESSAGE_CHARS) : undefined);

/** The text of a FastAPI-style `detail`: a string, or a list of validation errors each with a `msg`. */
function detailText(detail: unknown): string | undefined {
  if (!Array.isArray(detail)) return text(detail);
  const messages = detail.map((d) => (isObject(d) ? text(d.msg) : text(d))).filter((m): m is string => m !== undefined);
  return messages.length > 0 ? messages.join('; ') : undefined;
}

/** The message in one object of a body: its `message`, `detail`, `msg` or `error` when that is a string. */
function ownMessage(o: Json): string | undefined {
  return text(o.message) ?? detailText(o.detail) ?? text(o.msg) ?? text(o.error);
}

/** The message a parsed error body carries; undefined when it names none (a bare `{"code": 502}`). */
export function errorBodyMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return text(body);
  if (!isObject(body)) return undefined;
  return (isObject(body.error) ? ownMessage(body.error) : undefined) ?? ownMessage(body);
}

/** The error object of a body (OpenAI's `error`, else the body itself), for its `code`, `type` and `param`. */
export function errorBodyFields(body: unknown): Json {
  if (!isObject(body)) return {};
  return isObject(body.error) ? body.error : body;
}

/**
 * A JSON error body in OpenAI's shape, which the openai SDK reads its message from: `{error: {message, code, type,
 * param}}`, the message found in `body` (else `fallback`, e.g. the status text). Other shapes would reach users as raw
 * JSON (an `error` object without a message) or as "status code (no body)" (no `error` key at all).
 */
export function openAiErrorBody(body: unknown, fallback: string): { error: Json } {
  const { code, type, param } = errorBodyFields(body);
  const kept = Object.entries({ code, type, param }).filter(([, v]) => typeof v === 'string' || typeof v === 'number');
  return { error: { ...Object.fromEntries(kept), message: errorBodyMessage(body) ?? fallback } };
}
