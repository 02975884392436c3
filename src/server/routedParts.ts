/**
 * A request for one model read as parts rather than relayed as bytes, for a caller inside this process (VS Code's chat,
 * through the extension's language model provider): the same choice and the same relay as `smcs serve`'s routed path
 * (`routed.ts`), the reply's text as it streams and each tool call as soon as its arguments are complete.
 */
import { errorMessage } from '../core/contracts/errors';
import type { ModelRouter } from '../engine/types';
import type { RelayedReply, RelayOutcome } from '../llm/relay';
import type { RoutedRequest } from './chatRequest';
import { ApiError } from './errors';
import { bestModel, openRoute, type RouteSummary } from './routed';

/** A piece of the model's reply: text as it comes, or a whole tool call (its arguments the JSON text the model wrote). */
export type RoutedPart = { type: 'text'; text: string } | { type: 'tool-call'; id: string; name: string; arguments: string };

/** What the routed request came to, for the log. */
export interface RoutedEnd {
  route: RouteSummary;
  outcome: RelayOutcome | null;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The tool calls of a stream, gathered by index as their deltas arrive. A call is handed on as soon as its arguments
 * parse as a JSON object — a caller (VS Code's agent) can start on it while the model writes the next — and the calls
 * whose arguments never parsed are handed on at the end as they came.
 */
class ToolCalls {
  private readonly calls = new Map<number, { id: string; name: string; arguments: string; sent: boolean }>();

  /** Adds a delta; returns the call it completed, if its arguments now parse. */
  add(delta: unknown): RoutedPart | undefined {
    if (!isObject(delta)) return undefined;
    const index = typeof delta.index === 'number' ? delta.index : this.calls.size;
    const call = this.calls.get(index) ?? { id: '', name: '', arguments: '', sent: false };
    const fn = isObject(delta.function) ? delta.function : {};
    if (typeof delta.id === 'string' && delta.id !== '') call.id = delta.id;
    if (typeof fn.name === 'string') call.name += fn.name;
    if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
    this.calls.set(index, call);
    if (call.sent || call.name === '' || !parsesAsObject(call.arguments)) return undefined;
    call.sent = true;
    return this.part(index, call);
  }

  /** The calls not handed on yet, in index order. */
  rest(): RoutedPart[] {
    return [...this.calls.entries()]
      .filter(([, c]) => !c.sent)
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => this.part(index, c));
  }

  private part(index: number, c: { id: string; name: string; arguments: string }): RoutedPart {
    return { type: 'tool-call', id: c.id || `call_${index}`, name: c.name, arguments: c.arguments };
  }
}

/** True when `text` is a whole JSON object (checked only once it ends in `}`, so a long argument is not parsed per delta). */
function parsesAsObject(text: string): boolean {
  if (!text.trimEnd().endsWith('}')) return false;
  try {
    return isObject(JSON.parse(text));
  } catch {
    return false;
  }
}

/** The error a model sent inside its reply (`{"error": {...}}`), as ours. */
function inBandError(value: Json, model: string): ApiError {
  const error = isObject(value.error) ? value.error : {};
  const message = typeof error.message === 'string' ? error.message : JSON.stringify(value.error);
  return new ApiError(502, `model ${model}: ${message}`, 'upstream_error', 'upstream_failed');
}

/** The parts of one `choices[0]` of a stream chunk (a delta) or of a completion (a message). */
function* choiceParts(choice: unknown, key: 'delta' | 'message', calls: ToolCalls): Generator<RoutedPart> {
  if (!isObject(choice)) return;
  const body = choice[key];
  if (!isObject(body)) return;
  if (typeof body.content === 'string' && body.content !== '') yield { type: 'text', text: body.content };
  if (!Array.isArray(body.tool_calls)) return;
  for (const call of body.tool_calls) {
    const complete = calls.add(call);
    if (complete) yield complete;
  }
}

/** The parts of an event stream, read line by line (the relay hands on whole lines). */
async function* streamParts(upstream: RelayedReply, model: string): AsyncGenerator<RoutedPart> {
  const decoder = new TextDecoder();
  const calls = new ToolCalls();
  let pending = '';
  const lineParts = function* (line: string): Generator<RoutedPart> {
    const data = /^data:\s?(.*)$/.exec(line.trimEnd())?.[1];
    if (data === undefined || data === '[DONE]') return;
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      throw new ApiError(502, `model ${model} sent an event that is not JSON`, 'upstream_error', 'upstream_invalid_json');
    }
    if (!isObject(value)) return;
    if (value.error !== undefined) throw inBandError(value, model);
    if (Array.isArray(value.choices)) yield* choiceParts(value.choices[0], 'delta', calls);
  };
  for await (const bytes of upstream.body) {
    pending += decoder.decode(bytes, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) yield* lineParts(line);
  }
  yield* lineParts(pending + decoder.decode());
  yield* calls.rest();
}

/** The parts of a JSON completion (an upstream that answered a stream request with one document). */
async function* completionParts(upstream: RelayedReply, model: string): AsyncGenerator<RoutedPart> {
  const chunks: Uint8Array[] = [];
  for await (const bytes of upstream.body) chunks.push(bytes);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new ApiError(502, `model ${model}: its reply is not JSON (${errorMessage(err)})`, 'upstream_error', 'upstream_invalid_json');
  }
  if (!isObject(value)) return;
  if (value.error !== undefined) throw inBandError(value, model);
  const calls = new ToolCalls();
  if (Array.isArray(value.choices)) yield* choiceParts(value.choices[0], 'message', calls);
  yield* calls.rest();
}

/**
 * Sends a routed request (its body streaming) to the model RPS chooses for its latest user message, with the routing
 * of the ask it stands for, and yields the reply's parts; an upstream's refusal is thrown as our error (`ApiError`).
 */
export async function* oneModelParts(engine: ModelRouter, request: RoutedRequest, signal: AbortSignal): AsyncGenerator<RoutedPart, RoutedEnd> {
  const opened = await openRoute(engine, { ...request.body, stream: true }, bestModel(engine, request, { kind: 'ensemble', id: request.model }), signal);
  if ('refusal' in opened) throw opened.refusal;
  const { route, upstream } = opened;
  const model = route.model;
  yield* /text\/event-stream/i.test(upstream.contentType) ? streamParts(upstream, model) : completionParts(upstream, model);
  return { route, outcome: await upstream.outcome.catch(() => null) };
}
