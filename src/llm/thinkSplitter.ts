/**
 * Splits streamed content into answer text and `<think>…</think>` reasoning, also when a tag
 * is split across chunks: a chunk tail that may start a tag is held back until the next chunk.
 */
import type { TextDelta } from '../core/types';

const OPEN = '<think>';
const CLOSE = '</think>';

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialTagLength(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}

export class ThinkSplitter {
  private pending = '';
  private thinking = false;

  /** Feeds one chunk; returns the deltas it completes, in order. */
  push(chunk: string): TextDelta[] {
    const out: TextDelta[] = [];
    let text = this.pending + chunk;
    this.pending = '';
    for (;;) {
      const tag = this.thinking ? CLOSE : OPEN;
      const at = text.indexOf(tag);
      if (at < 0) break;
      this.emit(out, text.slice(0, at));
      text = text.slice(at + tag.length);
      this.thinking = !this.thinking;
    }
    const keep = partialTagLength(text, this.thinking ? CLOSE : OPEN);
    this.emit(out, text.slice(0, text.length - keep));
    this.pending = text.slice(text.length - keep);
    return out;
  }

  /** Ends the stream: a held-back partial tag is plain text (or reasoning, inside an unclosed block). */
  flush(): TextDelta[] {
    const out: TextDelta[] = [];
    this.emit(out, this.pending);
    this.pending = '';
    return out;
  }

  private emit(out: TextDelta[], text: string): void {
    if (text !== '') out.push({ kind: this.thinking ? 'reasoning' : 'text', text });
  }
}
