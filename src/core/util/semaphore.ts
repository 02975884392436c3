/** A counting semaphore whose waiters leave the queue when their AbortSignal fires. */
export class Semaphore {
  private available: number;
  private readonly waiters: Array<{ grant: () => void }> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`semaphore limit must be a whole number ≥ 1, got ${limit}`);
    this.available = limit;
  }

  /** Permits held right now. */
  get inUse(): number {
    return this.limit - this.available;
  }

  /** Waits for a permit; resolves to its release function (idempotent). Rejects with `onAbort()` if the signal fires first. */
  acquire(signal: AbortSignal, onAbort: () => Error): Promise<() => void> {
    if (signal.aborted) return Promise.reject(onAbort());
    if (this.available > 0) {
      this.available -= 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal.removeEventListener('abort', abort);
          resolve(this.releaser());
        },
      };
      const abort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(onAbort());
      };
      signal.addEventListener('abort', abort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next.grant();
      else this.available += 1;
    };
  }
}
