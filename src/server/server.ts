/**
 * The OpenAI-compatible HTTP server in front of the engine (`smcs serve`): `GET /v1/models`, `GET /v1/models/{id}`,
 * `POST /v1/chat/completions`. Every request needs the bearer key, and on a loopback address a loopback Host (421
 * otherwise: DNS rebinding); no CORS headers are ever sent; bodies are capped in size and in time (408), and a chat
 * request takes one of `maxConcurrent` slots only once its body has arrived (429 with Retry-After beyond), so clients
 * trickling their bodies hold up no one; a client that goes away aborts its request's upstream calls. The log says what
 * was asked of which models and what it cost — never keys, prompts or answers.
 * With `learnFromChecks`, a code answer's referencers whose code ran on the question's own examples are labelled in the
 * bank by those examples, one write after another; nothing else a request does reaches the bank.
 * With `team` (a team server, `smcs serve --team`), each request carries a member's own key instead, and every ask
 * is admitted against that key's limits, attributed upstream to the member, and settled in the spend ledger (team/).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../core/contracts/errors';
import type { AskResult } from '../core/contracts/events';
import { formatCount, formatUsd } from '../presentation/format';
import type { Engine, ModelRouter } from '../engine/types';
import { BearerKey } from './auth';
import { BODIES_BUDGET_BYTES, BODY_TIMEOUT_MS, BodyBudget, MAX_BODY_BYTES, readJsonBody, type BodyLimits } from './body';
import { parseChatRequest } from './chatRequest';
import { answerWithEnsemble } from './ensemble';
import type { AskHooks, AskRunOutcome } from './askRun';
import { ApiError, badRequest, sendError, sendJson, serverStopped, ServerStopping } from './errors';
import { acceptsHost, bareHost, isLoopback } from './hosts';
import { modelList, resolveModel } from './models';
import { firstModelsNote } from './firstModelsNote';
import { bestModel, directModel, relayToOneModel, type RelayOutcomeLog } from './routed';
import { withAttribution } from '../llm/attribution';
import type { Member, TeamGate } from './team/teamGate';
import { memberUsage, relayedCall, teamAsk } from './team/teamAsk';
import { parseAskRequest, parseChoice } from './askRequest';
import { LearnedChoices, planAsk, serverAbout, streamAsk } from './serverAsks';
import type { ServerAskStopping } from '../engine/serverProtocol';

export interface ServerOptions {
  engine: Engine & ModelRouter;
  /** The bearer key every request must carry (unused with `team`). */
  apiKey: string;
  /** A team server: every request carries a member's key, checked, limited and accounted in the team database. */
  team?: TeamGate;
  /** With `team`: what upstream requests name as their `user` — the member's name, or an opaque `key-<id>`. */
  upstreamUser?: 'name' | 'id';
  host: string;
  /** 0 = any free port. */
  port: number;
  /** Chat requests running at once; more get 429. */
  maxConcurrent: number;
  /** Label referencers whose code passed or failed the question's own examples (`smcs serve --no-learn` turns it off). */
  learnFromChecks: boolean;
  /** One line per request and per problem. */
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Where the key is found, for the 401 a request without it gets; default: where `smcs serve` printed it is. */
  keyHint?: string;
  /** The request body's bounds (defaults: 10 MB, 10 s, 64 MB arriving at once); tests make them small. */
  limits?: Partial<ServerLimits>;
}

export interface ServerLimits {
  /** Bytes of one request body (413 beyond). */
  maxBodyBytes: number;
  /** Time a request body may take to arrive once its headers did (408 beyond). */
  bodyTimeoutMs: number;
  /** Bytes of all the bodies on their way at once (503 beyond). */
  bodiesBudgetBytes: number;
}

/** The shortest key a server other machines reach accepts (the CLI's own rule, held here for every caller). */
export const MIN_REMOTE_KEY_LENGTH = 16;

