/**
 * An upstream that answers every chat request with fixed bytes (a stream of tool-call deltas, or a JSON completion
 * with tool_calls) and keeps each request's raw body, so tests can check that a relay changed nothing either way.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ToolUpstream {
  baseUrl: string;
  /** Streamed answers whose last bytes (finish reason, usage, `[DONE]`) are written: with `holdEnd`, only after `release()`. */
  ended: number;
  /** Lets every held stream end. */
  release(): void;
  /** Raw bodies of the chat requests, in arrival order. */
  bodies: string[];
  /** The exact bytes of the streamed answer. */
  streamBytes: string;
  close(): Promise<void>;
}

const CALL = { index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } };

/** A tool-call stream as vLLM and OpenAI send it: the call's id and name, the arguments in pieces, finish `tool_calls`, usage. */
export function toolCallStream(model: string): string {
  const base = { id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1, model };
  const deltas = [
    { role: 'assistant', content: null, tool_calls: [CALL] },
    { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
    { tool_calls: [{ index: 0, function: { arguments: ' "Paris"}' } }] },
  ];
  const events = [
    ...deltas.map((delta) => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] })),
    { ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' }] },
    { ...base, choices: [], usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 } },
  ];
  return `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')}data: [DONE]\n\n`;
}

function toolCallCompletion(model: string): string {
  return JSON.stringify({
    id: 'chatcmpl-up',
    object: 'chat.completion',
    created: 1,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ ...CALL, index: undefined, function: { name: 'get_weather', arguments: '{"city": "Paris"}' } }] }, logprobs: null, finish_reason: 'tool_calls' }],
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  });
}

/**
 * `holdEnd`: a stream sends its tool call's deltas, then waits for `release()` before the finish reason, usage and
 * `[DONE]` (a model still writing after its call is complete).
 */
export async function startToolUpstream(model: string, options: { holdEnd?: boolean } = {}): Promise<ToolUpstream> {
  const bodies: string[] = [];
  const streamBytes = toolCallStream(model);
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  if (!options.holdEnd) release();
  const upstream = { ended: 0 };
  // The call's deltas are the first three events; the rest is the end of the reply.
  const endAt = streamBytes.split('\n\n', 3).join('\n\n').length + 2;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not here"}}');
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      if ((JSON.parse(body) as { stream?: boolean }).stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(streamBytes.slice(0, endAt));
        void released.then(() => {
          upstream.ended += 1;
          res.end(streamBytes.slice(endAt));
        });
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(toolCallCompletion(model));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    bodies,
    streamBytes,
    get ended() {
      return upstream.ended;
    },
    release,
    close: () => {
      release();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
