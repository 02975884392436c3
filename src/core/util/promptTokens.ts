/**
 * How many tokens a VS Code chat message costs, for the language model provider's `provideTokenCount`: VS Code's agent asks about every message of a
 * turn, a thousand times and more, so a count reads lengths only (no text is joined or copied; a tool call's input and a
 * prompt-tsx element are serialised once per part object), and it is scaled by what the upstreams reported: their
 * tokenizers are not SMCS's estimate, and the prompt tokens they report for the requests SMCS relays teach the scale. Pure.
 */
import { CHARS_PER_TOKEN, MESSAGE_OVERHEAD_TOKENS } from './tokens';

/** Data parts that carry a hint about the prompt, not content (Copilot Chat marks where a prompt cache may end). */
export const HINT_MIME_TYPES: ReadonlySet<string> = new Set(['cache_control', 'stateful_marker']);

/** The classes of VS Code's message parts, for `instanceof` (the extension passes VS Code's own, tests and the benchmark stand-ins). */
export interface PartClasses {
  TextPart: abstract new (...args: never[]) => { value: string };
  ToolCallPart: abstract new (...args: never[]) => { callId: string; name: string; input: object };
  ToolResultPart: abstract new (...args: never[]) => { callId: string; content: unknown[] };
  /** Absent where VS Code has no such class. */
  PromptTsxPart?: abstract new (...args: never[]) => { value: unknown };
  DataPart?: abstract new (...args: never[]) => { mimeType: string; data: Uint8Array };
}

/** A tool the caller offers, as `LanguageModelChatTool` gives it. */
export interface LmTool {
  name: string;
  description: string;
  inputSchema?: object | undefined;
}

/** How far one request's reported count may move the scale; older requests weigh less with each new one. */
const DECAY = 0.8;
/** The scale stays within these bounds, so one odd report (a cached prompt, a wrong usage field) cannot run away. */
const MIN_SCALE = 0.25;
const MAX_SCALE = 4;

export class PromptTokens {
  /** Characters of parts that must be serialised to be measured, by part object. */
  private readonly serialised = new WeakMap<object, number>();
  private estimated = 0;
  private reported = 0;

  constructor(private readonly classes: PartClasses) {}

  /** The scaled count of a string or a message's parts. */
  count(input: string | { content: readonly unknown[] }): number {
    return Math.ceil(this.estimate(input) * this.scale());
  }

  /** SMCS's own estimate, before scaling: about three characters per token, and a message's overhead. */
  estimate(input: string | { content: readonly unknown[] }): number {
    if (typeof input === 'string') return Math.ceil(input.length / CHARS_PER_TOKEN);
    let chars = 0;
    for (const part of input.content) chars += this.partChars(part);
    return Math.ceil(chars / CHARS_PER_TOKEN) + MESSAGE_OVERHEAD_TOKENS;
  }

  /** The estimate of a whole request: its messages and the tools' names, descriptions and schemas. */
  estimateRequest(messages: readonly { content: readonly unknown[] }[], tools: readonly LmTool[] = []): number {
    let total = 0;
    for (const message of messages) total += this.estimate(message);
    for (const tool of tools) total += Math.ceil((tool.name.length + tool.description.length + this.serialisedChars(tool.inputSchema ?? {})) / CHARS_PER_TOKEN);
    return total;
  }

  /** Learns from a request the upstream counted: `estimated` by `estimateRequest`, `reported` its usage's prompt tokens. */
  observe(estimated: number, reported: number): void {
    if (!(estimated > 0) || !(reported > 0)) return;
    this.estimated = this.estimated * DECAY + estimated;
    this.reported = this.reported * DECAY + reported;
  }

  /** Reported over estimated tokens of the requests seen, 1 before any. */
  scale(): number {
    if (this.estimated === 0) return 1;
    return Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.reported / this.estimated));
  }

  private partChars(part: unknown): number {
    const c = this.classes;
    if (part instanceof c.TextPart) return part.value.length;
    if (part instanceof c.ToolCallPart) return part.name.length + this.serialisedChars(part.input);
    if (part instanceof c.ToolResultPart) {
      let chars = 0;
      for (const item of part.content) chars += this.partChars(item);
      return chars;
    }
    if (c.PromptTsxPart && part instanceof c.PromptTsxPart) return this.serialisedChars(part.value);
    if (c.DataPart && part instanceof c.DataPart) return HINT_MIME_TYPES.has(part.mimeType) ? 0 : part.data.byteLength;
    return 0;
  }

  /** The length of a value's JSON, measured once per object. */
  private serialisedChars(value: unknown): number {
    if (typeof value !== 'object' || value === null) return JSON.stringify(value ?? null).length;
    const known = this.serialised.get(value);
    if (known !== undefined) return known;
    const chars = JSON.stringify(value).length;
    this.serialised.set(value, chars);
    return chars;
  }
}
