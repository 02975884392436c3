/**
 * The fetch the openai SDK and the relay use: a successful response that is an HTML page (a wrong base URL reaches a
 * web UI or a proxy's page, which answer 200) is refused with HtmlPageError, instead of reaching the SDK's JSON or SSE
 * parsers, which would report a broken stream or an empty reply; and no reply is read past its size limits
 * (ReplyTooLargeError), so a hostile or broken server cannot make us buffer without end. A JSON error body of another
 * shape than OpenAI's is rewritten into it (src/llm/errorBody.ts), so the SDK reports its message, never raw JSON.
 */
import { openAiErrorBody } from './errorBody';

/** What a 2xx response that should have been JSON or an event stream turned out to be: an HTML page. */
export class HtmlPageError extends Error {
  constructor(readonly url: string) {
    super(`${url} answered with an HTML page`);
    this.name = 'HtmlPageError';
  }
}

/** The message for an HTML page where the API was expected (also used for HTML error pages). */
export const HTML_PAGE_MESSAGE = 'the endpoint returned an HTML page, not an API response: is the base URL right, ending in /v1?';

/** How much of one reply is read: a JSON document (or an error body) whole, and one line of an event stream. */
export interface ReplyLimits {
  /** Bytes of a reply that is not an event stream (JSON, an error page). */
  replyBytes: number;
  /** Bytes of one line of an event stream (a stream itself may be long: its line is what a parser buffers). */
  lineBytes: number;
}

/** 32 MB: a chat completion is a few hundred KB even with log-probs, and OpenRouter's `/models` about 1 MB. */
export const DEFAULT_MAX_REPLY_BYTES = 32 * 1024 * 1024;

/** 8 MB per line: one chunk of a stream is a token or a few, a whole reply in one chunk is still far below it. */
export const MAX_STREAM_LINE_BYTES = 8 * 1024 * 1024;

export const DEFAULT_REPLY_LIMITS: Readonly<ReplyLimits> = Object.freeze({ replyBytes: DEFAULT_MAX_REPLY_BYTES, lineBytes: MAX_STREAM_LINE_BYTES });

const mb = (bytes: number): string => `${Number((bytes / (1024 * 1024)).toFixed(2))} MB`;

/** A reply (or a line of a stream) larger than SMCS reads. */
export class ReplyTooLargeError extends Error {
  constructor(
    readonly url: string,
    readonly limit: number,
    readonly line: boolean,
  ) {
    super(line ? `the server sent a stream line longer than ${mb(limit)}, which SMCS does not read` : `the reply is larger than ${mb(limit)}, which SMCS does not read (maxReplyBytes)`);
    this.name = 'ReplyTooLargeError';
  }
}

const isEventStream = (contentType: string | null): boolean => /text\/event-stream/i.test(contentType ?? '');

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0xef, 0xbb, 0xbf]);
const LESS_THAN = 0x3c;

const urlOf = (input: string | URL | Request): string => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

/**
 * Reads the body up to its first non-blank byte (the UTF-8 byte-order mark counts as blank) and refuses markup;
 * otherwise hands on a response whose body replays what was read, then the rest.
 */
async function refuseMarkup(response: Response, body: ReadableStream<Uint8Array>, url: string): Promise<Response> {
  const reader = body.getReader();
  const head: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    head.push(value);
    const first = value.find((b) => !WHITESPACE.has(b));
    if (first === undefined) continue;
    if (first === LESS_THAN) {
      await reader.cancel();
      throw new HtmlPageError(url);
    }
    break;
  }
  return replayed(response, head, reader);
}

/**
 * The body read only on demand (no buffer of its own: the socket pauses while nobody reads) and never past the limits:
 * beyond them the server's stream is cancelled and the reader gets ReplyTooLargeError.
 */
function bounded(body: ReadableStream<Uint8Array>, url: string, limits: ReplyLimits, stream: boolean): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let total = 0;
  let line = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        const newline = stream ? value.lastIndexOf(0x0a) : -1;
        line = newline < 0 ? line + value.length : value.length - newline - 1;
        total += value.length;
        const over = stream ? line > limits.lineBytes : total > limits.replyBytes;
        if (!over) return controller.enqueue(value);
        await reader.cancel();
        controller.error(new ReplyTooLargeError(url, stream ? limits.lineBytes : limits.replyBytes, stream));
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Error bodies larger than this are passed on as they are: a message is short, a larger body is a page or a dump. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** A response of `status` whose body replays `head`, then what `reader` still holds. */
function replayed(response: Response, head: readonly Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>): Response {
  const replay = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of head) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(replay, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * An error response whose JSON body is in OpenAI's shape (see errorBody.ts), whatever its content type says (the SDK
 * parses any body that is JSON); other bodies, and large ones, unchanged.
 */
async function inOpenAiShape(response: Response, body: ReadableStream<Uint8Array>): Promise<Response> {
  const reader = body.getReader();
  const head: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    head.push(value);
    size += value.length;
    if (size > MAX_ERROR_BODY_BYTES) return replayed(response, head, reader);
  }
  const text = Buffer.concat(head).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
  const fallback = response.statusText || `HTTP ${response.status} with no message`;
  return new Response(JSON.stringify(openAiErrorBody(parsed, fallback)), { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * `fetch`, except that a 2xx HTML page (by content type, or a body that starts with `<`) throws HtmlPageError, and the
 * body is read within `limits` (error bodies too: a server may answer an endless error page).
 */
export async function apiFetch(input: string | URL | Request, init?: RequestInit, limits: ReplyLimits = DEFAULT_REPLY_LIMITS): Promise<Response> {
  const response = await fetch(input, init);
  const raw = response.body;
  if (raw === null) return response;
  const url = urlOf(input);
  const contentType = response.headers.get('content-type');
  const body = bounded(raw, url, limits, isEventStream(contentType));
  if (!response.ok) return inOpenAiShape(response, body);
  if (/\b(?:text\/html|application\/xhtml\+xml)\b/i.test(contentType ?? '')) {
    await body.cancel();
    throw new HtmlPageError(url);
  }
  return refuseMarkup(response, body, url);
}
