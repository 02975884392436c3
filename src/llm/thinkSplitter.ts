/**
 * Splits streamed content into answer text and reasoning: `<think>…</think>` blocks, and a lone `</think>` that closes
 * reasoning the stream never opened (the chat template pre-filled `<think>`, as QwQ and the DeepSeek-R1 distills do when
 * vLLM runs without a reasoning parser). Tags split across chunks are handled: a chunk tail that may start a tag is held
 * back until the next chunk.
 *
 * Text before a lone `</think>` cannot be known as reasoning until the tag arrives, so it streams as answer text and the
 * tag yields a `retract` event: everything emitted as answer so far was reasoning. The same event drops whitespace that
 * preceded a `<think>` at the start, and whitespace between reasoning and the answer is never emitted.
 */
import type { TextDelta } from '../core/contracts/types';

const OPEN = '<think>';
const CLOSE = '</think>';

/** A piece of answer text or reasoning, or `retract`: the answer text emitted so far was reasoning. */
export type SplitEvent = TextDelta | { kind: 'retract' };

/**
 * Length of the longest suffix of `text` that is a proper prefix of `tag`. Both tags hold one `<`, their first
 * character, so only a suffix from the last `<` can be one: most chunks have none near their end and cost one scan.
 */
function partialTagLength(text: string, tag: string): number {
  const start = text.lastIndexOf('<');
  const n = text.length - start;
  return start >= 0 && n < tag.length && tag.startsWith(text.slice(start)) ? n : 0;
}

export class ThinkSplitter {
  private pending = '';
  private thinking = false;
  /** Reasoning came before the answer (a block, a lone close, or a reasoning field): leading whitespace is a separator. */
  private reasoningSeen = false;
  /** Answer text emitted since the start or the last retract: none, only whitespace, or more. */
  private answer: 'none' | 'space' | 'text' = 'none';

  /** Feeds one chunk; returns the events it completes, in order. */
  push(chunk: string): SplitEvent[] {
    const out: SplitEvent[] = [];
    let text = this.pending + chunk;
    this.pending = '';
    for (;;) {
      const open = this.thinking ? -1 : text.indexOf(OPEN);
      const close = text.indexOf(CLOSE);
      if (open < 0 && close < 0) break;
      if (open >= 0 && (close < 0 || open < close)) {
        this.emit(out, text.slice(0, open));
        text = text.slice(open + OPEN.length);
        this.openBlock(out);
      } else {
        this.emit(out, text.slice(0, close));
        text = text.slice(close + CLOSE.length);
        this.closeBlock(out);
      }
    }
    const keep = Math.max(partialTagLength(text, CLOSE), this.thinking ? 0 : partialTagLength(text, OPEN));
    this.emit(out, text.slice(0, text.length - keep));
    this.pending = text.slice(text.length - keep);
    return out;
  }

  /** Reasoning arrived outside the content (a `reasoning_content` or `reasoning` field): whitespace answered so far is dropped. */
  markReasoning(): SplitEvent[] {
    this.reasoningSeen = true;
    return this.answer === 'space' ? this.retract() : [];
  }

  /** Ends the stream: a held-back partial tag is plain text (or reasoning, inside an unclosed block). */
  flush(): SplitEvent[] {
    const out: SplitEvent[] = [];
    this.emit(out, this.pending);
    this.pending = '';
    return out;
  }

  private openBlock(out: SplitEvent[]): void {
    // whitespace before a leading <think> is not an answer
    if (this.answer === 'space') out.push(...this.retract());
    this.thinking = true;
    this.reasoningSeen = true;
  }

  private closeBlock(out: SplitEvent[]): void {
    if (this.thinking) this.thinking = false;
    else out.push(...this.retract());
    this.reasoningSeen = true;
  }

  private retract(): SplitEvent[] {
    this.answer = 'none';
    return [{ kind: 'retract' }];
  }

  private emit(out: SplitEvent[], text: string): void {
    if (text === '') return;
    if (this.thinking) {
      out.push({ kind: 'reasoning', text });
      return;
    }
    let answer = text;
    if (this.answer !== 'text') {
      if (this.reasoningSeen) answer = answer.trimStart();
      if (answer === '') return;
      this.answer = answer.trim() === '' ? 'space' : 'text';
    }
    out.push({ kind: 'text', text: answer });
  }
}
