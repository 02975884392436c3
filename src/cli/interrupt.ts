/**
 * SIGINT and SIGTERM end every command promptly: the command's AbortSignal fires (upstream calls, embedding, the
 * sandbox, an import between steps all honour it), its own cleanup runs (the bank's writer lock released, a first
 * import's folder removed, sandboxed processes killed), and the process exits with 128 + the signal's number — 130 or
 * 143, as a shell reports a process the signal ended. A command that has not finished its cleanup within a second is
 * ended then (the writer lock folder is still removed, by proper-lockfile's exit hook); a second signal ends it at once.
 */

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof EXIT_CODES;

/** How long a command may take to clean up after the signal before the process is ended anyway. */
export const CLEANUP_MS = 1_000;
/** How long a process whose command has ended after a signal may take to exit by itself (its output flushing). */
const LINGER_MS = 200;

export interface Interruption {
  /** Aborted when SIGINT or SIGTERM arrives. */
  readonly signal: AbortSignal;
  /** The signal that arrived, if one did. */
  readonly received: StopSignal | undefined;
  /**
   * Gives the command longer than CLEANUP_MS to clean up after a signal (`smcs serve` ends its running asks, writes
   * their ledger rows and settles their holds before it exits).
   */
  allowCleanup(ms: number): void;
  /** The exit code for the signal that arrived (130, 143), if one did. */
  readonly exitCode: number | undefined;
  /**
   * Removes the handlers: the command is over. After a signal, the process is ended shortly after unless it exits by
   * itself first: an upstream call that cannot be aborted must not keep an interrupted command alive.
   */
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM until disposed. `exit` must end the process with `code`, writing `message` first
 * when there is one: the command is still running `CLEANUP_MS` after the signal, or a second signal arrived.
 */
export function listenForInterrupts(exit: (code: number, message?: string) => void): Interruption {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  let timer: NodeJS.Timeout | undefined;
  let cleanupMs = CLEANUP_MS;
  const handlers = new Map<StopSignal, () => void>();
  for (const name of Object.keys(EXIT_CODES) as StopSignal[]) {
    const handler = () => {
      const code = EXIT_CODES[name];
      if (received !== undefined) {
        exit(code, `smcs: ${name} again: stopped without finishing the cleanup\n`);
        return;
      }
      received = name;
      controller.abort(new Error(`interrupted by ${name}`));
      timer = setTimeout(() => exit(code, `smcs: interrupted by ${name}; the cleanup did not finish within ${cleanupMs / 1000} s\n`), cleanupMs);
    };
    handlers.set(name, handler);
    process.on(name, handler);
  }
  return {
    signal: controller.signal,
    allowCleanup(ms) {
      cleanupMs = Math.max(cleanupMs, ms);
    },
    get received() {
      return received;
    },
    get exitCode() {
      return received === undefined ? undefined : EXIT_CODES[received];
    },
    dispose() {
      clearTimeout(timer);
      for (const [name, handler] of handlers) process.off(name, handler);
      if (received !== undefined) {
        const code = EXIT_CODES[received];
        setTimeout(() => exit(code), LINGER_MS).unref();
      }
    },
  };
}
