/**
 * The key `smcs serve` requires: `--api-key`, else `SMCS_SERVER_KEY`, else one generated on first start into a file only
 * the user may read (0600) in the user's config folder. The key is never printed; where it comes from is.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateServerKey } from '../server/auth';
import { UsageError } from './errors';

export interface ServerKey {
  key: string;
  /** Where it came from, for the startup line: `--api-key`, `SMCS_SERVER_KEY` or the file's path. */
  source: string;
  /** True when the operator chose it (flag or environment), which a non-loopback host requires. */
  chosen: boolean;
}

/** `$SMCS_HOME/server-key`, else `$XDG_CONFIG_HOME/smcs/server-key` (default `~/.config/smcs/server-key`). */
export function serverKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SMCS_HOME) return path.join(path.resolve(env.SMCS_HOME), 'server-key');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'smcs', 'server-key');
}

function checkKey(key: string, source: string): string {
  const trimmed = key.trim();
  if (trimmed.length < 16 || /\s/.test(trimmed)) throw new UsageError(`the server key from ${source} must be at least 16 characters without spaces`);
  return trimmed;
}

/** Reads the key file, creating it (0600, in a 0700 folder) when missing; refuses one others may read. */
function fileKey(file: string): string {
  try {
    const mode = statSync(file).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new UsageError(`the server key file ${file} may be read by other users (mode ${mode.toString(8)}): run chmod 600 ${JSON.stringify(file)}`);
    }
    return checkKey(readFileSync(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = generateServerKey();
  // `wx`: a second server starting at the same moment reads the first one's key instead of replacing it.
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return checkKey(readFileSync(file, 'utf8'), file);
    throw err;
  }
}

export function resolveServerKey(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): ServerKey {
  if (flag !== undefined) return { key: checkKey(flag, '--api-key'), source: '--api-key', chosen: true };
  const fromEnv = env.SMCS_SERVER_KEY;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { key: checkKey(fromEnv, 'SMCS_SERVER_KEY'), source: 'SMCS_SERVER_KEY', chosen: true };
  const file = serverKeyFile(env);
  return { key: fileKey(file), source: file, chosen: false };
}
