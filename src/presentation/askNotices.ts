/**
 * What the front ends tell the user before an ask is sent, worded from what the plan actually holds: where the cost
 * estimate comes from (the bank's similar questions, this installation's past calls, other models' replies, or a
 * typical reply length assumed) and how large a prompt is about to go out. The panel's dialogs and `@smcs` read them.
 */
import type { PlanCost } from '../core/cost/costPolicy';
import type { TokensFrom } from '../core/contracts/routingReport';
import { formatTokenPhrase, formatUsd } from './format';

/** `a`, `a and b`, `a, b and c`. */
function listed(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

/** Every source of a reply-length estimate, best first (core/contracts/routingReport TokensFrom). */
export const TOKENS_FROM: readonly TokensFrom[] = ['support', 'imported', 'history', 'others', 'assumed', 'none'];

/** Each source of a reply-length estimate, as the clause that names its models. */
const SOURCE_WORDS: Readonly<Record<TokensFrom, (models: string) => string>> = {
  support: (m) => `${m}: what their replies cost on similar questions in the bank`,
  imported: (m) => `${m}: what their replies cost on similar questions in the bank, counted from the replies' length when the bank was imported (no usage was recorded), which can run high until a few asks here show what they write`,
  history: (m) => `${m}: what their replies cost in this installation's past asks (the bank has no similar question they answered, or only counts estimated at import)`,
  others: (m) => `${m}: what other models' replies cost on similar questions (nothing is known of their own)`,
  assumed: (m) => `${m}: a typical reply length, nothing being known of them yet`,
  none: (m) => `${m}: unknown (no price, or no reply length to go by)`,
};

/**
 * Where the expected cost comes from, in one sentence: "Expected from what these models' replies cost on similar
 * questions in the bank." when every model's estimate is the bank's; otherwise each source with its models.
 */
export function estimateBasisText(basis: PlanCost['basis']): string {
  const sources = TOKENS_FROM.map((from) => ({ from, models: basis.filter((b) => b.from === from).map((b) => b.model) })).filter((s) => s.models.length > 0);
  const [only] = sources;
  if (only === undefined) return 'No model was chosen, so nothing is expected to be spent.';
  if (sources.length === 1 && only.from === 'support') return "Expected from what these models' replies cost on similar questions in the bank.";
  if (sources.length === 1 && only.from === 'imported') return "Expected from what these models' replies cost on similar questions in the bank, counted from the replies' length when the bank was imported (no usage was recorded): it can run high until a few asks here show what they write.";
  if (sources.length === 1 && only.from === 'history') return "Expected from what these models' replies cost in this installation's past asks: the bank has no similar question they answered, or only counts estimated at import.";
  if (sources.length === 1 && only.from === 'assumed') return 'Expected at a typical reply length: nothing is known yet of what these models write.';
  return `Expected per model from — ${sources.map((s) => SOURCE_WORDS[s.from](listed(s.models))).join('; ')}.`;
}

/** "This question and its context come to ≈110k tokens, sent to each of 6 calls: ≈660k tokens in all, expected $0.412." */
export function largePromptText(size: { promptTokens: number; calls: number; expectedUsd: number | null }): string {
  const cost = size.expectedUsd !== null ? `, expected ${formatUsd(size.expectedUsd)}` : '';
  return `This question and its context come to ≈${formatTokenPhrase(size.promptTokens)}, sent to each of ${size.calls} calls: ≈${formatTokenPhrase(size.promptTokens * size.calls)} in all${cost}.`;
}
