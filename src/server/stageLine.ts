/**
 * The stage of an ask as a short line (`smcs referencers 3/5`), sent as an SSE comment while the method runs. It reads
 * the run's progress from its reduced state (src/presentation/runProgress.ts), the reading the panel and the CLI share.
 */
import type { PipelineEvent } from '../core/contracts/events';
import { ended, RunTracker, type RunProgress } from '../presentation/runProgress';

function lineOf(progress: RunProgress): string {
  switch (progress.phase) {
    case 'embedding':
      return 'smcs embedding';
    case 'referencers':
      return `smcs referencers ${ended(progress.referencers)}/${progress.referencers.total}`;
    case 'aggregations':
      return `smcs aggregations ${ended(progress.aggregations)}/${progress.aggregations.total}`;
    case 'checks':
      return `smcs checks ${progress.checks?.count ?? 0}`;
    case 'scored':
      return 'smcs scored';
  }
}

export class StageLine {
  private readonly tracker = new RunTracker();
  private current = 'smcs embedding';

  /** The line as it stands. */
  get line(): string {
    return this.current;
  }

  /** Takes an event; returns the new line when the event changed it. */
  update(event: PipelineEvent): string | undefined {
    const line = lineOf(this.tracker.update(event));
    if (line === this.current) return undefined;
    this.current = line;
    return line;
  }
}
