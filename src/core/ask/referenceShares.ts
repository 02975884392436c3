/**
 * How the references an aggregation reads give way when the window is short (core/ask/fitPrompt decides when and how
 * much room they have): each keeps what it can of an equal share. Token counts are the estimates of core/util/tokens
 * (no tokenizer is assumed for arbitrary models).
 */
import { CHARS_PER_TOKEN, estimateMessageTokens, MESSAGE_OVERHEAD_TOKENS } from '../util/tokens';

export interface SharedReferences {
  /** References after trimming, in the same order. */
  references: string[];
  /** Indices of the references that were cut. */
  trimmed: number[];
}

const TRIM_NOTE = '\n[… trimmed to fit the aggregator context]';

/**
 * Shares `budget` tokens fairly: every reference keeps min(its size, fair share), and what short ones do not use is
 * shared again among the longer ones (water-filling); a reference cut says so at its end.
 */
export function shareFairly(references: readonly string[], budget: number): SharedReferences {
  const slots = references.map((text) => ({ text, needed: estimateMessageTokens(text), allowance: 0 }));
  let remaining = Math.max(0, budget);
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
  return { references: out, trimmed };
}
