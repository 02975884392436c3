/**
 * `smcs serve`: the engine behind OpenAI's chat-completions protocol, for Continue, Cline, Aider, Open WebUI and scripts.
 * The first stdout line is `listening http://HOST:PORT/v1` (scripts read the port when it was given as 0); the log goes
 * to stderr. Runs until SIGINT or SIGTERM (then exits 130 or 143, see cli/interrupt.ts).
 */
import { cleanMessage } from '../../core/util/redact';
import { createEngine } from '../../engine/engine';
import { isLoopback } from '../../server/hosts';
import { startServer, STOP_GRACE_MS } from '../../server/server';
import { cliHooks, loadConfig, type GlobalOptions } from '../context';
import { UsageError } from '../errors';
import { resolveServerKey } from '../serverKey';
import { teamDatabaseUrl } from '../teamDatabaseOption';
import { TeamDatabase } from '../../server/team/teamDatabase';
import { TeamGate } from '../../server/team/teamGate';
import { learnedTokenScale, pruneLedger } from '../../server/team/spendLedger';
import { endpointOfModel } from '../../server/team/endpointOfModel';
import type { TokenScale } from '../../core/cost/cutTail';
import { errorMessage } from '../../core/contracts/errors';

export interface ServeOptions extends GlobalOptions {
  host: string;
  port: number;
  apiKey?: string;
  maxConcurrent: number;
  /** False with --no-learn: code answers checked on the question's examples label nothing. */
  learn: boolean;
  verbose?: boolean;
  /** A team server: members' keys, budgets and spend in the team database (`--database`, else the config's bank URL). */
  team?: boolean;
  database?: string;
  upstreamUser?: 'name' | 'id';
  /** Seconds. */
  reservationTtl?: number;
  retentionDays?: number;
}

/** What closing the team database may take once the asks have ended (the last ledger writes, the pool's end). */
const TEAM_CLOSE_MS = 4_000;

/** How often the spend ledger is trimmed to the retention setting. */
const PRUNE_EVERY_MS = 3_600_000;

/** The team database of `smcs serve --team`, and the hourly trim of its ledger; `close` stops both. */
async function openTeam(options: ServeOptions): Promise<{ db: TeamDatabase; database: string; close: () => Promise<void> }> {
  const db = await TeamDatabase.open(teamDatabaseUrl(options));
  const retentionMs = 86_400_000 * (options.retentionDays ?? 90);
  const prune = () =>
    void pruneLedger(db, new Date(Date.now() - retentionMs)).then(
      (n) => n > 0 && requestLog('info', `deleted ${n} spend ledger rows older than ${options.retentionDays ?? 90} days`),
      (err: unknown) => requestLog('warn', `could not trim the spend ledger: ${errorMessage(err)}`),
    );
  prune();
  const timer = setInterval(prune, PRUNE_EVERY_MS);
  timer.unref();
  return {
    db,
    database: db.display,
    close: async () => {
      clearInterval(timer);
      await db.close();
    },
  };
}

/** One line per request on stderr, always (the engine's own diagnostics only with --verbose); redacted like every CLI message. */
function requestLog(level: 'info' | 'warn' | 'error', message: string): void {
  process.stderr.write(cleanMessage(`smcs serve: ${level === 'info' ? '' : `${level}: `}${message}\n`));
}

export async function serveCommand(options: ServeOptions): Promise<void> {
  if (options.team && options.apiKey !== undefined) throw new UsageError('--team takes each person\'s own key (smcs keys add NAME): leave out --api-key');
  if (options.team) return serveTeam(options);
  const key = resolveServerKey(options.apiKey);
  if (!isLoopback(options.host) && !key.chosen) {
    throw new UsageError(`--host ${options.host} is reachable from other machines: choose the key they will use with --api-key or SMCS_SERVER_KEY (the generated key is for this machine only)`);
  }
  const config = loadConfig(options);
  const hooks = cliHooks(options, options.verbose);
  const engine = await createEngine(config, hooks);
  const server = await startServer({ engine, apiKey: key.key, host: options.host, port: options.port, maxConcurrent: options.maxConcurrent, learnFromChecks: options.learn, log: requestLog }).catch(async (err: unknown) => {
    await engine.dispose();
    throw err;
  });
  process.stdout.write(`listening ${server.url}\n`);
  options.allowCleanup?.(STOP_GRACE_MS + 1_000);
  process.stderr.write(`smcs: the API key is ${key.source === '--api-key' || key.source === 'SMCS_SERVER_KEY' ? `the one ${key.source} gave` : `in ${key.source}`}; models: GET ${server.url}/models\n`);
  await untilStopped(options.signal);
  await server.close();
  await engine.dispose();
}

/** `smcs serve --team`: the same server, every request admitted by a member's key in the team database. */
async function serveTeam(options: ServeOptions): Promise<void> {
  const config = loadConfig(options);
  const team = await openTeam(options);
  const engine = await ledgerTokenScale(team.db)
    .then((tokenScale) => createEngine(config, cliHooks(options, options.verbose), { tokenScale }))
    .catch(async (err: unknown) => {
      await team.close();
      throw err;
    });
  // A call cut mid-reply is written as an estimate, then restated as its upstream billed it, when the upstream says.
  const gate = new TeamGate(team.db, {
    reservationTtlMs: 1000 * (options.reservationTtl ?? 60),
    endpointOf: endpointOfModel(config.endpoints),
    log: requestLog,
    statedBill: (model, generation, signal) => engine.statedBill(model, generation, signal),
  });
  const stop = async () => {
    await engine.dispose();
    // Every call's row and every hold settled before the pool closes: a stopped ask's last rows come after its end.
    await gate.drain();
    await team.close();
  };
  const server = await startServer({ engine, apiKey: '', team: gate, upstreamUser: options.upstreamUser ?? 'name', host: options.host, port: options.port, maxConcurrent: options.maxConcurrent, learnFromChecks: options.learn, log: requestLog }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  process.stdout.write(`listening ${server.url}\n`);
  // On SIGTERM the asks under way are ended and told so, their spend written, before the process exits.
  options.allowCleanup?.(STOP_GRACE_MS + TEAM_CLOSE_MS);
  // Where it listens first: the database is where the keys and the ledger are, not an address to send requests to.
  requestLog('info', `team server listening on ${server.url}, its keys and ledger in the database ${team.database}: each request needs a member's key (smcs keys add NAME)`);
  await untilStopped(options.signal);
  if (server.active > 0) requestLog('info', `stopping: ending ${server.active} ask(s) under way, their clients told, their spend written`);
  await server.close();
  await stop();
}

/**
 * How the upstreams counted tokens against the estimate in the ledger's last reported calls (any instance's): a server
 * started again scales its first cut calls by it, as the one before it had learned to, not at 3 characters a token.
 */
async function ledgerTokenScale(db: TeamDatabase): Promise<TokenScale> {
  const { scale, calls } = await learnedTokenScale(db);
  if (calls > 0) {
    const { prompt, completion } = scale.ratios;
    requestLog('info', `cut calls are scaled as the ledger's last ${calls} reported calls counted tokens: ${prompt.toFixed(2)} of the estimate's prompt tokens, ${completion.toFixed(2)} of its completion tokens`);
  }
  return scale;
}

/** Resolves when `signal` (SIGINT, SIGTERM) aborts; never without one. */
function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  const s = signal ?? new AbortController().signal;
  return new Promise<void>((resolve) => {
    if (s.aborted) resolve();
    s.addEventListener('abort', () => resolve(), { once: true });
  });
}
