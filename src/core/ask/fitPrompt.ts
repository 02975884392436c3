/**
 * The one fit of a prompt into a model's context window, for every call of an ask (referencers, aggregations, and the
 * context every call carries): the prompt's named parts (core/promptBudget/promptLayout) take room in the order of the
 * layout's priorities, so which part gives way first is the table's data, and the fixed part — the parts always sent
 * whole — is counted once, here. A part's room is what the window leaves after the fixed part, everything the parts
 * above it want, and the reply's minimum output: a part below one that had to give way gets nothing, as the lowest
 * priority is pruned first in Copilot Chat's prompt renderer. Each part gives way in its own manner: references keep
 * equal shares (referenceShares), the oldest turns go first (conversation), context items are cut by lines or left
 * out (core/promptBudget/fitContext).
 */
import type { ContextItem } from '../context/contextItem';
import { ASSUMED_WINDOW, contextRoom, fitContext, type FittedContext } from '../promptBudget/fitContext';
import { contextRule, partTokens, PROMPT_LAYOUT, type PromptLayout } from '../promptBudget/promptLayout';
import { minimumOutput } from '../util/tokens';
import { newestTurns, turnTokens, type Turn } from './conversation';
import { shareFairly } from './referenceShares';

/** A prompt by part: the system text and the question (always sent), the references an aggregation reads, the earlier turns (oldest first), the context. */
export interface PromptParts {
  system?: readonly string[];
  question?: readonly string[];
  references?: readonly string[];
  conversation?: readonly Turn[];
  context?: readonly ContextItem[];
}

export interface FittedPrompt {
  /** The references as sent, in their order. */
  references: string[];
  /** Indices of the references that were cut. */
  trimmedReferences: number[];
  /** The newest turns that fit, oldest first. */
  turns: Turn[];
  /** How many of the oldest turns were left out. */
  droppedTurns: number;
  /** The context items kept (cut where they had to be) and a note for each cut. */
  context: FittedContext;
  /** Output tokens to ask for: the wanted ones, or fewer when the window leaves fewer after the prompt (at least 1). */
  maxTokens: number;
}

/** The window and the output a prompt is fitted to; an unknown window keeps every part whole (the context assumes one). */
export interface FitTarget {
  window: number | undefined;
  maxTokens: number;
}

type Placed = 'references' | 'conversation' | 'context';

/** Estimated tokens of the parts sent whole whatever the window (`always` in the layout): the fixed part of a prompt. */
export function fixedTokens(parts: PromptParts, layout: PromptLayout = PROMPT_LAYOUT): number {
  const always = (['system', 'question', 'references'] as const).filter((part) => layout[part].always === true);
  return partTokens(Object.fromEntries(always.map((part) => [part, parts[part] ?? []])));
}

/** `parts` fitted to `target` by `layout` (see the file's comment). */
export function fitPrompt(parts: PromptParts, target: FitTarget, layout: PromptLayout = PROMPT_LAYOUT): FittedPrompt {
  const { window } = target;
  const references = parts.references ?? [];
  const turns = parts.conversation ?? [];
  const items = parts.context ?? [];
  const fitted: FittedPrompt = { references: [...references], trimmedReferences: [], turns: [...turns], droppedTurns: 0, context: { items: [], notes: [] }, maxTokens: target.maxTokens };
  // What the parts placed so far want (the rooms below them), and what they take (the output's room).
  let claimed = fixedTokens(parts, layout);
  let used = claimed;
  const place: Record<Placed, () => void> = {
    references: () => {
      const wanted = partTokens({ references });
      if (references.length === 0 || layout.references.always === true || window === undefined || wanted + fitted.maxTokens <= window - claimed) used += wanted;
      else {
        // The output keeps its budget unless it would take more than half of the room the parts above leave.
        const free = window - claimed;
        fitted.maxTokens = Math.max(1, Math.min(fitted.maxTokens, Math.floor(free / 2)));
        const shared = shareFairly(references, free - fitted.maxTokens);
        fitted.references = shared.references;
        fitted.trimmedReferences = shared.trimmed;
        used += partTokens({ references: shared.references });
      }
      claimed += wanted;
    },
    conversation: () => {
      const wanted = turnTokens(turns);
      if (window === undefined) used += wanted;
      else {
        const kept = newestTurns(turns, window - claimed - minimumOutput(fitted.maxTokens, window));
        fitted.turns = turns.slice(turns.length - kept.turns);
        fitted.droppedTurns = turns.length - kept.turns;
        used += kept.tokens;
      }
      claimed += wanted;
    },
    context: () => {
      const rule = contextRule(layout);
      fitted.context = fitContext(items, contextRoom([window ?? ASSUMED_WINDOW], claimed, fitted.maxTokens, rule.share), rule.retrievedMax, layout);
      claimed += items.reduce((sum, item) => sum + item.tokens, 0);
      used += fitted.context.items.reduce((sum, item) => sum + item.tokens, 0);
    },
  };
  const rank: Record<Placed, number> = { references: layout.references.priority, conversation: layout.conversation.priority, context: contextRule(layout).priority };
  for (const part of (Object.keys(place) as Placed[]).sort((a, b) => rank[b] - rank[a])) place[part]();
  if (window !== undefined) fitted.maxTokens = Math.max(1, Math.min(fitted.maxTokens, window - used));
  return fitted;
}
