/** Errors raised by the question bank. Each names the bank folder and, where it applies, the file, line or field at fault. */
import type { ErrorKind } from '../core/contracts/errors';
import { cleanMessage } from '../core/util/redact';
import type { SkipReason } from './transfer/skipReasons';

/**
 * The first `max` items (each shown with `show`) joined by `separator`, then ` (and N more)` when
 * some were left out: how error messages list their problems.
 */
export function listWithMore<T>(items: readonly T[], max: number, show: (item: T) => string = String, separator = '; '): string {
  const more = items.length > max ? ` (and ${items.length - max} more)` : '';
  return `${items.slice(0, max).map(show).join(separator)}${more}`;
}

/** Base class: any failure of the bank layer. */
export class BankError extends Error {
  readonly kind = 'bank' satisfies ErrorKind;

  constructor(message: string) {
    // Messages quote files and sources, which may be URLs with credentials.
    super(cleanMessage(message));
    this.name = 'BankError';
  }
}

/** Another process (or another handle in this process) holds the bank's writer lock. */
export class BankLockedError extends BankError {
  constructor(
    readonly dir: string,
    /** Who holds the lock, as recorded by the holder; undefined when it left no record. */
    readonly holder: { pid: number; host: string; since: string } | undefined,
  ) {
    super(
      holder
        ? `bank at ${dir} is locked for writing by pid ${holder.pid} on host ${holder.host} (since ${holder.since}); close it there or open the bank read-only`
        : `bank at ${dir} is locked for writing by another process; close it there or open the bank read-only`,
    );
    this.name = 'BankLockedError';
  }
}

/** The bank was built by a different embedder than the one the caller uses. */
export class EmbedderMismatchError extends BankError {
  constructor(
    readonly dir: string,
    readonly stored: { id: string; dimension: number },
    readonly requested: { id: string; dimension: number },
  ) {
    super(
      `bank at ${dir} was built with ${stored.id} (dimension ${stored.dimension}); the config uses ${requested.id} (dimension ${requested.dimension})`,
    );
    this.name = 'EmbedderMismatchError';
  }
}

/** The bank's files are damaged and no intact copy could be found. */
export class BankCorruptError extends BankError {
  constructor(
    readonly dir: string,
    /** One line per problem found, each naming the file. */
    readonly problems: string[],
  ) {
    super(`bank at ${dir} is damaged: ${problems.join('; ')} (neither manifest.json nor manifest.prev.json describes intact files)`);
    this.name = 'BankCorruptError';
  }
}

/** One problem in an imported JSONL file. */
export interface LineError {
  /** 1-based line number. */
  line: number;
  /** The field at fault (`(line)` when the line itself is not a JSON object). */
  field: string;
  message: string;
  /** Why the line cannot be imported. */
  reason: SkipReason;
}

/** An import was refused because the file has bad lines; nothing was written. */
export class BankImportError extends BankError {
  constructor(
    readonly source: string,
    readonly errors: LineError[],
  ) {
    super(`import refused, nothing was written: ${listWithMore(errors, 5, (e) => `${source}:${e.line}: ${e.field}: ${e.message}`)}`);
    this.name = 'BankImportError';
  }
}

/** The message for a bank location that is a file. */
export function bankIsAFile(location: string): string {
  return `the bank location ${location} is a file, not a folder; name a folder for the bank`;
}

/**
 * A team bank cannot be used right now: the server is down or unreachable, the connection broke, the password or TLS
 * setup is refused. Asks go on without the bank; every message names the bank without its password.
 */
export class BankUnavailableError extends Error {
  constructor(
    /** The bank as `host:port/database`. */
    readonly location: string,
    readonly kind: Extract<ErrorKind, 'connection' | 'auth'>,
    detail: string,
    /** `password`: the password is missing or refused, so setting it (SMCS: Set Team Bank Password) is the way forward. */
    readonly remedy?: 'password',
  ) {
    super(cleanMessage(`team bank ${location}: ${detail}`));
    this.name = 'BankUnavailableError';
  }
}

/** The team bank's role may read but not write. */
export class BankReadOnlyError extends BankError {
  constructor(location: string, role: string, purpose: string) {
    super(`team bank ${location}: the role ${role} can only read this bank, so it cannot ${purpose}; asking still works (connect as a role with write access to change the bank)`);
    this.name = 'BankReadOnlyError';
  }
}

/** The team bank's schema is missing, older than this version needs, or newer than it knows. */
export class BankSchemaError extends BankError {
  constructor(
    /** The bank as `host:port/database`. */
    readonly location: string,
    readonly state: 'missing' | 'old' | 'newer',
    /** What is wrong, in a few words the panel shows ("this database has no SMCS schema yet"). */
    readonly problem: string,
    remedy: string,
  ) {
    super(`team bank ${location}: ${problem}: ${remedy}`);
    this.name = 'BankSchemaError';
  }
}
