/**
 * VS Code's chat messages as the chat-completions body SMCS reads (`smcs serve`'s, so one parser decides what is a
 * conversation for the whole method and what goes to one model), and a model's tool call back as a tool-call part's
 * input. The parts arrive as VS Code's classes; `readPart` tells them apart with the classes it is given, so this module
 * and its tests need no `vscode`.
 */
import { HINT_MIME_TYPES, type LmTool, type PartClasses } from '../../core/util/promptTokens';

/** A message part as SMCS reads it. */
export type LmInputPart =
  | { kind: 'text'; text: string }
  | { kind: 'tool-call'; callId: string; name: string; input: unknown }
  | { kind: 'tool-result'; callId: string; text: string }
  /** A hint with no content for the model (Copilot Chat's prompt-cache markers). */
  | { kind: 'hint' }
  /** What SMCS cannot send: `what` names it in the user's words ("an image (image/png)"). */
  | { kind: 'unsupported'; what: string };

export type LmRole = 'user' | 'assistant' | 'system';

export interface LmInputMessage {
  role: LmRole;
  parts: LmInputPart[];
}

export type { LmTool, PartClasses };

/** A part SMCS cannot send, named in `message`; the provider throws it as a LanguageModelError. */
export class UnsupportedPartError extends Error {
  constructor(readonly what: string, readonly where: string) {
    super(`${where} is ${what}: the SMCS models read text, tool calls and tool results only. Leave it out (describe it in words), or pick a model that reads it.`);
    this.name = 'UnsupportedPartError';
  }
}

/** What a part VS Code gave is, in words, when SMCS cannot read it. */
function describe(part: unknown, classes: PartClasses): string {
  if (classes.DataPart && part instanceof classes.DataPart) return part.mimeType.startsWith('image/') ? `an image (${part.mimeType})` : `data of type ${part.mimeType}`;
  const name = typeof part === 'object' && part !== null ? part.constructor.name : typeof part;
  return `a part of a kind SMCS does not know (${name || 'unnamed'})`;
}

/** A tool result's content as text: its text parts, a prompt-tsx element as its JSON; anything else is unsupported. */
function resultText(content: readonly unknown[], classes: PartClasses): string | { unsupported: string } {
  const texts: string[] = [];
  for (const item of content) {
    if (item instanceof classes.TextPart) texts.push(item.value);
    else if (classes.PromptTsxPart && item instanceof classes.PromptTsxPart) texts.push(JSON.stringify(item.value));
    else if (classes.DataPart && item instanceof classes.DataPart && HINT_MIME_TYPES.has(item.mimeType)) continue;
    else return { unsupported: describe(item, classes) };
  }
  return texts.join('');
}

/** One part of a request message, as SMCS reads it. */
export function readPart(part: unknown, classes: PartClasses): LmInputPart {
  if (part instanceof classes.TextPart) return { kind: 'text', text: part.value };
  if (part instanceof classes.ToolCallPart) return { kind: 'tool-call', callId: part.callId, name: part.name, input: part.input };
  if (part instanceof classes.ToolResultPart) {
    const text = resultText(part.content, classes);
    return typeof text === 'string' ? { kind: 'tool-result', callId: part.callId, text } : { kind: 'unsupported', what: `a tool result holding ${text.unsupported}` };
  }
  if (classes.DataPart && part instanceof classes.DataPart && HINT_MIME_TYPES.has(part.mimeType)) return { kind: 'hint' };
  return { kind: 'unsupported', what: describe(part, classes) };
}

/** VS Code's role numbers (User 1, Assistant 2, and System 3 where the chat sends one). */
export function roleOf(role: number): LmRole {
  return role === 2 ? 'assistant' : role === 3 ? 'system' : 'user';
}

type Json = Record<string, unknown>;

/** One VS Code message as chat-completions messages: tool results first (they answer the calls before), then the rest. */
function chatMessages(message: LmInputMessage, index: number): Json[] {
  const text: string[] = [];
  const calls: Json[] = [];
  const results: Json[] = [];
  message.parts.forEach((part, j) => {
    switch (part.kind) {
      case 'text':
        text.push(part.text);
        return;
      case 'tool-call':
        calls.push({ id: part.callId, type: 'function', function: { name: part.name, arguments: JSON.stringify(part.input ?? {}) } });
        return;
      case 'tool-result':
        results.push({ role: 'tool', tool_call_id: part.callId, content: part.text });
        return;
      case 'hint':
        return;
      case 'unsupported':
        throw new UnsupportedPartError(part.what, `part ${j + 1} of message ${index + 1}`);
    }
  });
  const content = text.join('');
  const own: Json[] = calls.length > 0 ? [{ role: 'assistant', content: content === '' ? null : content, tool_calls: calls }] : content !== '' || results.length === 0 ? [{ role: message.role, content }] : [];
  return [...results, ...own];
}

export interface ChatBodyOptions {
  /** The model the body names (`smcs`, `smcs-best`). */
  model: string;
  tools?: readonly LmTool[];
  /** `toolMode` Required: the model must call a tool. */
  toolRequired: boolean;
}

/** The chat-completions body of a VS Code request (streaming, with its usage); throws `UnsupportedPartError` for a part SMCS cannot send. */
export function chatBody(messages: readonly LmInputMessage[], options: ChatBodyOptions): Json {
  const tools = options.tools ?? [];
  return {
    model: options.model,
    messages: messages.flatMap(chatMessages),
    stream: true,
    stream_options: { include_usage: true },
    ...(tools.length > 0
      ? {
          tools: tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.inputSchema ?? { type: 'object', properties: {} } } })),
          tool_choice: options.toolRequired ? 'required' : 'auto',
        }
      : {}),
  };
}

/** A tool call's arguments as the input object of a tool-call part; arguments that are not a JSON object are refused, naming the tool. */
export function toolCallInput(name: string, args: string): object {
  if (args.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch {
    throw new Error(`the model called the tool ${name} with arguments that are not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`the model called the tool ${name} with arguments that are not a JSON object`);
  return value;
}
