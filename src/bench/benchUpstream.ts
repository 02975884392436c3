/**
 * The loopback OpenAI-compatible upstream of `smcs bench` (real HTTP via node:http, real SSE): models that answer a set
 * reply after a set latency, with log-probs and usage, and a record of when each request came and finished.
 *
 * Serves `GET /v1/models` and `POST /v1/chat/completions` (streaming and not). The tests' fault rig
 * (`test/fixtures/loopbackUpstream.ts`) is built on the same parts (`listenOnLoopback`, the log-probs, the SSE lines).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { at } from '../core/util/arrays';
import { estimatePromptTokens } from '../core/util/tokens';

/** How one bench model answers: its reply, its latency before the first byte and between content chunks. */
export interface BenchBehaviour {
  /** Reply text, or a function giving each call's text (default `Reply from MODEL.`). */
  reply?: string | (() => string);
  firstByteDelayMs?: number;
  chunkDelayMs?: number;
}

/** One request the bench upstream received. */
export interface BenchRequest {
  method: string;
  path: string;
  /** `model` of the JSON body, when any. */
  model?: string;
  /** Parsed JSON body (empty object for GET). */
  body: Record<string, unknown>;
  /** ms since the server started, when the request arrived. */
  receivedAt: number;
  /** ms since the server started, when the reply was completely written. */
  completedAt?: number;
}

export interface BenchUpstream {
  /** e.g. `http://127.0.0.1:PORT/v1` */
  baseUrl: string;
  requests: BenchRequest[];
  /** Sets (replaces) the behaviour of a model. */
  script(model: string, behaviour: BenchBehaviour): void;
  /** Stops listening and destroys open sockets, so nothing hangs. */
  close(): Promise<void>;
}

/** A server on 127.0.0.1 whose `close` also cancels the pending `timers` and destroys open sockets. */
export interface LoopbackServer {
  port: number;
  close(): Promise<void>;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The log-prob the server sends for the token at `index` of a reply: deterministic, always negative. Reasoning sent in a
 * field and the content are numbered apart, each from 0 (inline reasoning is content).
 */
export function loopbackLogprob(token: string, index: number): number {
  const h = parseInt(sha256(`${index}:${token}`).slice(0, 6), 16);
  return -(0.01 + (h % 1000) / 500);
}

/** Splits a reply into word-sized tokens, whitespace kept with the word before it. */
export function loopbackTokens(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === '' ? [] : [text]);
}

/** The prompt tokens a chat request's messages count for, as the server reports them in `usage`. */
export function loopbackPromptTokens(body: Record<string, unknown>): number {
  const messages = Array.isArray(body.messages) ? (body.messages as Array<{ content?: unknown }>) : [];
  return estimatePromptTokens(messages.map((m) => ({ content: typeof m.content === 'string' ? m.content : '' })));
}

/** The log-probs of token `i` of `tokens`, in a chunk's or a message's `logprobs.content` form. */
export const logprobEntry = (tokens: readonly string[], i: number) => ({ token: at(tokens, i), logprob: loopbackLogprob(at(tokens, i), i), bytes: null, top_logprobs: [] });

/** Resolves after `ms` (a timer `close` can cancel) with whether the response is still open. */
export function wait(timers: Set<NodeJS.Timeout>, ms: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    if (ms <= 0) return resolve(!res.destroyed);
    const t = setTimeout(() => {
      timers.delete(t);
      resolve(!res.destroyed);
    }, ms);
    timers.add(t);
  });
}

/** Answers with a JSON document. */
export function json(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(payload));
}

/** One SSE `data:` line of a `chat.completion.chunk`. */
export function chunkLine(reply: { id: string; model: string }, rest: Record<string, unknown>): string {
  return `data: ${JSON.stringify({ id: reply.id, object: 'chat.completion.chunk', created: 0, model: reply.model, ...rest })}\n\n`;
}

