/** VS Code's chat messages as the chat-completions body SMCS reads, and a model's tool call back as a part's input. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChatRequest } from '../../../server/chatRequest';
import { chatBody, readPart, roleOf, toolCallInput, UnsupportedPartError, type LmInputMessage } from '../lmMessages';
import { DataPart, fakeLmApi, PromptTsxPart, TextPart, ToolCallPart, ToolResultPart } from './fakeLmApi';

const message = (role: number, ...parts: unknown[]): LmInputMessage => ({ role: roleOf(role), parts: parts.map((p) => readPart(p, fakeLmApi)) });
const USER = 1;
const ASSISTANT = 2;

test('text turns: earlier turns become the thread, the last user message the question, a system message the system text', () => {
  const body = chatBody([message(3, new TextPart('Answer in Python.')), message(USER, new TextPart('What is a heap?')), message(ASSISTANT, new TextPart('A tree.')), message(USER, new TextPart('And a '), new TextPart('stack?'))], { model: 'smcs', toolRequired: false });
  const request = parseChatRequest(body);
  assert.equal(request.kind, 'ensemble');
  if (request.kind !== 'ensemble') return;
  assert.equal(request.question, 'And a stack?');
  assert.deepEqual(request.history, [{ question: 'What is a heap?', answer: 'A tree.' }]);
  assert.equal(request.system, 'Answer in Python.');
  assert.equal(body.stream, true);
  assert.equal(body.tools, undefined);
});

test('tools: tool calls and tool results become OpenAI tool_calls and tool messages; the request is routed to one model; Required is tool_choice "required"', () => {
  const tools = [{ name: 'get_weather', description: 'Weather of a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }];
  const body = chatBody(
    [
      message(USER, new TextPart('Weather in Paris?')),
      message(ASSISTANT, new ToolCallPart('call_1', 'get_weather', { city: 'Paris' })),
      message(USER, new ToolResultPart('call_1', [new TextPart('sunny'), new PromptTsxPart({ node: 1 })])),
    ],
    { model: 'smcs-best', tools, toolRequired: true },
  );
  assert.deepEqual(body.messages, [
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: 'sunny{"node":1}' },
  ]);
  assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: tools[0]?.inputSchema } }]);
  assert.equal(body.tool_choice, 'required');
  assert.equal(chatBody([message(USER, new TextPart('x'))], { model: 'smcs-best', tools, toolRequired: false }).tool_choice, 'auto');
  const request = parseChatRequest(body);
  assert.equal(request.kind, 'routed');
  assert.equal(request.kind === 'routed' ? request.question : '', 'Weather in Paris?');
});

test('an image part is refused with an error naming it and where it is, not dropped; prompt-cache hints are no content', () => {
  const image = new DataPart(new Uint8Array([1, 2]), 'image/png');
  assert.throws(
    () => chatBody([message(USER, new TextPart('What is this?'), image)], { model: 'smcs', toolRequired: false }),
    (err: unknown) => err instanceof UnsupportedPartError && /part 2 of message 1 is an image \(image\/png\)/.test(err.message),
  );
  assert.throws(() => chatBody([message(USER, new ToolResultPart('c', [image]))], { model: 'smcs', toolRequired: false }), /a tool result holding an image \(image\/png\)/);
  assert.deepEqual(readPart({ some: 'thing' }, fakeLmApi), { kind: 'unsupported', what: 'a part of a kind SMCS does not know (Object)' });
  const hinted = chatBody([message(USER, new TextPart('hi'), new DataPart(new Uint8Array(), 'cache_control'))], { model: 'smcs', toolRequired: false });
  assert.deepEqual(hinted.messages, [{ role: 'user', content: 'hi' }]);
});

test("a model's tool call arguments become the part's input object; arguments that are not a JSON object are refused naming the tool", () => {
  assert.deepEqual(toolCallInput('get_weather', '{"city": "Paris"}'), { city: 'Paris' });
  assert.deepEqual(toolCallInput('now', ''), {});
  assert.throws(() => toolCallInput('get_weather', '{"city":'), /tool get_weather with arguments that are not JSON/);
  assert.throws(() => toolCallInput('get_weather', '[1]'), /not a JSON object/);
});
