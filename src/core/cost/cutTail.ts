/**
 * What a reply cut off mid-way went on writing after we stopped reading it. Closing the connection does not stop an
 * upstream at once: the close travels through its proxies and its generation loop notices it between tokens (or never,
 * and it writes to the end of its reply), and every token it writes meanwhile is billed. We cannot see those tokens, so
 * they are estimated from the stream's own pace — the characters that arrived after its first piece, over the time from
 * that piece to the last — times how long the upstream is taken to write on (its endpoint's `cutTailMs`), and never past
 * the request's `max_tokens`. Pure: the times are the caller's clock.
 */
import { CHARS_PER_TOKEN } from '../util/tokens';

/** The pace of one streamed reply, fed piece by piece as it arrives. */
export class StreamPace {
  private firstAt: number | undefined;
  private lastAt = 0;
  /** Characters that arrived after the first piece. */
  private after = 0;

  /** A piece of `chars` characters arrived at `at` (ms, the caller's clock); empty pieces say nothing of the pace. */
  add(chars: number, at: number): void {
    if (chars <= 0) return;
    if (this.firstAt === undefined) this.firstAt = at;
    else this.after += chars;
    this.lastAt = at;
  }

  /** Estimated tokens a millisecond (CHARS_PER_TOKEN, the estimate's unit); undefined until two pieces came at two moments. */
  get tokensPerMs(): number | undefined {
    const span = this.firstAt === undefined ? 0 : this.lastAt - this.firstAt;
    return span > 0 ? this.after / CHARS_PER_TOKEN / span : undefined;
  }
}

/** What is known of a reply cut off after it began, for counting the tokens it wrote after the cut. */
export interface CutTail {
  /** Its pace while it streamed, in the estimate's tokens (StreamPace). */
  tokensPerMs: number | undefined;
  /** How long its upstream is taken to write on after the close (the endpoint's cutTailMs); undefined: not our cut. */
  writesOnMs: number | undefined;
  /** The tokens it wrote before the cut, in the same unit. */
  streamedTokens: number;
  /** The request's output limit: the upstream writes no more in all. */
  maxTokens: number;
}

/**
 * Tokens written after the cut: the pace times how long the upstream writes on, at most what `max_tokens` leaves;
 * 0 when the pace is unknown (one piece only) or we did not stop reading (a lost connection: the upstream stopped).
 */
export function tailTokens({ tokensPerMs, writesOnMs, streamedTokens, maxTokens }: CutTail): number {
  if (tokensPerMs === undefined || writesOnMs === undefined || writesOnMs <= 0) return 0;
  return Math.max(0, Math.min(tokensPerMs * writesOnMs, maxTokens - streamedTokens));
}

/** How far one ask's reported calls move the scale; older asks weigh less with each new one. */
const DECAY = 0.8;

/**
 * Reported over estimated tokens of the calls an engine has seen, across asks (in memory): what a cut call's estimate is
 * scaled by when its own ask has no reported call yet (every reply of the ask cut, or cut before any ended), so an
 * upstream whose tokenizer counts 4.6 characters a token is not charged at the estimate's 3.
 */
export class TokenScale {
  private readonly sums = { estimatedPrompt: 0, prompt: 0, estimatedCompletion: 0, completion: 0 };

  /** One ask's reported calls: their estimated and reported tokens. */
  observe(calls: { estimatedPrompt: number; prompt: number; estimatedCompletion: number; completion: number }): void {
    if (!(calls.estimatedPrompt > 0 && calls.prompt > 0) && !(calls.estimatedCompletion > 0 && calls.completion > 0)) return;
    for (const key of ['estimatedPrompt', 'prompt', 'estimatedCompletion', 'completion'] as const) this.sums[key] = this.sums[key] * DECAY + calls[key];
  }

  /** The reported-over-estimated ratios seen so far; 1 where none was seen. */
  get ratios(): { prompt: number; completion: number } {
    const ratio = (reported: number, estimated: number): number => (estimated > 0 && reported > 0 ? reported / estimated : 1);
    return { prompt: ratio(this.sums.prompt, this.sums.estimatedPrompt), completion: ratio(this.sums.completion, this.sums.estimatedCompletion) };
  }
}
