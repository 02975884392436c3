/**
 * Where a bank is: a folder (the local store) or a `postgres://user@host:port/db?sslmode=…` URL (a team bank).
 * Parsed with libpq's meaning of the URL; a URL carrying a password is refused, because the password then sits in
 * settings, logs and messages (it comes from SecretStorage, PGPASSWORD or ~/.pgpass instead).
 */

/** libpq's `sslmode` values; `prefer` is libpq's default. */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** The query parameters a team bank URL may carry (others are refused by name rather than ignored). */
const KNOWN_PARAMETERS = ['sslmode', 'sslrootcert', 'connect_timeout', 'host', 'application_name'] as const;

export interface TeamBankLocation {
  user: string | undefined;
  /** Host name, IP address, or a folder holding the server's Unix socket. */
  host: string;
  port: number;
  database: string;
  sslmode: SslMode;
  /** The CA certificate file for `verify-ca` / `verify-full`. */
  sslrootcert?: string;
  /** Seconds to wait for a connection (libpq's `connect_timeout`). */
  connectTimeoutS?: number;
  applicationName?: string;
  /** `host:port/database`, what messages and the panel show (never a password: the URL cannot hold one). */
  display: string;
}

/** Why a URL with a password is refused (the setting's name goes in front). */
export const URL_PASSWORD_REFUSED =
  'carries a password (user:password@host), which would sit in settings and logs: remove it and set it with "SMCS: Set Team Bank Password", PGPASSWORD or ~/.pgpass';

/** True when `location` names a team bank (a postgres:// or postgresql:// URL) rather than a folder. */
export function isTeamBankUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location.trim());
}

/** A parse failure: `detail` completes "<setting> …". */
export class BankLocationError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'BankLocationError';
  }
}

/** Parses a team bank URL (see `TeamBankLocation`); throws BankLocationError naming what is wrong. */
export function parseTeamBankUrl(text: string): TeamBankLocation {
  let url: URL;
  try {
    // WHATWG URL parses only special schemes' hosts fully; the http form has the same authority grammar.
    url = new URL(text.trim().replace(/^postgres(ql)?:/i, 'http:'));
  } catch {
    throw new BankLocationError('is not a valid postgres:// URL (postgres://user@host:5432/database?sslmode=require)');
  }
  if (url.password !== '') throw new BankLocationError(URL_PASSWORD_REFUSED);
  const params = url.searchParams;
  if (params.has('password')) throw new BankLocationError(URL_PASSWORD_REFUSED);
  const unknown = [...params.keys()].filter((k) => !(KNOWN_PARAMETERS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new BankLocationError(`has an unknown parameter ${JSON.stringify(unknown[0])} (known: ${KNOWN_PARAMETERS.join(', ')})`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) throw new BankLocationError('names no database: end it with /<database>, e.g. postgres://user@host:5432/smcs');
  const sslmode = params.get('sslmode') ?? 'prefer';
  if (!(SSL_MODES as readonly string[]).includes(sslmode)) throw new BankLocationError(`has sslmode=${sslmode}; use one of ${SSL_MODES.join(', ')}`);
  const socketHost = params.get('host') ?? undefined;
  const host = url.hostname !== '' ? decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1') : socketHost;
  if (host === undefined || host === '') throw new BankLocationError('names no host: postgres://user@host:5432/database');
  const port = url.port === '' ? 5432 : Number(url.port);
  const timeout = params.get('connect_timeout');
  const connectTimeoutS = timeout === null ? undefined : Number(timeout);
  if (connectTimeoutS !== undefined && !(Number.isInteger(connectTimeoutS) && connectTimeoutS >= 0)) throw new BankLocationError(`has connect_timeout=${timeout}; give whole seconds`);
  const user = url.username === '' ? undefined : decodeURIComponent(url.username);
  return {
    user,
    host,
    port,
    database,
    sslmode: sslmode as SslMode,
    ...(params.get('sslrootcert') ? { sslrootcert: params.get('sslrootcert') as string } : {}),
    ...(connectTimeoutS !== undefined ? { connectTimeoutS } : {}),
    ...(params.get('application_name') ? { applicationName: params.get('application_name') as string } : {}),
    display: `${host.includes(':') ? `[${host}]` : host}:${port}/${database}`,
  };
}