export interface RunningServer {
  /** `http://HOST:PORT/v1`. */
  url: string;
  port: number;
  /** Chat requests running now. */
  readonly active: number;
  /**
   * Stops accepting, ends the asks under way — each client told, in its stream or with a 503, that the server stopped —
   * and waits up to `graceMs` for their requests to finish (their spend written, their holds settled), then closes
   * every connection and waits for the bank writes queued.
   */
  close(graceMs?: number): Promise<void>;
}

/** How long `close` waits for the asks it ended to finish by default: their last calls written, their holds settled. */
export const STOP_GRACE_MS = 8_000;

/** What a client waits before trying again after a 429, in seconds. */
export const RETRY_AFTER_SECONDS = 2;

const notFound = (what: string) => new ApiError(404, `${what} does not exist on this server (it serves GET /v1/models, POST /v1/chat/completions and the SMCS protocol under /v1/smcs)`, 'invalid_request_error', 'not_found');

/** What a route does with a request; `params` are its path's `{…}` parts, decoded. Returns the log's note, if any. */
type RouteHandler = (req: IncomingMessage, res: ServerResponse, member: Member | undefined, params: string[]) => void | string | Promise<void | string>;

/** Paths (a `{…}` part matches one or more characters) to the handler of each method they answer. */
type RouteTable = Readonly<Record<string, Partial<Record<'GET' | 'POST', RouteHandler>>>>;

/** The handler of `method` on `path`: 404 when no route has the path, 405 naming the methods it answers when none is `method`. */
function routeOf(routes: RouteTable, method: string | undefined, path: string, route: string): { handler: RouteHandler; params: string[] } {
  for (const [pattern, methods] of Object.entries(routes)) {
    const match = new RegExp(`^${pattern.replace(/\{[^}]+\}/g, '(.+)')}$`).exec(path);
    if (!match) continue;
    const handler = methods[method as 'GET' | 'POST'];
    if (!handler) {
      const allowed = Object.keys(methods).join(', ');
      throw new ApiError(405, `${route} is not allowed: use ${allowed}`, 'invalid_request_error', 'method_not_allowed', null, { allow: allowed });
    }
    return { handler, params: match.slice(1).map((part) => decodeURIComponent(part)) };
  }
  throw notFound(route);
}

/** Aborts when the client goes away before its response is whole. */
function closedSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection'));
  });
  return controller.signal;
}

/** `http://host:port/v1`, with an IPv6 host in brackets. */
export function baseUrl(host: string, port: number): string {
  const bare = bareHost(host);
  return `http://${bare.includes(':') ? `[${bare}]` : bare}:${port}/v1`;
}

