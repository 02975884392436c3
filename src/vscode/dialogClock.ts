/** How long the user spends in SMCS's dialogs, for the timers of what runs meanwhile. Free of `vscode`. */

/**
 * The time the user spends in SMCS's dialogs (the model download's consent, a cost or a size to confirm): a run shown
 * meanwhile leaves it out of its stage's timer (issue 62 item 10), as Retrieve counted the 30 s a consent was open.
 */
export class DialogClock {
  private readonly listeners = new Set<(openedAt: number, closedAt: number) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Shows `dialog` and, once it closes, tells every listener when it was open. */
  async time<T>(dialog: () => PromiseLike<T>): Promise<T> {
    const openedAt = this.now();
    try {
      return await dialog();
    } finally {
      const closedAt = this.now();
      for (const listener of this.listeners) listener(openedAt, closedAt);
    }
  }

  /** Hears each dialog that closes, until the returned disposable is disposed. */
  onDidClose(listener: (openedAt: number, closedAt: number) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
