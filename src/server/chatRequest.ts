/**
 * A `POST /v1/chat/completions` body, validated: either a conversation the whole method answers (messages → earlier
 * turns, a system text and this question; sampling fields → pipeline parameters), or a request that must be routed to
 * one model and forwarded unchanged because it asks for tool calls or a structured reply (see docs/cli-and-server.md, "The tools rule").
 */
import type { Turn } from '../core/ask/conversation';
import type { SmcsParams } from '../core/contracts/types';
import { badRequest } from './errors';

type Json = Record<string, unknown>;

/** What every chat request says about the reply's transport. */
interface Transport {
  model: string;
  stream: boolean;
  /** `stream_options.include_usage`: a last chunk with the usage. */
  includeUsage: boolean;
}

/** A conversation for the whole method. */
export interface EnsembleRequest extends Transport {
  kind: 'ensemble';
  question: string;
  history: Turn[];
  /** The system (and developer) messages, joined; every referencer and aggregation receives it. */
  system?: string;
  params: Partial<SmcsParams>;
}

/** A request that goes to one model unchanged. */
export interface RoutedRequest extends Transport {
  kind: 'routed';
  /** Why it is routed rather than aggregated, in the user's words. */
  reason: string;
  /** The latest user text and the turns before it, for choosing the model. */
  question: string;
  history: Turn[];
  /** The body as the client sent it. */
  body: Json;
}

export type ParsedChatRequest = EnsembleRequest | RoutedRequest;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a body must go to one model, or undefined when the whole method can answer it. */
function routedReason(body: Json, messages: readonly Json[]): string | undefined {
  if (Array.isArray(body.tools) && body.tools.length > 0) return 'the request has tools';
  if (Array.isArray(body.functions) && body.functions.length > 0) return 'the request has functions';
  if (body.tool_choice !== undefined && body.tool_choice !== null && body.tool_choice !== 'none') return 'the request has tool_choice';
  const format = isObject(body.response_format) ? body.response_format.type : undefined;
  if (format === 'json_schema' || format === 'json_object') return `the request asks for response_format ${String(format)}`;
  if (messages.some((m) => m.role === 'tool' || m.role === 'function' || (m.role === 'assistant' && Array.isArray(m.tool_calls) && m.tool_calls.length > 0))) {
    return 'the conversation has tool calls';
  }
  return undefined;
}

/** A message's text: a string, or the text parts of a content array; other parts (images, audio) are refused. */
function messageText(message: Json, index: number, strict: boolean): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) throw badRequest(`messages[${index}].content must be a string or an array of parts`, `messages[${index}].content`);
  return content
    .map((part: unknown, j) => {
      if (isObject(part) && part.type === 'text' && typeof part.text === 'string') return part.text;
      if (!strict) return '';
      const type = isObject(part) ? JSON.stringify(part.type) : 'not an object';
      throw badRequest(
        `messages[${index}].content[${j}] is of type ${type}: the collaboration of models reads text only; send images to one model with the model smcs/<model>`,
        `messages[${index}].content[${j}]`,
        'unsupported_content',
      );
    })
    .join('');
}

interface Conversation {
  question: string;
  history: Turn[];
  system: string[];
}

/**
 * The messages as earlier turns and this question. System and developer messages become the system text; consecutive
 * user messages are joined; an assistant message closes the turn of the user messages before it (one without any is
 * added to the turn before). With `strict` (the whole method), the last message must be the user's and only text is read.
 */
function conversation(messages: readonly Json[], strict: boolean): Conversation {
  const history: Turn[] = [];
  const system: string[] = [];
  let pending: string[] = [];
  messages.forEach((m, i) => {
    const text = messageText(m, i, strict);
    switch (m.role) {
      case 'system':
      case 'developer':
        system.push(text);
        return;
      case 'user':
        pending.push(text);
        return;
      case 'assistant': {
        const last = history.at(-1);
        if (pending.length === 0 && last) last.answer = `${last.answer}\n\n${text}`;
        else history.push({ question: pending.join('\n\n'), answer: text });
        pending = [];
        return;
      }
      default:
        if (strict) throw badRequest(`messages[${i}].role must be system, developer, user or assistant, got ${JSON.stringify(m.role)}`, `messages[${i}].role`);
    }
  });
  if (strict && pending.length === 0) throw badRequest('the last message must be the user\'s: there is no question to answer', 'messages');
  // An empty question is no question: answering it would bill a whole ask for nothing.
  if (strict && pending.every((p) => p.trim() === '')) throw badRequest(`messages[${messages.length - 1}].content is empty: there is no question to answer`, `messages[${messages.length - 1}].content`);
  return { question: pending.join('\n\n'), history, system };
}

function numberField(body: Json, name: string, min: number, max: number, integer = false): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw badRequest(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(v)}`, name);
  }
  return v;
}

/** The pipeline parameters the request sets; fields the method cannot honour are refused, naming them. */
function ensembleParams(body: Json): Partial<SmcsParams> {
  const n = numberField(body, 'n', 1, 128, true);
  if (n !== undefined && n !== 1) throw badRequest('n must be 1: the server answers with the one reply the method chose (its other candidates are in the smcs field)', 'n', 'unsupported_parameter');
  const stop = body.stop;
  if (stop !== undefined && stop !== null && !(Array.isArray(stop) && stop.length === 0)) {
    throw badRequest('stop is not supported by the collaboration of models (the aggregations would cut the references differently); leave it out, or use the model smcs/<model>', 'stop', 'unsupported_parameter');
  }
  const temperature = numberField(body, 'temperature', 0, 2);
  const maxTokens = numberField(body, 'max_completion_tokens', 1, 10_000_000, true) ?? numberField(body, 'max_tokens', 1, 10_000_000, true);
  const seed = numberField(body, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true);
  const presencePenalty = numberField(body, 'presence_penalty', -2, 2);
  return {
    ...(temperature !== undefined ? { temperature } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(presencePenalty !== undefined ? { presencePenalty } : {}),
  };
}

/** Validates a chat completion body (400 naming the field); unknown fields are ignored, as OpenAI does. */
export function parseChatRequest(body: unknown): ParsedChatRequest {
  if (!isObject(body)) throw badRequest('the request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') throw badRequest('model is required: a model id from GET /v1/models, e.g. "smcs"', 'model');
  const { messages } = body;
  if (!Array.isArray(messages) || messages.length === 0) throw badRequest('messages must be a non-empty array', 'messages');
  messages.forEach((m, i) => {
    if (!isObject(m) || typeof m.role !== 'string') throw badRequest(`messages[${i}] must be an object with a role`, `messages[${i}]`);
  });
  const stream = body.stream === true;
  const transport: Transport = {
    model: body.model,
    stream,
    includeUsage: stream && isObject(body.stream_options) && body.stream_options.include_usage === true,
  };
  const reason = routedReason(body, messages as Json[]);
  if (reason !== undefined) {
    const { question, history } = conversation(messages as Json[], false);
    // An agent's turn often ends with tool results: the user message it answers is then the turn before.
    return { kind: 'routed', reason, question: question || (history.at(-1)?.question ?? ''), history, body, ...transport };
  }
  const { question, history, system } = conversation(messages as Json[], true);
  return {
    kind: 'ensemble',
    question,
    history,
    ...(system.length > 0 ? { system: system.join('\n\n') } : {}),
    params: ensembleParams(body),
    ...transport,
  };
}
