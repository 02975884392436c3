/**
 * Counts what a relayed event stream has generated (answer, reasoning and tool-call arguments, in estimated tokens) as
 * its lines go by, so the relay can stop a stream whose server ignores `max_tokens` once it has run far past it
 * (llm/limits `outputCeiling`), and writes the chunk that ends such a stream the way an OpenAI client reads a cut reply.
 */
import { tokensOfChars } from '../core/util/tokens';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const textLength = (v: unknown): number => (typeof v === 'string' ? v.length : 0);

/** The characters a parsed chunk's first choice generated: content, reasoning (either field, as chatStream reads it) and tool-call arguments. */
function generatedChars(chunk: Record<string, unknown>): number {
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  let chars = 0;
  for (const choice of choices) {
    const delta: unknown = isObject(choice) ? choice.delta : undefined;
    if (!isObject(delta)) continue;
    chars += textLength(delta.content) + Math.max(textLength(delta.reasoning_content), textLength(delta.reasoning));
    if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) if (isObject(call) && isObject(call.function)) chars += textLength(call.function.arguments);
  }
  return chars;
}

/** The output budget a relayed body asks for (`max_completion_tokens`, else `max_tokens`), or `fallback` when it names none. */
export function requestedOutput(body: Readonly<Record<string, unknown>>, fallback: number): number {
  for (const key of ['max_completion_tokens', 'max_tokens']) {
    const v = body[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 1) return v;
  }
  return fallback;
}

export class StreamMeter {
  private chars = 0;
  private id: unknown;
  private model: unknown;
  private created: unknown;
  private over = false;

  /** `ceiling`: the estimated tokens past which the stream is stopped. */
  constructor(private readonly ceiling: number) {}

  /** Estimated tokens generated so far. */
  get tokens(): number {
    return tokensOfChars(this.chars);
  }

  /** True once the lines passed carried more than the ceiling. */
  get stopped(): boolean {
    return this.over;
  }

  /**
   * Counts the `data:` lines of a piece of whole lines (llm/relay's StreamFilter) and returns what of it is relayed:
   * all of it, or the lines up to the one that went past the ceiling.
   */
  pass(piece: Uint8Array): Uint8Array {
    const text = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength).toString('utf8');
    let end = 0;
    while (end < text.length && !this.over) {
      const next = text.indexOf('\n', end);
      const stop = next === -1 ? text.length : next + 1;
      this.line(text.slice(end, stop));
      end = stop;
      if (this.tokens > this.ceiling) this.over = true;
    }
    return end === text.length ? piece : Buffer.from(text.slice(0, end), 'utf8');
  }

  /**
   * The end of a stream we stopped: a chunk with `finish_reason: "length"` (the id and model of the stream's own
   * chunks) and `[DONE]`, after a blank line that closes any event left open.
   */
  stopLines(): Uint8Array {
    const chunk = { id: this.id ?? 'smcs-stopped', object: 'chat.completion.chunk', created: this.created ?? Math.floor(Date.now() / 1000), model: this.model ?? '', choices: [{ index: 0, delta: {}, finish_reason: 'length' }] };
    return new TextEncoder().encode(`\n: SMCS stopped reading at about ${this.tokens} tokens, far past max_tokens (the server did not stop)\n\ndata: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`);
  }

  private line(raw: string): void {
    const line = raw.trimEnd();
    if (!line.startsWith('data:')) return;
    const data = line.slice(5).trim();
    if (data === '' || data === '[DONE]') return;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return;
    }
    if (!isObject(chunk)) return;
    this.id ??= chunk.id;
    this.model ??= chunk.model;
    this.created ??= chunk.created;
    this.chars += generatedChars(chunk);
  }
}