/** Reads the whole request body as JSON: `{}` when empty, undefined when it is not JSON. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw === '') return {};
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Listens on 127.0.0.1 (ephemeral port); a handler that throws answers 500, or ends a reply already begun. */
export async function listenOnLoopback(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>, timers: Set<NodeJS.Timeout>): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: { message: String(err) } });
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Everything the bench server's handlers share. */
interface BenchState {
  /** ms since the server started. */
  now: () => number;
  models: readonly string[];
  behaviours: Map<string, BenchBehaviour>;
  requests: BenchRequest[];
  timers: Set<NodeJS.Timeout>;
}

/** `POST /v1/chat/completions`: waits the model's first-byte latency, then answers in one document or streams word by word. */
async function chat(state: BenchState, rec: BenchRequest, res: ServerResponse): Promise<void> {
  const model = rec.model ?? '';
  const b = state.behaviours.get(model) ?? {};
  if (!(await wait(state.timers, b.firstByteDelayMs ?? 0, res))) return;
  const text = typeof b.reply === 'function' ? b.reply() : (b.reply ?? `Reply from ${model}.`);
  const tokens = loopbackTokens(text);
  const reply = { id: `chatcmpl-${state.requests.length}`, model };
  const promptTokens = loopbackPromptTokens(rec.body);
  const usage = { prompt_tokens: promptTokens, completion_tokens: tokens.length, total_tokens: promptTokens + tokens.length };
  const wantLogprobs = rec.body.logprobs === true;
  if (rec.body.stream !== true) {
    const message = { role: 'assistant', content: tokens.join('') };
    const logprobs = wantLogprobs ? { content: tokens.map((_, i) => logprobEntry(tokens, i)) } : null;
    return json(res, 200, { id: reply.id, object: 'chat.completion', created: 0, model, choices: [{ index: 0, finish_reason: 'stop', message, logprobs }], usage });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => res.write(chunkLine(reply, { choices: [{ index: 0, delta, finish_reason: null, ...extra }] }));
  send({ role: 'assistant', content: '' });
  for (let i = 0; i < tokens.length; i++) {
    if (!(await wait(state.timers, b.chunkDelayMs ?? 0, res))) return;
    send({ content: tokens[i] }, wantLogprobs ? { logprobs: { content: [logprobEntry(tokens, i)] } } : {});
  }
  res.write(chunkLine(reply, { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
  if (rec.body.stream_options) res.write(chunkLine(reply, { choices: [], usage }));
  res.end('data: [DONE]\n\n');
}

/** Reads, records and routes one request. */
async function handle(state: BenchState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonBody(req);
  if (body === undefined) return json(res, 400, { error: { message: 'body is not JSON' } });
  const rec: BenchRequest = { method: req.method ?? 'GET', path: at((req.url ?? '/').split('?'), 0), body, receivedAt: state.now() };
  if (typeof body.model === 'string') rec.model = body.model;
  state.requests.push(rec);
  res.on('close', () => {
    if (res.writableFinished) rec.completedAt = state.now();
  });
  if (rec.method === 'GET' && rec.path === '/v1/models') {
    return json(res, 200, { object: 'list', data: state.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) });
  }
  if (rec.method === 'POST' && rec.path === '/v1/chat/completions') return chat(state, rec, res);
  json(res, 404, { error: { message: `no route ${rec.method} ${rec.path}` } });
}

/** Starts the bench upstream serving `models` on 127.0.0.1 with an ephemeral port. */
export async function startBenchUpstream(models: readonly string[]): Promise<BenchUpstream> {
  const started = Date.now();
  const state: BenchState = { now: () => Date.now() - started, models, behaviours: new Map(), requests: [], timers: new Set() };
  const server = await listenOnLoopback((req, res) => handle(state, req, res), state.timers);
  return {
    baseUrl: `http://127.0.0.1:${server.port}/v1`,
    requests: state.requests,
    script: (model, behaviour) => state.behaviours.set(model, behaviour),
    close: () => server.close(),
  };
}