/** The path of a request, or 400 when its target is not one (`http://…`, `*`) or its escapes do not decode. */
function requestPath(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  if (!path.startsWith('/')) throw badRequest(`the request target ${JSON.stringify(url)} is not a path`, null, 'invalid_url');
  try {
    decodeURIComponent(path);
  } catch {
    throw badRequest(`the path ${JSON.stringify(path)} has a malformed %-escape`, null, 'invalid_url');
  }
  return path;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = bareHost(options.host);
  if (!options.team && !isLoopback(host) && options.apiKey.trim().length < MIN_REMOTE_KEY_LENGTH) {
    throw new Error(`a server on ${options.host}, which other machines reach, needs a key of at least ${MIN_REMOTE_KEY_LENGTH} characters`);
  }
  const bodyLimits: BodyLimits = {
    maxBytes: options.limits?.maxBodyBytes ?? MAX_BODY_BYTES,
    timeoutMs: options.limits?.bodyTimeoutMs ?? BODY_TIMEOUT_MS,
    budget: new BodyBudget(options.limits?.bodiesBudgetBytes ?? BODIES_BUDGET_BYTES),
  };
  const key = new BearerKey(options.apiKey);
  const created = Math.floor(Date.now() / 1000);
  const running = new Set<AbortController>();
  /** Every request being handled, to wait for when the server stops. */
  const handling = new Set<Promise<void>>();
  let stopping = false;
  const modelKeys = () => options.engine.modelKeys();
  let learning: Promise<void> = Promise.resolve();
  const choices = new LearnedChoices(options.engine);
  /** The editors' asks running, by id (their ledger rows' ask id): each may be stopped by the key that sent it. */
  const editorAsks = new Map<string, { stop: AbortController; keyId: number | undefined }>();

  /** Queues the check labels of a finished ask (the ask loop's `learn`); writes run one at a time and a failure is logged, not sent. */
  const learn = (result: AskResult, member: Member | undefined): void => {
    learning = learning
      .then(async () => {
        const learned = await options.engine.labelByChecks(result, member?.name);
        if (learned) options.log('info', `learned from the question's examples: ${learned.outcome}, ${learned.labels.filter((l) => l.label !== null).length} referencer label(s)`);
      })
      .catch((err: unknown) => options.log('warn', `learning from the question's examples was skipped: ${errorMessage(err)}`));
  };

  /** A relayed request; a member's is admitted first (its cost is known only after) and settled as one call. */
  const relay = async (id: string, request: Parameters<typeof relayToOneModel>[1], choose: Parameters<typeof relayToOneModel>[2], res: ServerResponse, signal: AbortSignal, member: Member | undefined): Promise<string> => {
    const hold = member && options.team ? await options.team.admit(member, 0, randomUUID()) : undefined;
    let outcome: RelayOutcomeLog | undefined;
    try {
      outcome = await withAttribution(hold && attribution(hold.askId, member), () => relayToOneModel(options.engine, request, choose, res, signal));
      return describeRelay(id, outcome);
    } finally {
      await hold?.settle(outcome ? relayedCall(outcome) : []);
    }
  };

  /** What upstream requests of a member's ask say of it (llm/attribution). */
  const attribution = (askId: string, member: Member | undefined) => (member ? { user: options.upstreamUser === 'id' ? `key-${member.keyId}` : member.name, askId } : undefined);

  const chat = async (body: unknown, res: ServerResponse, signal: AbortSignal, member: Member | undefined): Promise<string> => {
    const named = typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string' ? body.model : undefined;
    const served = named === undefined ? undefined : resolveModel(named, modelKeys());
    if (served?.kind === 'direct') {
      const raw = body as Record<string, unknown>;
      return relay(served.id, { body: raw, stream: raw.stream === true }, directModel(served), res, signal, member);
    }
    // parseChatRequest refuses a body without a model, so `served` is the ensemble model it names.
    const request = parseChatRequest(body);
    if (served === undefined) throw new Error('a chat request without a model passed validation');
    if (request.kind === 'routed') return relay(served.id, request, bestModel(options.engine, request, served), res, signal, member);
    return methodAsk(served.id, member, (hooks) => answerWithEnsemble(options.engine, request, served, res, signal, hooks));
  };

  /**
   * An editor's ask (the SMCS protocol, serverAsks.ts), run as a chat request's ask is; its member may stop it by its id
   * (`POST /v1/smcs/asks/<id>/stop`), and it then ends in its stream as a local run stopped does.
   */
  const editorAsk = async (body: unknown, res: ServerResponse, signal: AbortSignal, member: Member | undefined): Promise<string> => {
    const request = parseAskRequest(body);
    return methodAsk('smcs (editor)', member, async (hooks, askId) => {
      const stop = new AbortController();
      editorAsks.set(askId, { stop, keyId: member?.keyId });
      try {
        return await streamAsk(options.engine, request, res, AbortSignal.any([signal, stop.signal]), hooks, askId);
      } finally {
        editorAsks.delete(askId);
      }
    });
  };

  /** An ask of the whole method, however it came: a member's gated and attributed upstream, every one learned from; its log note. */
  const methodAsk = async (label: string, member: Member | undefined, run: (hooks: AskHooks, askId: string) => Promise<AskRunOutcome>): Promise<string> => {
    const askId = randomUUID();
    const hooks: AskHooks = {
      ...(member && options.team ? { gate: teamAsk(options.team, member, askId) } : {}),
      ...(options.learnFromChecks ? { learn: (result: AskResult) => learn(result, member) } : {}),
    };
    return describeEnsemble(label, await withAttribution(attribution(askId, member), () => run(hooks, askId)));
  };

  /** Runs a chat request in a slot of `maxConcurrent`; its body has arrived, so a slow client holds no slot. */
  const runChat = async (body: unknown, res: ServerResponse, member: Member | undefined, run: typeof chat = chat): Promise<string> => {
    // A request whose body was still arriving when the server began to stop starts nothing: `close` has ended the rest.
    if (stopping) throw serverStopped();
    if (running.size >= options.maxConcurrent) {
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
      return await run(body, res, controller.signal, member);
    } finally {
      running.delete(controller);
    }
  };

  /** The routes, by path and method: each answers, and a run's handler returns the log's note on it. */
  const routes: RouteTable = {
    '/v1/models': { GET: (_req, res) => sendJson(res, 200, modelList(modelKeys(), created)) },
    '/v1/models/{id}': {
      GET: (_req, res, _member, [id = '']) => {
        const entry = modelList(modelKeys(), created).data.find((m) => m.id === id);
        // An unknown id: resolveModel throws the 404 that names the models offered.
        if (!entry) resolveModel(id, modelKeys());
        sendJson(res, 200, entry);
      },
    },
    '/v1/chat/completions': { POST: async (req, res, member) => `${member ? `${member.name}: ` : ''}${await runChat(await readJsonBody(req, bodyLimits), res, member)}` },
    '/v1/smcs': { GET: (_req, res) => sendJson(res, 200, serverAbout(options.team !== undefined)) },
    // A member's own spend (the editor's "my usage" on a team server): this period's, by stage and by model.
    '/v1/smcs/usage': {
      GET: async (req, res, member) => {
        if (!member || !options.team) throw notFound(`${req.method ?? '?'} /v1/smcs/usage`);
        sendJson(res, 200, await memberUsage(options.team, member));
      },
    },
    '/v1/smcs/asks': { POST: async (req, res, member) => `${member ? `${member.name}: ` : ''}${await runChat(await readJsonBody(req, bodyLimits), res, member, editorAsk)}` },
    // The key that sent an editor's ask stops it; to any other the ask does not exist.
    '/v1/smcs/asks/{id}/stop': {
      POST: (req, res, member, [id = '']) => {
        req.resume();
        const running = editorAsks.get(id);
        if (!running || running.keyId !== member?.keyId) throw new ApiError(404, `no ask of this key is running under the id ${JSON.stringify(id)} (it has ended, or another key sent it)`, 'invalid_request_error', 'not_found');
        running.stop.abort(new Error('its member stopped the ask'));
        sendJson(res, 200, { stopping: true } satisfies ServerAskStopping);
        return `${member ? `${member.name}: ` : ''}stopping ask ${id}`;
      },
    },
    '/v1/smcs/plans': { POST: async (req, res) => sendJson(res, 200, await planAsk(options.engine, parseAskRequest(await readJsonBody(req, bodyLimits)), closedSignal(res))) },
    '/v1/smcs/choices': { POST: async (req, res, member) => sendJson(res, 200, await choices.learn(parseChoice(await readJsonBody(req, bodyLimits)), member?.name)) },
    '/v1/smcs/choices/forget': { POST: async (req, res, member) => sendJson(res, 200, await choices.forget(await readJsonBody(req, bodyLimits), member?.name)) },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    let route = `${req.method ?? '?'} ${(req.url ?? '/').split('?')[0] ?? '/'}`;
    let note = '';
    try {
      if (stopping) {
        req.resume();
        res.setHeader('connection', 'close');
        throw serverStopped();
      }
      // Before the key: a page that rebinds a name of its own to 127.0.0.1 learns nothing, not even that a key is wanted.
      if (!acceptsHost(host, req.headers.host)) {
        req.resume();
        throw new ApiError(421, `this server answers requests addressed to this machine (localhost, 127.0.0.1, [::1]), not to ${JSON.stringify(req.headers.host ?? '')}`, 'invalid_request_error', 'misdirected_request');
      }
      const member = options.team ? await authenticate(options.team, req) : undefined;
      if (!options.team && !key.accepts(req.headers.authorization)) {
        req.resume();
        throw new ApiError(401, `the API key is missing or wrong: send Authorization: Bearer <key> (${options.keyHint ?? 'smcs serve printed where the key is'})`, 'invalid_request_error', 'invalid_api_key');
      }
      const path = requestPath(req.url);
      route = `${req.method ?? '?'} ${path}`;
      const { handler, params } = routeOf(routes, req.method, path, route);
      note = (await handler(req, res, member, params)) ?? '';
    } catch (err) {
      const error = err instanceof ApiError ? err : new ApiError(500, errorMessage(err), 'server_error', 'internal');
      if (error.status >= 500) options.log('error', `${route}: ${error.message}`);
      note = `${error.status} ${error.code}`;
      // A client still sending a body it was too slow with is not waited for.
      if (error.status === 408) res.once('finish', () => req.socket.destroy());
      sendError(res, error);
    } finally {
      options.log('info', `${route} ${note} ${Math.round(performance.now() - started)} ms`.replace(/\s+/g, ' '));
    }
  };

  const server: Server = createServer((req, res) => {
    const done = handle(req, res);
    handling.add(done);
    void done.finally(() => handling.delete(done));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // Start-up: while the bank cannot route, say which models answer every question, in the config's order, and the remedy.
  void options.engine.firstModels().then(
    (first) => first && options.log('info', firstModelsNote(first.fallback, first.models, 'bank')),
    (err: unknown) => options.log('warn', `could not read the bank at start-up: ${errorMessage(err)}`),
  );
  return {
    url: baseUrl(host, port),
    port,
    get active() {
      return running.size;
    },
    close: async (graceMs = STOP_GRACE_MS) => {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const c of running) c.abort(new ServerStopping());
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.allSettled([...handling]), grace]);
      clearTimeout(timer);
      server.closeAllConnections();
      await closed;
      await learning;
    },
  };
}

