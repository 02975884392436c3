/**
 * What a run leaves behind besides the panel: a log line for each event worth one, and the one telemetry event of a
 * finished run (done, failed, or stopped, with the stage it stopped in). Pure, so its tests need no VS Code.
 */
import { referenceFields } from '../../presentation/answerNames';
import { referenceChooser } from '../../presentation/answerView';
import type { PipelineEvent } from '../../core/contracts/events';
import type { PresetName } from '../../core/contracts/types';
import { resultFromRun } from '../../presentation/runResult';
import { STAGES, type RunState } from '../../presentation/runState';
import type { LogLevel } from '../log';
import { askDoneEvent, askErrorEvent, telemetryEvent, type TelemetryPayload } from '../telemetry/telemetryEvents';

/** The log line of an event of run `id`, or undefined for events the log leaves out (deltas, progress). */
export function eventLogLine(id: string, event: PipelineEvent): { level: LogLevel; message: string } | undefined {
  switch (event.type) {
    case 'retrieve':
      return { level: 'info', message: `ask ${id}: retrieved ${event.supportCount} similar questions in ${Math.round(event.ms)} ms; referencers ${event.referencers.join(', ')}${event.fallback ? ` (${event.fallback})` : ''}` };
    case 'referencer-done':
      return { level: 'info', message: `ask ${id}: ${event.reference.model} ${event.reference.ok ? 'answered' : `failed: ${event.reference.error ?? ''}`} in ${Math.round(event.reference.latencyMs)} ms` };
    case 'referencer-failed':
      return { level: 'warn', message: `ask ${id}: ${event.model} failed: ${event.error}` };
    case 'aggregation-failed':
      return { level: 'warn', message: `ask ${id}: aggregation ${event.index + 1} failed: ${event.error}` };
    case 'done': {
      const { checksReference } = referenceFields(event.result.answer, event.result.selectedBy);
      return {
        level: 'info',
        message: `ask ${id}: done in ${Math.round(event.result.timings.totalMs)} ms, winner candidate ${event.result.winner + 1} of ${event.result.candidates.length}${checksReference !== undefined ? `; the answer is the reply of ${checksReference} (chosen by ${referenceChooser(event.result.selectedBy)})` : ''}`,
      };
    }
    case 'error':
      return { level: 'error', message: `ask ${id}: ${event.message}${event.causes.length ? ` (${event.causes.join('; ')})` : ''}` };
    default:
      return undefined;
  }
}

/** The telemetry event of a run that ended (`ask.done`, `ask.error` or `ask.cancelled`), or undefined while it runs. */
export function finishedRunEvent(run: RunState, preset: PresetName | 'custom', now: number): TelemetryPayload | undefined {
  const elapsed = (run.finishedAt ?? now) - run.startedAt;
  if (run.status === 'done') {
    const result = resultFromRun(run);
    return result ? askDoneEvent(result, preset) : undefined;
  }
  if (run.status === 'error') {
    const failedStage = STAGES.find((s) => run.stages[s].status === 'failed');
    return askErrorEvent(run.error?.kind ?? 'internal', run.error?.causes.length ?? 0, failedStage, elapsed);
  }
  if (run.status === 'cancelled') {
    const stage = STAGES.find((s) => run.stages[s].endedAt === run.finishedAt && run.stages[s].startedAt !== undefined && run.stages[s].startedAt !== run.finishedAt);
    return telemetryEvent('ask.cancelled', { stage: stage ?? 'none' }, { elapsedMs: elapsed });
  }
  return undefined;
}
