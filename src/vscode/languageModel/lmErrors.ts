/**
 * Why a request through VS Code's chat failed, as the `LanguageModelError` the caller sees: one plain sentence or two
 * naming the problem and the command (by its title in the Command Palette) or setting that fixes it — never a stack
 * trace or an upstream's JSON. Pure; the provider turns each into VS Code's error.
 */
import type { ErrorKind } from '../../core/contracts/errors';
import { cleanMessage } from '../../core/util/redact';
import { formatUsd } from '../../presentation/format';
import type { OverLimit } from '../../core/cost/costPolicy';

/** `LanguageModelError`'s codes: its static constructors, or `Unknown` for `new LanguageModelError(message)`. */
export type LmErrorCode = 'NotFound' | 'NoPermissions' | 'Blocked' | 'Unknown';

export interface LmFailure {
  code: LmErrorCode;
  message: string;
}

const ADD_SERVER = 'Run “SMCS: Add vLLM Server” or “SMCS: Add OpenRouter”';
const SET_KEY = 'Run “SMCS: Set API Key”';
const OPEN_SETTINGS = 'run “SMCS: Open Settings”';
const SHOW_LOG = 'Run “SMCS: Show Log” for the details.';

/**
 * The part of an error's message worth showing: redacted, its first line, without a JSON document it quotes, without
 * a final full stop (the sentence around it has its own). Never cut: a sentence cut in the middle says nothing.
 */
export function plainDetail(message: string): string {
  const [first = ''] = cleanMessage(message).split('\n');
  const withoutJson = first.replace(/\s*[:—-]?\s*[[{]["\w].*$/, '').trim();
  const text = withoutJson === '' ? first.trim() : withoutJson;
  return text.replace(/[.\s]+$/, '');
}

/** No endpoint is configured. */
export const NO_SERVERS: LmFailure = {
  code: 'NotFound',
  message: `SMCS has no server to ask. ${ADD_SERVER} (or add an OpenAI-compatible endpoint to the setting smcs.endpoints), then ask again.`,
};

/**
 * The prepared ask's cost is above its limit by the one rule (core/cost/costPolicy): nothing was sent. The limit is
 * `smcs.maxCostPerQuestion`, or on a team server (`teamServer`) the server's, which its admin sets and no setting of
 * the member's changes; the panel's Send Anyway sends it there within the member's budget.
 */
export function costLimitFailure(over: OverLimit, teamServer = false): LmFailure {
  const how = over.judged === 'worst' ? 'could cost up to' : 'is expected to cost';
  const sums = `This question ${how} ${formatUsd(over.judgedUsd)}, above`;
  return {
    code: 'Blocked',
    message: teamServer
      ? `${sums} the team server's limit of ${formatUsd(over.limitUsd)} (its admin sets it), so nothing was sent. Pick “SMCS: best single model” (one model call), or ask in the SMCS panel, whose Send Anyway sends it within your budget.`
      : `${sums} the limit of ${formatUsd(over.limitUsd)} set by smcs.maxCostPerQuestion, so nothing was sent. Raise the setting smcs.maxCostPerQuestion (${OPEN_SETTINGS}), pick “SMCS: best single model” (one model call), or ask in the SMCS panel, which offers a cheaper preset.`,
  };
}

/** A setting is invalid (`setting` is its full id). */
export function settingFailure(setting: string, message: string): LmFailure {
  if (/api ?key/i.test(message)) return { code: 'NoPermissions', message: `SMCS has no API key for a server: ${plainDetail(message)}. ${SET_KEY}, then ask again.` };
  if (setting === 'smcs.endpoints' && /no endpoint is configured/i.test(message)) return NO_SERVERS;
  return { code: 'Unknown', message: `The setting ${setting} is invalid: ${plainDetail(message)}. Fix it (${OPEN_SETTINGS}), then ask again.` };
}

/** A failure of the given kind (an error event of the ask, or what a step threw). */
export function failureOf(kind: ErrorKind, message: string): LmFailure {
  const detail = plainDetail(message);
  switch (kind) {
    case 'auth':
      return { code: 'NoPermissions', message: `A server refused SMCS's API key (${detail}). ${SET_KEY} for that endpoint, then ask again.` };
    case 'connection':
      return { code: 'Unknown', message: `No SMCS server could be reached (${detail}). Check that your servers are running and that their base URLs in smcs.endpoints are right (${OPEN_SETTINGS}), then ask again.` };
    case 'timeout':
      return { code: 'Unknown', message: `An SMCS server sent nothing for too long (${detail}). It may be overloaded: ask again, or raise timeoutMs for that endpoint in smcs.endpoints (${OPEN_SETTINGS}).` };
    case 'quota':
      return { code: 'Blocked', message: `An SMCS server refused: the budget is spent (${detail}). Waiting will not help: ask whoever runs it to raise the budget, or use another endpoint in smcs.endpoints (${OPEN_SETTINGS}).` };
    case 'rate-limit':
      return { code: 'Blocked', message: `An SMCS server asked to slow down (${detail}). Wait a moment and ask again, or lower maxConcurrency for that endpoint in smcs.endpoints (${OPEN_SETTINGS}).` };
    case 'config':
      return /maxCostPerQuestion/.test(message)
        ? { code: 'Blocked', message: `No model fits the limit set by smcs.maxCostPerQuestion (${detail}). Raise the setting smcs.maxCostPerQuestion (${OPEN_SETTINGS}), then ask again.` }
        : /api ?key/i.test(message)
          ? { code: 'NoPermissions', message: `SMCS has no API key for a server (${detail}). ${SET_KEY}, then ask again.` }
          : { code: 'Unknown', message: `An SMCS setting is invalid (${detail}). Fix it (${OPEN_SETTINGS}), then ask again.` };
    case 'too-long':
      return { code: 'Unknown', message: `The conversation is longer than the SMCS models read (${detail}). Start a new chat, or send less.` };
    case 'bank':
      return { code: 'Unknown', message: `The SMCS question bank could not be used (${detail}). Run “SMCS: Recover Bank”, or “SMCS: Import Bank” to fill it, then ask again.` };
    case 'embedding':
      return { code: 'Unknown', message: `SMCS could not embed the question (${detail}). Run “SMCS: Use the Lexical Embedder (no model download)”, or “SMCS: Choose a Local Embedding Model Folder…”, then ask again.` };
    case 'cancelled':
      return { code: 'Unknown', message: 'The request was cancelled.' };
    default:
      return { code: 'Unknown', message: `SMCS could not answer: ${detail}. ${SHOW_LOG}` };
  }
}
