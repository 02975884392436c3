/**
 * A counting semaphore whose waiters leave the queue when their AbortSignal fires. The waiters of one signal share one
 * abort listener: an ask queues many checks (or calls) under its one signal, and a listener each would pile up on it
 * (Node warns past ten: `MaxListenersExceededWarning` on every request of `smcs serve`).
 */
interface Waiter {
  signal: AbortSignal;
  grant: () => void;
  reject: () => void;
}

export class Semaphore {
  private available: number;
  private readonly waiters: Waiter[] = [];
  /** The one abort listener of each signal that has waiters queued, and those waiters. */
  private readonly watched = new Map<AbortSignal, { listener: () => void; waiters: Set<Waiter> }>();

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
      const waiter: Waiter = {
        signal,
        grant: () => {
          this.unwatch(waiter);
          resolve(this.releaser());
        },
        reject: () => reject(onAbort()),
      };
      this.watch(waiter);
      this.waiters.push(waiter);
    });
  }

  private watch(waiter: Waiter): void {
    const known = this.watched.get(waiter.signal);
    if (known) return void known.waiters.add(waiter);
    const waiters = new Set([waiter]);
    const listener = () => {
      this.watched.delete(waiter.signal);
      for (const w of waiters) {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        w.reject();
      }
    };
    this.watched.set(waiter.signal, { listener, waiters });
    waiter.signal.addEventListener('abort', listener, { once: true });
  }

  private unwatch(waiter: Waiter): void {
    const known = this.watched.get(waiter.signal);
    if (!known) return;
    known.waiters.delete(waiter);
    if (known.waiters.size > 0) return;
    this.watched.delete(waiter.signal);
    waiter.signal.removeEventListener('abort', known.listener);
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
