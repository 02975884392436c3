/**
 * The fetch the openai SDK uses: a successful response that is an HTML page (a wrong base URL reaches a web UI or a
 * proxy's page, which answer 200) is refused with HtmlPageError, instead of reaching the SDK's JSON or SSE parsers,
 * which would report a broken stream or an empty reply.
 */

/** What a 2xx response that should have been JSON or an event stream turned out to be: an HTML page. */
export class HtmlPageError extends Error {
  constructor(readonly url: string) {
    super(`${url} answered with an HTML page`);
    this.name = 'HtmlPageError';
  }
}

/** The message for an HTML page where the API was expected (also used for HTML error pages). */
export const HTML_PAGE_MESSAGE = 'the endpoint returned an HTML page, not an API response: is the base URL right, ending in /v1?';

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

/** `fetch`, except that a 2xx HTML page (by content type, or a body that starts with `<`) throws HtmlPageError. */
export async function apiFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const body = response.body;
  if (!response.ok || body === null) return response;
  const url = urlOf(input);
  if (/\b(?:text\/html|application\/xhtml\+xml)\b/i.test(response.headers.get('content-type') ?? '')) {
    await body.cancel();
    throw new HtmlPageError(url);
  }
  return refuseMarkup(response, body, url);
}
