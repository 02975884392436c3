/**
 * The prompt of every call of an ask as named parts, each with a priority (when the window is short, a part of higher
 * priority is kept before one of lower) and a share (the most of the window the part may take): the one table the
 * fit reads (core/ask/fitPrompt), so precedence is data (after Copilot Chat's prompt priorities: system 1000, query
 * 900, history 700). The fixed part of a prompt is counted by one function, `partTokens`.
 */
import type { ContextSource } from '../contracts/contextReport';
import { estimateMessageTokens } from '../util/tokens';

export type PromptPart = 'system' | 'question' | 'references' | 'conversation' | 'attachedFiles' | 'selection' | 'currentFile' | 'problems' | 'retrievedCode';

export interface PartRule {
  /** Higher is kept first. */
  priority: number;
  /** The most of the context window the part may take (the context parts share one such room). */
  share: number;
  /** The most tokens the part may take, whatever the window (found code helps, but every model pays for it). */
  maxTokens?: number;
  /** Always sent whole, whatever its rank: the fixed part of the prompt (a prompt it does not fit is refused). */
  always?: true;
}

/** A layout: the rule of every part. */
export type PromptLayout = Readonly<Record<PromptPart, PartRule>>;

/**
 * The layout. Always sent: the system text (the asker's, the aggregator's instructions) and the question; a prompt
 * they do not fit is refused (core/ask/promptSize). Then the references an aggregation reads, shared fairly among
 * themselves (core/ask/referenceShares); the earlier turns, newest first (core/ask/conversation); and the context the
 * conversation leaves room for, within half the window (core/promptBudget/fitContext): what the user attached first, then
 * the selection, the current file, the problems, and the retrieved code last, within its own cap.
 */
export const PROMPT_LAYOUT: PromptLayout = {
  system: { priority: 1000, share: 1, always: true },
  question: { priority: 900, share: 1, always: true },
  references: { priority: 800, share: 1 },
  conversation: { priority: 700, share: 1 },
  attachedFiles: { priority: 600, share: 0.5 },
  selection: { priority: 500, share: 0.5 },
  currentFile: { priority: 400, share: 0.5 },
  problems: { priority: 300, share: 0.5 },
  retrievedCode: { priority: 200, share: 0.5, maxTokens: 3_000 },
};

/** The prompt part each kind of context item is (a terminal's output is attached by the user, as a file is). */
export const CONTEXT_PART: Readonly<Record<ContextSource, PromptPart>> = {
  file: 'attachedFiles',
  terminal: 'attachedFiles',
  selection: 'selection',
  currentFile: 'currentFile',
  problems: 'problems',
  retrieved: 'retrievedCode',
};

/** The priority of a context item's part in `layout`. */
export const contextPriority = (source: ContextSource, layout: PromptLayout = PROMPT_LAYOUT): number => layout[CONTEXT_PART[source]].priority;

/** The context parts of `layout` as one: they share one room (the largest of their shares), at the rank of the highest. */
export function contextRule(layout: PromptLayout): { priority: number; share: number; retrievedMax: number } {
  const rules = Object.values(CONTEXT_PART).map((part) => layout[part]);
  return { priority: Math.max(...rules.map((r) => r.priority)), share: Math.max(...rules.map((r) => r.share)), retrievedMax: layout.retrievedCode.maxTokens ?? Infinity };
}

/** Estimated tokens of a prompt's parts, each text one message (or one numbered reference): the one count of a fixed part. */
export function partTokens(parts: Partial<Record<PromptPart, readonly string[]>>): number {
  return Object.values(parts).reduce((sum, texts) => sum + texts.reduce((s, text) => s + estimateMessageTokens(text), 0), 0);
}
