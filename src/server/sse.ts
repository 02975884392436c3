/** Server-sent events as OpenAI streams them: `data: <json>` events, `: …` comment lines (ignored by clients), `data: [DONE]`. */
import type { ServerResponse } from 'node:http';

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

  data(value: unknown): void {
    this.write(`data: ${JSON.stringify(value)}\n\n`);
  }

  /** Ends the stream as OpenAI does (`data: [DONE]`), or, after an error event, without it. */
  end(done = true): void {
    if (done) this.write('data: [DONE]\n\n');
    if (!this.res.writableEnded) this.res.end();
  }

  write(text: string | Uint8Array): void {
    if (!this.res.writableEnded && !this.res.destroyed) this.res.write(text);
  }
}
