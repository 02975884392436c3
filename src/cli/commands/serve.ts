/**
 * `smcs serve`: the engine behind OpenAI's chat-completions protocol, for Continue, Cline, Aider, Open WebUI and scripts.
 * The first stdout line is `listening http://HOST:PORT/v1` (scripts read the port when it was given as 0); the log goes
 * to stderr. Runs until SIGINT or SIGTERM (then exits 130 or 143, see cli/interrupt.ts).
 */
import { cleanMessage } from '../../core/util/redact';
import { createEngine } from '../../engine/engine';
import { isLoopback } from '../../server/hosts';
import { startServer } from '../../server/server';
import { cliHooks, loadConfig, type GlobalOptions } from '../context';
import { UsageError } from '../errors';
import { resolveServerKey } from '../serverKey';

export interface ServeOptions extends GlobalOptions {
  host: string;
  port: number;
  apiKey?: string;
  maxConcurrent: number;
  /** False with --no-learn: code answers checked on the question's examples label nothing. */
  learn: boolean;
  verbose?: boolean;
}

/** One line per request on stderr, always (the engine's own diagnostics only with --verbose); redacted like every CLI message. */
function requestLog(level: 'info' | 'warn' | 'error', message: string): void {
  process.stderr.write(cleanMessage(`smcs serve: ${level === 'info' ? '' : `${level}: `}${message}\n`));
}

export async function serveCommand(options: ServeOptions): Promise<void> {
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
  process.stderr.write(`smcs: the API key is ${key.source === '--api-key' || key.source === 'SMCS_SERVER_KEY' ? `the one ${key.source} gave` : `in ${key.source}`}; models: GET ${server.url}/models\n`);
  const signal = options.signal ?? new AbortController().signal;
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  await engine.dispose();
}
