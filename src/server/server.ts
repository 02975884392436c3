/**
 * The OpenAI-compatible HTTP server in front of the engine (`smcs serve`): `GET /v1/models`, `GET /v1/models/{id}`,
 * `POST /v1/chat/completions`. Every request needs the bearer key; no CORS headers are ever sent; bodies are capped;
 * at most `maxConcurrent` chat requests run at once (429 with Retry-After beyond); a client that goes away aborts its
 * request's upstream calls. The log says what was asked of which models and what it cost — never keys, prompts or answers.
 * With `learnFromChecks`, a code answer's referencers whose code ran on the question's own examples are labelled in the
 * bank by those examples, one write after another; nothing else a request does reaches the bank.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../core/contracts/errors';
import { formatCount, formatUsd } from '../shared/format';
import type { Engine, ModelRouter } from '../engine/types';
import { BearerKey } from './auth';
import { readJsonBody } from './body';
import { parseChatRequest } from './chatRequest';
import { answerWithEnsemble, type EnsembleOutcome } from './ensemble';
import { ApiError, sendError, sendJson } from './errors';
import { modelList, resolveModel } from './models';
import { bestModel, directModel, relayToOneModel, type RelayOutcomeLog } from './routed';

export interface ServerOptions {
  engine: Engine & ModelRouter;
  /** The bearer key every request must carry. */
  apiKey: string;
  host: string;
  /** 0 = any free port. */
  port: number;
  /** Chat requests running at once; more get 429. */
  maxConcurrent: number;
  /** Label referencers whose code passed or failed the question's own examples (`smcs serve --no-learn` turns it off). */
  learnFromChecks: boolean;
  /** One line per request and per problem. */
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface RunningServer {
  /** `http://HOST:PORT/v1`. */
  url: string;
  port: number;
  /** Chat requests running now. */
  readonly active: number;
  /** Stops accepting, aborts the requests under way, closes every connection and waits for the bank writes queued. */
  close(): Promise<void>;
}

/** What a client waits before trying again after a 429, in seconds. */
export const RETRY_AFTER_SECONDS = 2;

const notFound = (what: string) => new ApiError(404, `${what} does not exist on this server (it serves GET /v1/models and POST /v1/chat/completions)`, 'invalid_request_error', 'not_found');

