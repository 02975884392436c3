/**
 * Connections to a team bank: a node-postgres pool built from the parsed URL with libpq's meaning (sslmode, the
 * password from the caller's secret store, PGPASSWORD or ~/.pgpass), and failures told as the user can act on them,
 * naming the bank without its password.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import pgpass from 'pgpass';
import type { TeamBankLocation } from '../../core/contracts/bankLocation';
import { errorMessage } from '../../core/contracts/errors';
import { BankError, BankUnavailableError } from '../errors';

/** Where a team bank's password comes from first (the extension's SecretStorage); then PGPASSWORD, then ~/.pgpass. */
export type PasswordSource = () => Promise<string | undefined>;

/** How long to wait for a connection when the URL sets no connect_timeout (libpq waits forever; an ask should not). */
const DEFAULT_CONNECT_TIMEOUT_S = 10;

/** The password for a connection: the source's, else PGPASSWORD, else the ~/.pgpass line that matches (libpq's order of precedence for these three). */
function passwordFor(location: TeamBankLocation, user: string, source: PasswordSource | undefined): () => Promise<string | undefined> {
  return async () => {
    const given = await source?.();
    if (given !== undefined && given !== '') return given;
    if (process.env.PGPASSWORD !== undefined) return process.env.PGPASSWORD;
    return new Promise((resolve) => pgpass({ host: location.host, port: location.port, database: location.database, user }, resolve));
  };
}

/** The CA certificates `verify-ca` / `verify-full` trust: sslrootcert, else libpq's ~/.postgresql/root.crt. */
function trustedCa(location: TeamBankLocation): string {
  const file = location.sslrootcert ?? path.join(os.homedir(), '.postgresql', 'root.crt');
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new BankError(`team bank ${location.display}: sslmode=${location.sslmode} needs the CA certificate ${file}, which cannot be read (${errorMessage(err)}); set sslrootcert=<file> in the URL`);
  }
}

/** node-postgres' `ssl` option for an sslmode; `prefer`/`allow` start with TLS (see `openPool`). */
function tlsOptions(location: TeamBankLocation, tls: boolean): false | ConnectionOptions {
  if (!tls) return false;
  switch (location.sslmode) {
    case 'disable':
      return false;
    case 'allow':
    case 'prefer':
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      return { rejectUnauthorized: true, ca: trustedCa(location), checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true, ca: trustedCa(location), servername: location.host };
  }
}

/** The role a URL without a user connects as: libpq's default, the OS user. */
export function connectingUser(location: TeamBankLocation): string {
  return location.user ?? process.env.PGUSER ?? os.userInfo().username;
}

function poolConfig(location: TeamBankLocation, password: PasswordSource | undefined, tls: boolean): pg.PoolConfig {
  const user = connectingUser(location);
  return {
    host: location.host,
    port: location.port,
    database: location.database,
    user,
    // node-postgres takes undefined from this function as "no password" (its types say string only).
    password: passwordFor(location, user, password) as () => Promise<string>,
    ssl: tlsOptions(location, tls),
    application_name: location.applicationName ?? 'smcs',
    connectionTimeoutMillis: 1000 * (location.connectTimeoutS ?? DEFAULT_CONNECT_TIMEOUT_S),
    max: 4,
    idleTimeoutMillis: 30_000,
  };
}

/**
 * Opens a pool and makes one connection, so a bad URL, password or TLS setup fails here with a clear message. With
 * `prefer`/`allow` a server without TLS is connected to without it, as libpq does.
 */
export async function openPool(location: TeamBankLocation, password: PasswordSource | undefined): Promise<pg.Pool> {
  const tryOpen = async (tls: boolean): Promise<pg.Pool> => {
    const pool = new pg.Pool(poolConfig(location, password, tls));
    // An idle client whose server went away emits here; the next query reconnects.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      client.release();
      return pool;
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
  };
  const fallsBack = location.sslmode === 'prefer' || location.sslmode === 'allow';
  try {
    return await tryOpen(location.sslmode !== 'disable');
  } catch (err) {
    if (fallsBack && /does not support SSL/i.test(errorMessage(err))) return tryOpen(false).catch((e: unknown) => Promise.reject(unavailable(e, location)));
    throw unavailable(err, location);
  }
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENOENT']);

/**
 * True for failures of the connection rather than of a statement: the bank is unavailable, the ask goes on without it.
 * Among them node-postgres' refusal of a client whose connection broke between two statements of a transaction.
 */
export function isConnectionFailure(err: unknown): boolean {
  if (err instanceof BankUnavailableError) return true;
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  return (
    CONNECTION_CODES.has(code) ||
    code.startsWith('08') ||
    code.startsWith('28') ||
    ['57P01', '57P02', '57P03', '3D000'].includes(code) ||
    /Connection terminated|encountered a connection error|timeout expired|does not support SSL|self[- ]signed|certificate|client password must be a string|SASL/i.test(message)
  );
}

/**
 * The failure as the user can act on it: a BankUnavailableError naming the bank (host:port/db, never a password)
 * for connection failures; any other error unchanged.
 */
export function unavailable(err: unknown, location: TeamBankLocation): Error {
  if (err instanceof BankUnavailableError || !isConnectionFailure(err)) return err instanceof Error ? err : new Error(errorMessage(err));
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = errorMessage(err);
  const user = connectingUser(location);
  const where = `${location.host}:${location.port}`;
  const say = (kind: 'connection' | 'auth', detail: string, remedy?: 'password') => new BankUnavailableError(location.display, kind, detail, remedy);
  if (code === 'ECONNREFUSED') return say('connection', `connection refused at ${where}: is the server running and accepting TCP connections there?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return say('connection', `the host ${location.host} cannot be found (DNS)`);
  if (code === 'ENOENT') return say('connection', `no server socket in ${location.host}: is the server running?`);
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || /timeout expired/i.test(message)) {
    return say('connection', `no answer from ${where} within ${location.connectTimeoutS ?? DEFAULT_CONNECT_TIMEOUT_S} s (server down, or a firewall in between)`);
  }
  if (code === '28P01') return say('auth', `the server refused the password of ${user}: set the right one with "SMCS: Set Team Bank Password", PGPASSWORD or ~/.pgpass`, 'password');
  if (/client password must be a string|SASL/i.test(message)) {
    return say('auth', `the server asks ${user} for a password and none is set: use "SMCS: Set Team Bank Password", PGPASSWORD or ~/.pgpass`, 'password');
  }
  if (code === '28000' && /no encryption/i.test(message)) return say('auth', `the server accepts ${user} only over TLS: add ?sslmode=require (or verify-full) to the bank URL`);
  if (code.startsWith('28')) return say('auth', `the server refuses ${user}: ${message}`);
  if (/does not support SSL/i.test(message)) return say('connection', `the server does not offer TLS, but the URL asks for it (sslmode=${location.sslmode})`);
  if (/self[- ]signed|certificate/i.test(message)) return say('connection', `the server's TLS certificate is not trusted (${message}): give its CA with sslrootcert=<file>, or use sslmode=require to encrypt without verifying`);
  if (code === '3D000') return say('connection', `there is no database ${location.database} on ${where}`);
  if (code === '57P03') return say('connection', 'the server is starting up or shutting down; try again in a moment');
  return say('connection', `the connection broke (${message}); nothing half-written was kept`);
}
