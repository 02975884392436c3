/**
 * One way a run joins the panel's history, for the panel's asks and VS Code's chat alike: the sink of the ask loop
 * (core/ask/askLoop) that applies each event to the run as it comes, and logs it when it is worth a line (runReport.ts).
 */
import type { PipelineEvent } from '../../core/contracts/events';
import type { LogLevel } from '../log';
import type { PanelRuns } from './panelRuns';
import { eventLogLine } from './runReport';

/** The ask loop's `event` for run `id` of `runs`: each event applied and logged, then handed to `then`. */
export function recordingEvents(id: string, runs: Pick<PanelRuns, 'apply'>, log: { write(level: LogLevel, message: string): void }, then?: (event: PipelineEvent) => void): (event: PipelineEvent) => void {
  return (event) => {
    runs.apply(id, { type: 'event', event, at: Date.now() });
    const line = eventLogLine(id, event);
    if (line) log.write(line.level, line.message);
    then?.(event);
  };
}