/** `http://host:port/v1`, with an IPv6 host in brackets. */
export function baseUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const key = new BearerKey(options.apiKey);
  const created = Math.floor(Date.now() / 1000);
  const running = new Set<AbortController>();
  const modelKeys = () => options.engine.modelKeys();
  let learning: Promise<void> = Promise.resolve();

  /** Queues the check labels of a finished ask; writes run one at a time and a failure is logged, not sent. */
  const learn = (outcome: EnsembleOutcome): void => {
    if (!options.learnFromChecks || !('result' in outcome)) return;
    const { result } = outcome;
    learning = learning
      .then(async () => {
        const learned = await options.engine.labelByChecks(result);
        if (learned) options.log('info', `learned from the question's examples: ${learned.outcome}, ${learned.labels.filter((l) => l.label !== null).length} referencer label(s)`);
      })
      .catch((err: unknown) => options.log('warn', `learning from the question's examples was skipped: ${errorMessage(err)}`));
  };

  const chat = async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<string> => {
    const body = await readJsonBody(req);
    const named = typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string' ? body.model : undefined;
    const served = named === undefined ? undefined : resolveModel(named, modelKeys());
    if (served?.kind === 'direct') {
      const raw = body as Record<string, unknown>;
      return describeRelay(served.id, await relayToOneModel(options.engine, { body: raw, stream: raw.stream === true }, directModel(served), res, signal));
    }
    // parseChatRequest refuses a body without a model, so `served` is the ensemble model it names.
    const request = parseChatRequest(body);
    if (served === undefined) throw new Error('a chat request without a model passed validation');
    if (request.kind === 'routed') return describeRelay(served.id, await relayToOneModel(options.engine, request, bestModel(options.engine, request, served), res, signal));
    const outcome = await answerWithEnsemble(options.engine, request, served, res, signal);
    learn(outcome);
    return describeEnsemble(served.id, outcome);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = `${req.method ?? '?'} ${path}`;
    let note = '';
    try {
      if (!key.accepts(req.headers.authorization)) {
        req.resume();
        throw new ApiError(401, 'the API key is missing or wrong: send Authorization: Bearer <key> (smcs serve printed where the key is)', 'invalid_request_error', 'invalid_api_key');
      }
      if (req.method === 'GET' && path === '/v1/models') return sendJson(res, 200, modelList(modelKeys(), created));
      const one = /^\/v1\/models\/(.+)$/.exec(path);
      if (req.method === 'GET' && one?.[1] !== undefined) {
        const id = decodeURIComponent(one[1]);
        const entry = modelList(modelKeys(), created).data.find((m) => m.id === id);
        // An unknown id: resolveModel throws the 404 that names the models offered.
        if (!entry) resolveModel(id, modelKeys());
        return sendJson(res, 200, entry);
      }
      if (path !== '/v1/chat/completions') throw notFound(route);
      if (req.method !== 'POST') throw new ApiError(405, `${route} is not allowed: use POST`, 'invalid_request_error', 'method_not_allowed');
      if (running.size >= options.maxConcurrent) {
        req.resume();
        throw new ApiError(429, `${running.size} requests are running, the most this server takes at once (--max-concurrent ${options.maxConcurrent}); try again shortly`, 'rate_limit_error', 'rate_limit_exceeded', null, { 'retry-after': String(RETRY_AFTER_SECONDS) });
      }
      const controller = new AbortController();
      running.add(controller);
      // A client that goes away before the reply is complete stops every upstream call of its request.
      const onClose = () => {
        if (!res.writableFinished) controller.abort(new Error('the client closed the connection'));
      };
      res.on('close', onClose);
      try {
        note = await chat(req, res, controller.signal);
      } finally {
        running.delete(controller);
      }
    } catch (err) {
      const error = err instanceof ApiError ? err : new ApiError(500, errorMessage(err), 'server_error', 'internal');
      if (error.status >= 500) options.log('error', `${route}: ${error.message}`);
      note = `${error.status} ${error.code}`;
      sendError(res, error);
    } finally {
      options.log('info', `${route} ${note} ${Math.round(performance.now() - started)} ms`.replace(/\s+/g, ' '));
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: baseUrl(options.host, port),
    port,
    get active() {
      return running.size;
    },
    close: async () => {
      for (const c of running) c.abort(new Error('the server is stopping'));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await learning;
    },
  };
}

/** The log note of a whole-method answer: models, how the winner was chosen, the cost. */
function describeEnsemble(model: string, outcome: EnsembleOutcome): string {
  if ('cancelled' in outcome) return `${model} cancelled by the client`;
  if (!outcome.ok) return `${model} ${outcome.error.status} ${outcome.error.message}`;
  const r = outcome.result;
  const cost = r.costUsd === null ? 'no price known' : formatUsd(r.costUsd);
  return `${model} 200 referencers ${r.referencers.map((x) => x.model).join(',')}; winner by ${r.selectedBy}; ${formatCount(r.tokens.prompt)}+${formatCount(r.tokens.completion)} tokens, ${cost}`;
}

/** The log note of a relayed request: which model, why, and what it cost. */
function describeRelay(model: string, outcome: RelayOutcomeLog): string {
  if ('cancelled' in outcome) return `${model} cancelled by the client`;
  if (!outcome.ok) return `${model} ${outcome.route ? `→ ${outcome.route.model} ` : ''}${outcome.error.status} ${outcome.error.message}`;
  const usage = outcome.outcome?.usage;
  const cost = outcome.outcome?.costUsd;
  return `${model} → ${outcome.route.model} (${outcome.route.reason}) ${outcome.status}${usage ? `; ${formatCount(usage.promptTokens)}+${formatCount(usage.completionTokens)} tokens` : ''}${cost != null ? `, ${formatUsd(cost)}` : ''}`;
}
