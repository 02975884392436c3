/** What every CLI command shares: the config file, storage folders, download consent and progress on stderr. */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { ConfigError, parseConfig, type SmcsConfig } from '../core/contracts/config';
import { BankLocationError, isTeamBankUrl, parseTeamBankUrl } from '../core/contracts/bankLocation';
import type { EngineHooks } from '../engine/types';
import { MB, readUserFileSync, utf8Text } from '../files/userFile';
import { UsageError } from './errors';
import { ModelDownloadNotAskedError } from '../embed/transformers';
import { stripTerminalControls } from '../core/util/terminalText';
import { cleanMessage } from '../core/util/redact';
import { expandHome } from '../core/util/homePath';

export interface GlobalOptions {
  config?: string;
  bank?: string;
  allowDownload?: boolean;
  /** Aborted by SIGINT or SIGTERM (cli/interrupt.ts); absent when a command is called directly. */
  signal?: AbortSignal;
  /** Gives the command this long to clean up after SIGINT or SIGTERM (cli/interrupt.ts `allowCleanup`). */
  allowCleanup?: (ms: number) => void;
  /** Which of stdout and stderr a person reads as they are written; absent: as the process finds them (`terminalOf`). */
  terminal?: Terminal;
}

/** Whether stdout and stderr are terminals: a command shows live progress and streamed words only to one. */
export interface Terminal {
  stdout: boolean;
  stderr: boolean;
}

/** The command's terminal: the one it was given (a test takes a terminal's path without one), else the process's. */
export function terminalOf(options: GlobalOptions): Terminal {
  return options.terminal ?? { stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true };
}

export const DEFAULT_CONFIG_FILE = 'smcs.config.json';
/** The largest config file read: a config is a few kilobytes; anything near this is not one. */
const MAX_CONFIG_BYTES = 4 * MB;

/**
 * Writes a text result for a person to stdout. What it quotes — model output, model names, questions and file names
 * from imported files — cannot drive the terminal: escape sequences (colours, OSC 52 clipboard writes, window titles)
 * and control characters but tab and line breaks are removed. `--json` output is written as it is: JSON escapes them.
 */
export function printText(text: string): void {
  process.stdout.write(`${stripTerminalControls(text)}\n`);
}

/**
 * A path the user gave, with `~` and `~/…` as the home folder: a flag written `--bank=~/bank` or quoted, a config's
 * `bank` and `SMCS_HOME` reach us without a shell's expansion. Used as the parser of every path flag and argument.
 */
export function userPath(value: string): string {
  return expandHome(value, os.homedir());
}

/** Per-user folder for the default bank and downloaded embedding models. */
export function storageDir(): string {
  if (process.env.SMCS_HOME) return path.resolve(userPath(process.env.SMCS_HOME));
  const base = process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'smcs');
}

/**
 * Reads `--config F`, else `./smcs.config.json` when present, else defaults. Errors name the file and field.
 * A relative `bank` in the file is relative to the file; a relative `--bank` to the working folder.
 */
export function loadConfig(options: GlobalOptions): SmcsConfig {
  const file = options.config ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  let raw: unknown = {};
  if (file !== undefined) {
    // A pipe or a device given as --config is refused at once rather than read forever.
    const text = utf8Text(readUserFileSync(file, { label: options.config === undefined ? `the config file ${file}` : `--config ${file}`, maxBytes: MAX_CONFIG_BYTES }));
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new ConfigError('(file)', `${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
  try {
    const config = parseConfig(raw);
    if (config.bank && file !== undefined && !isTeamBankUrl(config.bank)) config.bank = path.resolve(path.dirname(file), userPath(config.bank));
    if (options.bank) config.bank = cliBankLocation(options.bank);
    return config;
  } catch (err) {
    if (err instanceof ConfigError && file !== undefined) throw new ConfigError(err.field, `${err.detail} (in ${file})`);
    throw err;
  }
}

/** `--bank`: a folder (relative to the working folder) or a team bank URL, which must carry no password (UsageError naming `--bank`). */
export function cliBankLocation(value: string): string {
  if (!isTeamBankUrl(value)) return path.resolve(userPath(value));
  try {
    parseTeamBankUrl(value);
  } catch (err) {
    if (err instanceof BankLocationError) throw new UsageError(`--bank ${err.detail}`);
    throw err;
  }
  return value.trim();
}

/** Asks on the terminal before a model download; without a terminal only `--allow-download` permits it, and the error says so. */
function consent(allow: boolean | undefined): EngineHooks['consent'] {
  return async (modelId) => {
    if (allow) return true;
    // Nothing was asked, so nothing was declined: `echo y | smcs ask` is told how to allow the download.
    if (!process.stdin.isTTY || !process.stderr.isTTY) throw new ModelDownloadNotAskedError(modelId);
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(`Download the embedding model ${modelId} (about 25–35 MB) now? [y/N] `);
    rl.close();
    return /^y(es)?$/i.test(answer.trim());
  };
}

export function cliHooks(options: GlobalOptions, verbose = false): EngineHooks {
  let lastFile = '';
  return {
    secrets: { apiKey: async () => undefined },
    consent: consent(options.allowDownload),
    onDownloadProgress: (p) => {
      if (!process.stderr.isTTY) {
        if (p.file !== lastFile) process.stderr.write(`downloading ${p.file}\n`);
        lastFile = p.file;
        return;
      }
      const pct = p.percent === undefined ? '' : ` ${p.percent.toFixed(0)}%`;
      process.stderr.write(`\rdownloading ${p.file}${pct}   `);
    },
    log: (level, message) => {
      if (verbose || level !== 'info') process.stderr.write(cleanMessage(`smcs: ${level}: ${message}\n`));
    },
    storageDir: storageDir(),
  };
}

/** Parses a whole number flag, naming it on error. */
export function intOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    return n;
  };
}

export function numberOption(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${name} must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    return n;
  };
}
