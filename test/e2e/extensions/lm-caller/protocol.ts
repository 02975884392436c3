/**
 * What the UI tests and the LM caller extension say to each other over loopback HTTP (JSON in, NDJSON out): the
 * vscode.lm request and response shapes, flattened to JSON.
 */

/** A message part as JSON: text, a tool call, or a tool's result (its text parts). */
export type CallerPart =
  | { type: 'text'; value: string }
  | { type: 'toolCall'; callId: string; name: string; input: object }
  | { type: 'toolResult'; callId: string; content: string[] };

export interface CallerMessage {
  role: 'user' | 'assistant';
  /** A string is one text part. */
  content: string | CallerPart[];
  name?: string;
}

export interface CallerTool {
  name: string;
  description: string;
  inputSchema?: object;
}

/** Picks the models as `vscode.lm.selectChatModels` does. */
export interface CallerSelector {
  vendor?: string;
  id?: string;
  family?: string;
}

/** POST /models: the models `selectChatModels(selector)` returns. */
export interface CallerModel {
  id: string;
  vendor: string;
  family: string;
  version: string;
  name: string;
  maxInputTokens: number;
  /**
   * What the model says it can do: VS Code 1.104 gives every extension's `LanguageModelChat` these fields at run time,
   * though they are not yet in its final types.
   */
  capabilities: { supportsToolCalling: boolean; supportsImageToText: boolean };
}

/** POST /call: `selectChatModels(selector)`, then `sendRequest` on the first model. */
export interface CallerRequest {
  selector: CallerSelector;
  messages: CallerMessage[];
  tools?: CallerTool[];
  toolMode?: 'auto' | 'required';
  justification?: string;
}

/** A streamed response part as JSON; a part of a kind the caller does not know is `other`, with its class name. */
export type CallerResponsePart = Exclude<CallerPart, { type: 'toolResult' }> | { type: 'other'; kind: string };

/** The error `sendRequest` (or the selection) threw: a `LanguageModelError` keeps its code. */
export interface CallerError {
  name: string;
  code?: string;
  message: string;
}

/** One NDJSON line of a /call response: a part as it streams, then `done` or `error`. */
export type CallerEvent = { part: CallerResponsePart } | { done: true } | { error: CallerError };
