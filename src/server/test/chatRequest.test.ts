/** How a chat-completions body becomes an ask or a routed request: turns, system text, parameters, refusals naming the field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChatRequest } from '../chatRequest';
import { ApiError } from '../errors';

const refusal = (body: unknown, param: string | null, code = 'invalid_request') => () =>
  assert.throws(() => parseChatRequest(body), (err: unknown) => err instanceof ApiError && err.status === 400 && err.param === param && err.code === code);

test('messages become earlier turns, one system text and the question; text parts are read as text', () => {
  const request = parseChatRequest({
    model: 'smcs',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Sort a list in Python?' },
      { role: 'assistant', content: 'sorted(xs)' },
      { role: 'developer', content: 'Use type hints.' },
      { role: 'user', content: [{ type: 'text', text: 'And in ' }, { type: 'text', text: 'place?' }] },
      { role: 'user', content: 'Descending.' },
    ],
    temperature: 0.2,
    max_tokens: 300,
    seed: 7,
    top_p: 0.9,
    user: 'ignored',
  });
  assert.equal(request.kind, 'ensemble');
  if (request.kind !== 'ensemble') return;
  assert.deepEqual(request.history, [{ question: 'Sort a list in Python?', answer: 'sorted(xs)' }]);
  assert.equal(request.question, 'And in place?\n\nDescending.');
  assert.equal(request.system, 'Be brief.\n\nUse type hints.');
  assert.deepEqual(request.params, { temperature: 0.2, maxTokens: 300, seed: 7 });
  assert.equal(request.stream, false);
});

test('max_completion_tokens wins over max_tokens; include_usage counts only with stream', () => {
  const r = parseChatRequest({ model: 'smcs', messages: [{ role: 'user', content: 'q' }], max_tokens: 10, max_completion_tokens: 20, stream: true, stream_options: { include_usage: true } });
  assert.ok(r.kind === 'ensemble' && r.params.maxTokens === 20 && r.stream && r.includeUsage);
  const quiet = parseChatRequest({ model: 'smcs', messages: [{ role: 'user', content: 'q' }], stream_options: { include_usage: true } });
  assert.equal(quiet.includeUsage, false);
});

test('tools, tool_choice, a JSON response_format or tool messages route the request, the body kept as sent', () => {
  const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ tools }, /tools/],
    [{ tool_choice: 'required' }, /tool_choice/],
    [{ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } } }, /json_schema/],
    [{ response_format: { type: 'json_object' } }, /json_object/],
  ];
  for (const [extra, reason] of cases) {
    const body = { model: 'smcs', messages: [{ role: 'user', content: 'Weather in Paris?' }], ...extra };
    const r = parseChatRequest(body);
    assert.equal(r.kind, 'routed', JSON.stringify(extra));
    if (r.kind !== 'routed') continue;
    assert.match(r.reason, reason);
    assert.equal(r.body, body);
    assert.equal(r.question, 'Weather in Paris?');
  }
  const agentTurn = parseChatRequest({
    model: 'smcs',
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
    ],
  });
  assert.ok(agentTurn.kind === 'routed' && agentTurn.question === 'Weather in Paris?', 'the question is the user message the tool results answer');
  assert.equal(parseChatRequest({ model: 'smcs', messages: [{ role: 'user', content: 'q' }], tool_choice: 'none', response_format: { type: 'text' } }).kind, 'ensemble');
});

test('what the method cannot honour is refused with 400 naming the field', () => {
  refusal({ model: 'smcs', messages: [{ role: 'user', content: 'q' }], n: 2 }, 'n', 'unsupported_parameter')();
  refusal({ model: 'smcs', messages: [{ role: 'user', content: 'q' }], stop: 'END' }, 'stop', 'unsupported_parameter')();
  refusal({ model: 'smcs', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:,' } }] }] }, 'messages[0].content[0]', 'unsupported_content')();
  refusal({ model: 'smcs', messages: [{ role: 'user', content: 'q' }], temperature: 3 }, 'temperature')();
  refusal({ model: 'smcs', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] }, 'messages')();
  refusal({ model: 'smcs', messages: [] }, 'messages')();
  // An empty question bills a whole ask for nothing: 400 naming the message.
  refusal({ model: 'smcs', messages: [{ role: 'user', content: '   ' }] }, 'messages[0].content')();
  refusal({ model: 'smcs', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }, { role: 'user', content: '' }] }, 'messages[2].content')();
  refusal({ messages: [{ role: 'user', content: 'q' }] }, 'model')();
  refusal([], null)();
  assert.equal(parseChatRequest({ model: 'smcs', messages: [{ role: 'user', content: 'q' }], n: 1, stop: [] }).kind, 'ensemble');
});
