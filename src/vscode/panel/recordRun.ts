/**
 * One way a run joins the panel's history, for the panel's asks and VS Code's chat alike: each event applied to the
 * run as it comes, and logged when it is worth a line (runReport.ts).
 */
import type { PipelineEvent } from '../../core/contracts/events';
import type { LogLevel } from '../log';
import type { PanelRuns } from './panelRuns';
import { eventLogLine } from './runReport';

/** Reads `events` to their end, each applied to run `id` of `runs` and logged, then handed to `then` (which may throw to stop). */
export async function recordRun(events: AsyncIterable<PipelineEvent>, id: string, runs: Pick<PanelRuns, 'apply'>, log: { write(level: LogLevel, message: string): void }, then?: (event: PipelineEvent) => void): Promise<void> {
  for await (const event of events) {
    runs.apply(id, { type: 'event', event, at: Date.now() });
    const line = eventLogLine(id, event);
    if (line) log.write(line.level, line.message);
    then?.(event);
  }
}
