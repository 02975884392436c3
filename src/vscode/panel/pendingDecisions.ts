/**
 * Proposals waiting for the user's Accept or Reject, each decided at most once: taking one out is the decision, and it
 * settles the promise its notice waits on, so the notice offering the choice closes the moment the choice is made —
 * wherever it was made (the diff's title bar, the palette, the notice itself) or when the diff was closed. Kept free of
 * `vscode` so the rule is tested without a workbench.
 */
interface Pending<P> {
  proposal: P;
  decided: () => void;
}

export class PendingDecisions<P> {
  private readonly pending = new Map<string, Pending<P>>();

  /** Starts waiting for a decision on `proposal`; the promise settles once it is taken (decided or dropped). */
  open(key: string, proposal: P): Promise<void> {
    this.take(key);
    return new Promise<void>((decided) => this.pending.set(key, { proposal, decided }));
  }

  /** The proposal under `key`, still undecided. */
  get(key: string): P | undefined {
    return this.pending.get(key)?.proposal;
  }

  /** The undecided proposal opened last. */
  latest(): P | undefined {
    return [...this.pending.values()].at(-1)?.proposal;
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * Decides `key`: removes it and settles its promise. Undefined when it was decided already, so a second Accept (a late
   * click, the palette after the title bar) finds nothing to apply.
   */
  take(key: string): P | undefined {
    const entry = this.pending.get(key);
    if (!entry) return undefined;
    this.pending.delete(key);
    entry.decided();
    return entry.proposal;
  }

  /**
   * Drops the proposals whose diffs were closed (`closed`) and are shown nowhere now (`shown`: a diff moved to another
   * group is closed in one and shown in the other): closing the diff leaves the file as it was, as Reject does.
   */
  dropClosed(closed: Iterable<string>, shown: ReadonlySet<string>): P[] {
    return [...new Set(closed)].flatMap((key) => {
      if (shown.has(key)) return [];
      const dropped = this.take(key);
      return dropped === undefined ? [] : [dropped];
    });
  }
}
