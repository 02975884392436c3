/**
 * The LM caller: a second extension for the UI tests that reaches language models only through the public API
 * (`vscode.lm.selectChatModels`, `model.sendRequest`), as any extension does. It serves the test on a loopback HTTP
 * port, which it writes to `<globalStorage>/port`: POST /models lists the models a selector picks; POST /call sends a
 * request and streams every response part back as an NDJSON line. A client that goes away cancels the request.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CallerError, CallerEvent, CallerMessage, CallerModel, CallerPart, CallerRequest, CallerResponsePart, CallerSelector } from './protocol';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: asCallerError(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  context.subscriptions.push({ dispose: () => server.close() });
  const dir = context.globalStorageUri.fsPath;
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'port'), String((server.address() as AddressInfo).port));
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (req.method === 'POST' && req.url === '/models') {
    const models: CallerModel[] = (await vscode.lm.selectChatModels(body as CallerSelector)).map((m) => ({
      id: m.id,
      vendor: m.vendor,
      family: m.family,
      version: m.version,
      name: m.name,
      maxInputTokens: m.maxInputTokens,
      capabilities: capabilitiesOf(m),
    }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(models));
    return;
  }
  if (req.method === 'POST' && req.url === '/call') {
    await call(body as CallerRequest, res);
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { name: 'NotFound', message: `no route ${req.method ?? ''} ${req.url ?? ''}` } }));
}

async function call(request: CallerRequest, res: http.ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const send = (event: CallerEvent) => res.write(`${JSON.stringify(event)}\n`);
  const cancel = new vscode.CancellationTokenSource();
  res.on('close', () => cancel.cancel());
  try {
    const [model] = await vscode.lm.selectChatModels(request.selector);
    if (!model) throw new Error(`no language model matches ${JSON.stringify(request.selector)}`);
    const response = await model.sendRequest(
      request.messages.map(toChatMessage),
      {
        ...(request.justification ? { justification: request.justification } : {}),
        ...(request.tools ? { tools: request.tools } : {}),
        ...(request.toolMode
          ? { toolMode: request.toolMode === 'required' ? vscode.LanguageModelChatToolMode.Required : vscode.LanguageModelChatToolMode.Auto }
          : {}),
      },
      cancel.token,
    );
    for await (const part of response.stream) send({ part: toResponsePart(part) });
    send({ done: true });
  } catch (err) {
    send({ error: asCallerError(err) });
  } finally {
    cancel.dispose();
    res.end();
  }
}

/** The model's capabilities as VS Code 1.104 gives them to every extension (not yet in its final types). */
function capabilitiesOf(model: vscode.LanguageModelChat): CallerModel['capabilities'] {
  const given = (model as { capabilities?: Partial<CallerModel['capabilities']> }).capabilities;
  return { supportsToolCalling: given?.supportsToolCalling === true, supportsImageToText: given?.supportsImageToText === true };
}

function toChatMessage(message: CallerMessage): vscode.LanguageModelChatMessage {
  const role = message.role === 'user' ? vscode.LanguageModelChatMessageRole.User : vscode.LanguageModelChatMessageRole.Assistant;
  const content = typeof message.content === 'string' ? message.content : message.content.map(toInputPart);
  return new vscode.LanguageModelChatMessage(role, content, message.name);
}

function toInputPart(part: CallerPart): vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart | vscode.LanguageModelToolResultPart {
  switch (part.type) {
    case 'text':
      return new vscode.LanguageModelTextPart(part.value);
    case 'toolCall':
      return new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input);
    case 'toolResult':
      return new vscode.LanguageModelToolResultPart(part.callId, part.content.map((text) => new vscode.LanguageModelTextPart(text)));
  }
}

function toResponsePart(part: unknown): CallerResponsePart {
  if (part instanceof vscode.LanguageModelTextPart) return { type: 'text', value: part.value };
  if (part instanceof vscode.LanguageModelToolCallPart) return { type: 'toolCall', callId: part.callId, name: part.name, input: part.input };
  const kind = typeof part === 'object' && part !== null ? part.constructor.name : typeof part;
  return { type: 'other', kind };
}

function asCallerError(err: unknown): CallerError {
  if (err instanceof vscode.LanguageModelError) return { name: err.name, code: err.code, message: err.message };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}