/** The member whose team key the request carries; a refused request's body is drained. */
async function authenticate(team: TeamGate, req: IncomingMessage): Promise<Member> {
  try {
    return await team.authenticate(req.headers.authorization);
  } catch (err) {
    req.resume();
    throw err;
  }
}

/** The log note of a whole-method answer: models, how the winner was chosen, the cost. */
function describeEnsemble(model: string, outcome: AskRunOutcome): string {
  if ('cancelled' in outcome) return `${model} cancelled by the client`;
  if (!outcome.ok) return `${model} ${outcome.error.status} ${outcome.error.message}`;
  const r = outcome.result;
  const cost = r.costUsd === null ? 'no price known' : formatUsd(r.costUsd);
  const fallback = r.selectionFallback ? ` (${firstModelsNote(r.selectionFallback, r.referencers.map((x) => x.model), 'question')})` : '';
  return `${model} 200 referencers ${r.referencers.map((x) => x.model).join(',')}${fallback}; winner by ${r.selectedBy}; ${formatCount(r.tokens.prompt)}+${formatCount(r.tokens.completion)} tokens, ${cost}`;
}

/** The log note of a relayed request: which model, why, and what it cost. */
function describeRelay(model: string, outcome: RelayOutcomeLog): string {
  if ('cancelled' in outcome) return `${model} cancelled by the client`;
  if (!outcome.ok) return `${model} ${outcome.route ? `→ ${outcome.route.model} ` : ''}${outcome.error.status} ${outcome.error.message}`;
  const usage = outcome.outcome?.usage;
  const cost = outcome.outcome?.costUsd;
  return `${model} → ${outcome.route.model} (${outcome.route.reason}) ${outcome.status}${usage ? `; ${formatCount(usage.promptTokens)}+${formatCount(usage.completionTokens)} tokens` : ''}${cost != null ? `, ${formatUsd(cost)}` : ''}${outcome.outcome?.stoppedAtTokens !== undefined ? `; stopped at about ${formatCount(outcome.outcome.stoppedAtTokens)} tokens, far past max_tokens` : ''}`;
}
