/** Server-sent events as OpenAI streams them: `data: <json>` events, `: …` comment lines (ignored by clients), `data: [DONE]`. */
import type { ServerResponse } from 'node:http';
import { jsonDocument } from '../presentation/jsonDocument';

/**
 * Writes `bytes` and resolves once the socket takes more: at once, or when it drains, or when the client is gone (then
 * the request's abort ends the work). What a client that does not read leaves in our buffers is one piece at a time.
 */
export function writeWhenReady(res: ServerResponse, bytes: string | Uint8Array): Promise<void> {
  if (res.writableEnded || res.destroyed || res.write(bytes)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

export class SseStream {
  constructor(private readonly res: ServerResponse) {}

  /** Sends the headers now, so comments can keep the connection alive before the first chunk. */
  open(headers: Readonly<Record<string, string>> = {}): void {
    this.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no', ...headers });
    this.res.flushHeaders();
  }

  /** A comment line: clients ignore it, proxies and idle timers see traffic. */
  comment(text: string): void {
    this.write(`: ${text.replace(/[\r\n]+/g, ' ')}\n\n`);
  }

  /** A `data:` event of `value` as JSON, its money rounded as every JSON document's is (presentation/jsonDocument). */
  data(value: unknown): void {
    this.write(`data: ${jsonDocument(value)}\n\n`);
  }

  /** Ends the stream as OpenAI does (`data: [DONE]`), or, after an error event, without it. */
  end(done = true): void {
    if (done) this.write('data: [DONE]\n\n');
    if (!this.res.writableEnded) this.res.end();
  }

  /** Relayed bytes, no faster than the client reads them (see writeWhenReady). */
  send(bytes: Uint8Array): Promise<void> {
    return writeWhenReady(this.res, bytes);
  }

  write(text: string | Uint8Array): void {
    if (!this.res.writableEnded && !this.res.destroyed) this.res.write(text);
  }
}
