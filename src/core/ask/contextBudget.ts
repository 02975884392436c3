/**
 * Fits the aggregator prompt into the aggregator's context window with room for the output.
 * Token counts are the estimates of core/util/tokens (no tokenizer is assumed for arbitrary models).
 */
import { CHARS_PER_TOKEN, estimateMessageTokens, MESSAGE_OVERHEAD_TOKENS } from '../util/tokens';

export interface BudgetPlan {
  /** References after trimming, in the same order. */
  references: string[];
  /** Indices of the references that were cut. */
  trimmed: number[];
  /** Output tokens to request (may be lowered when the window is small). */
  maxTokens: number;
}

const TRIM_NOTE = '\n[… trimmed to fit the aggregator context]';

/**
 * Shares the token budget fairly: every reference keeps min(its size, fair share), and what short ones do not use
 * is shared again among the longer ones (water-filling). Never fails: with too small a window the output budget
 * shrinks to half the window and references are cut to what remains.
 */
export function fitReferences(
  references: readonly string[],
  fixedPromptTokens: number,
  maxTokens: number,
  contextWindow: number | undefined,
): BudgetPlan {
  if (contextWindow === undefined) return { references: [...references], trimmed: [], maxTokens };
  const slots = references.map((text) => ({ text, needed: estimateMessageTokens(text), allowance: 0 }));
  const totalNeeded = slots.reduce((sum, slot) => sum + slot.needed, 0);
  const free = contextWindow - fixedPromptTokens;
  if (totalNeeded + maxTokens <= free) return { references: [...references], trimmed: [], maxTokens };
  // Keep the full output budget unless it would take more than half of the room left by the fixed prompt.
  const outputTokens = Math.max(1, Math.min(maxTokens, Math.floor(free / 2)));
  const budget = Math.max(0, free - outputTokens);
  let remaining = budget;
  let open = slots;
  while (open.length > 0 && remaining > 0) {
    const share = Math.floor(remaining / open.length);
    if (share === 0) break;
    const next: typeof slots = [];
    for (const slot of open) {
      const give = Math.min(slot.needed - slot.allowance, share);
      slot.allowance += give;
      remaining -= give;
      if (slot.allowance < slot.needed) next.push(slot);
    }
    open = next;
  }
  const trimmed: number[] = [];
  const out = slots.map((slot, i) => {
    if (slot.allowance >= slot.needed) return slot.text;
    trimmed.push(i);
    const chars = Math.max(0, (slot.allowance - MESSAGE_OVERHEAD_TOKENS) * CHARS_PER_TOKEN - TRIM_NOTE.length);
    return slot.text.slice(0, chars) + TRIM_NOTE;
  });
  return { references: out, trimmed, maxTokens: outputTokens };
}
