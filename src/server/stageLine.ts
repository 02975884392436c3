/** The stage of an ask as a short line (`smcs referencers 3/5`), sent as an SSE comment while the method runs. */
import type { PipelineEvent } from '../core/contracts/events';

export class StageLine {
  private referencers = { done: 0, of: 0 };
  private aggregations = { done: 0, of: 0 };
  private current = 'smcs embedding';

  /** The line as it stands. */
  get line(): string {
    return this.current;
  }

  /** Takes an event; returns the new line when the event changed it. */
  update(event: PipelineEvent): string | undefined {
    switch (event.type) {
      case 'retrieve':
        this.referencers = { done: 0, of: event.referencers.length };
        return this.set(`smcs referencers 0/${this.referencers.of}`);
      case 'referencer-done':
      case 'referencer-failed':
        this.referencers.done++;
        return this.set(`smcs referencers ${this.referencers.done}/${this.referencers.of}`);
      case 'subsets':
        this.aggregations = { done: 0, of: event.subsets.length };
        return this.set(`smcs aggregations 0/${this.aggregations.of}`);
      case 'aggregation-done':
      case 'aggregation-failed':
        this.aggregations.done++;
        return this.set(`smcs aggregations ${this.aggregations.done}/${this.aggregations.of}`);
      case 'checks':
        return event.checkSet.checks.length > 0 ? this.set(`smcs checks ${event.checkSet.checks.length}`) : undefined;
      case 'scored':
        return this.set('smcs scored');
      default:
        return undefined;
    }
  }

  private set(line: string): string {
    this.current = line;
    return line;
  }
}
