/**
 * The one context budget of an ask: the items fit the smallest context window among the chosen referencers and the
 * aggregator after the conversation, taking explicit attachments first, then the selection, the current file, the
 * problems and the retrieved chunks; what is cut is said with the limit that cut it ("utils.py lines 200–900 left out:
 * context window"; "3 retrieved chunks left out: retrieval share" when the window had room but found code had its share).
 */
import { minimumOutput } from '../util/tokens';
import { contextItem, promptPath, type ContextItem } from '../context/contextItem';
import { contextPriority, contextRule, PROMPT_LAYOUT, type PromptLayout } from './promptLayout';

/** The window assumed when no chosen model's window is known (a common size of today's open models). */
export const ASSUMED_WINDOW = 32_768;
/** At most this share of the window goes to context (the context parts' share, core/promptBudget/promptLayout). */
export const CONTEXT_SHARE = contextRule(PROMPT_LAYOUT).share;
/** Retrieved chunks together take at most this many tokens (the retrieved code's cap, core/promptBudget/promptLayout). */
export const RETRIEVED_MAX_TOKENS = contextRule(PROMPT_LAYOUT).retrievedMax;
/** An item cut to fewer tokens than this is left out instead: a label and a few lines help no model. */
const SMALLEST_USEFUL = 40;

/**
 * Tokens the context may take: `share` of the smallest known window (else the assumed one), less what the parts above
 * it take (conversation, question, aggregator instructions) and the reply's minimum output.
 */
export function contextRoom(windows: readonly (number | undefined)[], fixedTokens: number, maxTokens: number, share = CONTEXT_SHARE): number {
  const window = smallestWindow(windows);
  return Math.max(0, Math.min(Math.floor(window * share), window - fixedTokens - minimumOutput(maxTokens, window)));
}

/** The window the context fits: the smallest known of `windows`, else the assumed one. */
export function smallestWindow(windows: readonly (number | undefined)[]): number {
  const known = windows.filter((w): w is number => w !== undefined && w > 0);
  return known.length > 0 ? Math.min(...known) : ASSUMED_WINDOW;
}

export interface FittedContext {
  items: ContextItem[];
  /** What was cut and why, one sentence each. */
  notes: string[];
}

const lineRange = (a: number, b: number): string => (a === b ? `line ${a}` : `lines ${a}–${b}`);

/** The longest run of an item's lines that fits `tokens`, around its focus line (else from its start). */
function cut(item: ContextItem, tokens: number): { kept: ContextItem; notes: string[] } | undefined {
  const lines = item.text.split('\n');
  const overhead = item.tokens - Math.ceil(item.text.length / 3);
  const chars = (tokens - overhead) * 3;
  if (tokens < SMALLEST_USEFUL || chars <= 0) return undefined;
  const focus = Math.min(Math.max((item.focusLine ?? item.startLine) - item.startLine, 0), lines.length - 1);
  let a = focus;
  let b = focus;
  let used = (lines[focus] ?? '').length;
  if (used > chars) return undefined;
  // Grow both ways from the focus (downwards first: the code after the cursor is what the user is writing).
  for (let grew = true; grew; ) {
    grew = false;
    const below = lines[b + 1];
    if (below !== undefined && used + below.length + 1 <= chars) { b++; used += below.length + 1; grew = true; }
    const above = lines[a - 1];
    if (above !== undefined && used + above.length + 1 <= chars) { a--; used += above.length + 1; grew = true; }
  }
  const startLine = item.startLine + a;
  const endLine = item.startLine + b;
  const { tokens: _old, ...rest } = item;
  const kept = contextItem({ ...rest, startLine, endLine, text: lines.slice(a, b + 1).join('\n') });
  const notes = [
    ...(startLine > item.startLine ? [`${promptPath(item.path)} ${lineRange(item.startLine, startLine - 1)} left out: context window`] : []),
    ...(endLine < item.endLine ? [`${promptPath(item.path)} ${lineRange(endLine + 1, item.endLine)} left out: context window`] : []),
  ];
  return { kept, notes };
}

/**
 * Whether `item` repeats lines the earlier kept items of the same file already carry, together (a selection and the
 * open file's parts around it cover the chunk that spans them). Problems and terminal text never do, nor does a
 * selection: it says which lines the question is about, even inside a file attached whole.
 */
function covered(item: ContextItem, kept: readonly ContextItem[]): boolean {
  if (item.source === 'problems' || item.source === 'terminal' || item.source === 'selection') return false;
  const spans = kept.filter((k) => k.path === item.path && k.outline !== true && k.source !== 'problems' && k.source !== 'terminal').sort((a, b) => a.startLine - b.startLine);
  let next = item.startLine;
  for (const span of spans) {
    if (span.startLine > next) break;
    next = Math.max(next, span.endLine + 1);
    if (next > item.endLine) return true;
  }
  return false;
}

/**
 * Fits `items` into `room` tokens in the order of the layout's priorities (stable within a source): an item that does
 * not fit whole is cut to the lines that do (a retrieved chunk is left out instead), and a chunk already inside a kept
 * item is not sent twice. How much room the context has is core/ask/fitPrompt's to say.
 */
export function fitContext(items: readonly ContextItem[], room: number, retrievedMax = RETRIEVED_MAX_TOKENS, layout: PromptLayout = PROMPT_LAYOUT): FittedContext {
  const ordered = [...items].sort((x, y) => contextPriority(y.source, layout) - contextPriority(x.source, layout));
  const kept: ContextItem[] = [];
  const notes: string[] = [];
  let left = room;
  let retrievedLeft = retrievedMax;
  // Retrieved chunks left out, by the limit that left them out: the window, or retrieval's share of it.
  const retrievedOut = { window: 0, share: 0 };
  for (const item of ordered) {
    if (covered(item, kept)) continue;
    if (item.source === 'retrieved') {
      if (item.tokens <= Math.min(left, retrievedLeft)) {
        kept.push(item);
        left -= item.tokens;
        retrievedLeft -= item.tokens;
      } else if (item.tokens > left) retrievedOut.window++;
      else retrievedOut.share++;
      continue;
    }
    if (item.tokens <= left) {
      kept.push(item);
      left -= item.tokens;
      continue;
    }
    const trimmed = cut(item, left);
    if (trimmed === undefined) {
      notes.push(`${promptPath(item.path)}${item.source === 'problems' || item.source === 'terminal' ? '' : ` ${lineRange(item.startLine, item.endLine)}`} left out: context window`);
      continue;
    }
    kept.push(trimmed.kept);
    left -= trimmed.kept.tokens;
    notes.push(...trimmed.notes);
  }
  const more = kept.some((k) => k.source === 'retrieved') ? ' more' : '';
  for (const [count, limit] of [[retrievedOut.share, 'retrieval share'], [retrievedOut.window, 'context window']] as const) {
    if (count > 0) notes.push(`${count}${more} retrieved chunk${count === 1 ? '' : 's'} left out: ${limit}`);
  }
  return { items: kept, notes };
}
