/**
 * Telemetry event construction, pure and allow-listed. Every event is built here from an explicit list
 * of numeric measurements and enumerated properties; anything else is dropped. Prompts, code, answers,
 * model names, file paths, hosts and keys therefore cannot reach a telemetry payload.
 */
import { ERROR_KINDS, type ErrorKind } from '../../core/contracts/errors';
import type { AskResult } from '../../core/contracts/events';
import type { PresetName } from '../../core/contracts/types';
import { CONFIG_SETTINGS } from '../settingsMapping';

export interface TelemetryPayload {
  name: TelemetryEventName;
  properties: Record<string, string>;
  measurements: Record<string, number>;
}

const STAGE_VALUES = ['retrieve', 'referencers', 'aggregate', 'score', 'none'] as const;
const BOOL = ['true', 'false'] as const;
const PRESET_VALUES = ['quality', 'balanced', 'fast', 'custom'] as const;

interface EventSchema {
  measurements: readonly string[];
  properties: Readonly<Record<string, readonly string[]>>;
}

const SCHEMA = {
  activate: { measurements: ['activationMs'], properties: {} },
  'ask.done': {
    measurements: [
      'referencers', 'referencersOk', 'candidates', 'candidatesOk', 'winner', 'supportCount',
      'embedMs', 'retrieveMs', 'referencersMs', 'aggregateMs', 'scoreMs', 'totalMs',
      'promptTokens', 'completionTokens', 'questionChars', 'calls', 'turns', 'droppedTurns', 'cappedOutputs',
    ],
    properties: { logprobsUsed: BOOL, selectionFallback: ['empty-bank', 'no-profiled-model', 'bank-unavailable', 'none'], fellBack: BOOL, referenceByChecks: BOOL, preset: PRESET_VALUES },
  },
  // The error's kind (core/contracts/errors) is the only error information telemetry ever carries.
  'ask.error': { measurements: ['elapsedMs', 'causes'], properties: { errorKind: ERROR_KINDS, stage: STAGE_VALUES } },
  'ask.cancelled': { measurements: ['elapsedMs'], properties: { stage: STAGE_VALUES } },
  'reply.chosen': { measurements: ['chosen', 'winner', 'candidates'], properties: { reverted: BOOL } },
  'code.action': { measurements: ['candidate'], properties: { action: ['copy', 'insert', 'open'], fromWinner: BOOL } },
  'config.invalid': { measurements: [], properties: { setting: [] } },
} as const satisfies Record<string, EventSchema>;

export type TelemetryEventName = keyof typeof SCHEMA;

/** Names of the settings that may be reported as invalid (names only, never their values). */
const SETTING_NAMES: readonly string[] = ['smcs', ...CONFIG_SETTINGS.map((s) => `smcs.${s.setting}`)];

/**
 * Builds an event keeping only the schema's fields: measurements must be finite numbers, properties
 * must be one of the enumerated values. Unknown fields and values are dropped, not reported.
 */
export function telemetryEvent(name: TelemetryEventName, properties: Record<string, unknown>, measurements: Record<string, unknown>): TelemetryPayload {
  const schema: EventSchema = SCHEMA[name];
  const allowedProps: Readonly<Record<string, readonly string[]>> =
    name === 'config.invalid' ? { setting: SETTING_NAMES } : schema.properties;
  const props: Record<string, string> = {};
  for (const [key, allowed] of Object.entries(allowedProps)) {
    const v = properties[key];
    if (typeof v === 'string' && allowed.includes(v)) props[key] = v;
  }
  const meas: Record<string, number> = {};
  for (const key of schema.measurements) {
    const v = measurements[key];
    if (typeof v === 'number' && Number.isFinite(v)) meas[key] = v;
  }
  return { name, properties: props, measurements: meas };
}

/** The `ask.done` event: counts, timings and the winner's index of a finished run. */
export function askDoneEvent(result: AskResult, preset: PresetName | 'custom'): TelemetryPayload {
  return telemetryEvent(
    'ask.done',
    {
      logprobsUsed: String(result.logprobsUsed),
      selectionFallback: result.selectionFallback ?? 'none',
      fellBack: String(result.answer.because === 'fallback'),
      // The checks ranked a referencer's own reply above every candidate: whether, never which model.
      referenceByChecks: String(result.answer.reply.kind === 'referencer' && result.answer.because === 'checks'),
      preset,
    },
    {
      referencers: result.referencers.length,
      referencersOk: result.referencers.filter((r) => r.ok).length,
      candidates: result.candidates.length,
      candidatesOk: result.candidates.filter((c) => c.ok).length,
      winner: result.winner,
      supportCount: result.support.count,
      ...result.timings,
      promptTokens: result.usage.promptTokens,
      completionTokens: result.usage.completionTokens,
      questionChars: result.question.length,
      calls: result.calls.length,
      turns: result.conversation.turns,
      droppedTurns: result.conversation.dropped.reduce((sum, d) => sum + d.turns, 0),
      cappedOutputs: result.cappedOutput.length,
    },
  );
}

/** The `ask.error` event: the error's kind, how many model failures were behind it, and the stage that failed. */
export function askErrorEvent(kind: ErrorKind, causes: number, stage: string | undefined, elapsedMs: number): TelemetryPayload {
  return telemetryEvent('ask.error', { errorKind: kind, stage: stage ?? 'none' }, { elapsedMs, causes });
}

/**
 * The `reply.chosen` event: which candidate the user chose (−1: a referencer's reply) against which winner, and whether
 * the choice went back to the run's own answer (the winner, or a reference the run answered with).
 */
export function replyChosenEvent(chosen: number, winner: number, candidates: number, reverted: boolean): TelemetryPayload {
  return telemetryEvent('reply.chosen', { reverted: String(reverted) }, { chosen, winner, candidates });
}
