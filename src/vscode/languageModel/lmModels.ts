/**
 * The models SMCS offers VS Code's chat: the whole method (`smcs`) and the per-prompt best single model (`smcs-best`,
 * the model `smcs serve` sends a request with tools to), with windows that hold for every configured model. Pure.
 */
import { ASSUMED_WINDOW } from '../../core/promptBudget/fitContext';
import { minimumOutput } from '../../core/util/tokens';

export const COLLABORATION_ID = 'smcs';
export const BEST_MODEL_ID = 'smcs-best';
export type LmModelId = typeof COLLABORATION_ID | typeof BEST_MODEL_ID;

/** What `provideLanguageModelChatInformation` returns for one model (`LanguageModelChatInformation`). */
export interface LmModelInformation {
  id: LmModelId;
  name: string;
  family: string;
  version: string;
  tooltip: string;
  detail: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { toolCalling: boolean; imageInput: boolean };
}

export interface ModelWindows {
  /** Each configured model's context window (undefined where its endpoint reports none). */
  windows: readonly (number | undefined)[];
  /** `smcs.maxTokens`: the most tokens a reply may take. */
  maxTokens: number;
  /** The extension's version, the models' version. */
  version: string;
}

/**
 * The windows of a request any configured model may receive: the smallest known window (the assumed one when none is
 * known), of which the reply keeps what an ask keeps at least (core/util/tokens minimumOutput) and the input the rest.
 */
export function tokenLimits(windows: readonly (number | undefined)[], maxTokens: number): { maxInputTokens: number; maxOutputTokens: number } {
  const known = windows.filter((w): w is number => w !== undefined && w > 0);
  const window = known.length > 0 ? Math.min(...known) : ASSUMED_WINDOW;
  const maxOutputTokens = minimumOutput(maxTokens, window);
  return { maxInputTokens: Math.max(1, window - maxOutputTokens), maxOutputTokens };
}

/**
 * The two models, collaboration first. Both declare tool calling: VS Code 1.139's Chat view lists only such models in
 * its picker, in every mode (Agent, Ask and Plan all send tools). The collaboration's aggregations cannot carry tools,
 * so it hands a request with tools to the best single model and says so (`routedNote`).
 */
export function lmModels(input: ModelWindows): LmModelInformation[] {
  const limits = tokenLimits(input.windows, input.maxTokens);
  return [
    {
      id: COLLABORATION_ID,
      name: 'SMCS: collaboration',
      family: 'smcs',
      version: input.version,
      tooltip: 'Several models answer (chosen for this question from the bank), aggregations combine their replies, checks and scores choose the answer. A request without tools is one SMCS ask (K model calls and the aggregations); one with tools, as the Chat view\'s modes send, goes to the best single model.',
      detail: 'several models',
      ...limits,
      capabilities: { toolCalling: true, imageInput: false },
    },
    {
      id: BEST_MODEL_ID,
      name: 'SMCS: best single model',
      family: 'smcs',
      version: input.version,
      tooltip: 'The one configured model the bank ranks best for this question answers, with tools when the request has them. One model call per request.',
      detail: 'one model, tools',
      ...limits,
      capabilities: { toolCalling: true, imageInput: false },
    },
  ];
}

/** The words that open the note of a routed request to the collaboration (how a later turn knows it was said). */
const ROUTED_NOTE_OPENING = '*SMCS: collaboration*';

/**
 * What the collaboration model says when a request must go to one model: why (`reason`, e.g. "the request has
 * tools"), who answers, and how to get the whole method — not an error, since the agent's requests all carry tools.
 */
export function routedNote(reason: string): string {
  return `${ROUTED_NOTE_OPENING} — ${reason}, which the collaboration cannot pass on to its models, so the best single model for this question answers. For the whole method, ask \`@smcs\` in the Chat view (or send the request without tools).\n\n`;
}

/**
 * The conversation as the models receive it: the routed note is SMCS's word to the user, never the model's, so it is
 * taken out of the assistant turns that carry it (VS Code hands it back as the opening of the assistant's text).
 */
export function withoutNote<M extends { role: string; parts: readonly { kind: string; text?: string }[] }>(messages: readonly M[]): M[] {
  return messages.map((m) => {
    if (m.role !== 'assistant' || !m.parts.some((p) => p.kind === 'text' && p.text?.startsWith(ROUTED_NOTE_OPENING) === true)) return m;
    const parts = m.parts
      .map((p) => {
        if (p.kind !== 'text' || p.text?.startsWith(ROUTED_NOTE_OPENING) !== true) return p;
        const end = p.text.indexOf('\n\n');
        return { ...p, text: end === -1 ? '' : p.text.slice(end + 2) };
      })
      .filter((p) => p.kind !== 'text' || p.text !== '');
    return { ...m, parts };
  });
}

/** True when an assistant turn of the conversation already carries the routed note. */
export function saidBefore(messages: readonly { role: string; parts: readonly { kind: string; text?: string }[] }[]): boolean {
  return messages.some((m) => m.role === 'assistant' && m.parts.some((p) => p.kind === 'text' && p.text?.startsWith(ROUTED_NOTE_OPENING) === true));
}
