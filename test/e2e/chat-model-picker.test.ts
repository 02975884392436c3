/**
 * SMCS: collaboration picked in the real Chat view of today's VS Code (1.139), with no sign-in, as a user does: the
 * models resolved, the model picked from the picker's "Other Models", a question sent, then a task in the same
 * conversation. The chat's built-in agent sends ~40 tools with every request (its Ask mode 19 read-only ones), which
 * the collaboration hands to the best single model, saying so once: its answer streams into the view. Then the chat's
 * Stop closes the upstream request within a second. One workbench boot covers the three themes at a 300 and a 700 px
 * Chat view. (The mode picker is left alone: Copilot Chat adds Ask and Plan to it some time after start, or not at all.)
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { chatCalls, checkResponseInEveryView, dismissNotice, latestResponse, openChat, pickModel, recordResponseLengths, send, stopAndTimeUpstream, streamedLengths, waitForAnswer } from './chatView';
import { CHAT_WORKBENCH, FAKE_MODELS, withWorkbench } from './workbench';

const COLLABORATION = 'SMCS: collaboration';
const ANSWER = 'Heapsort: build a max-heap from the array, then repeatedly swap the root with the last element and sift it down until the heap is empty.';
/** Windows large enough that the agent's ~40 tools never make it compact the conversation first. */
const fake = { models: FAKE_MODELS.map((id) => ({ id, maxModelLen: 131_072 })) };
const NOTE = /SMCS: collaboration — the request has tools, which the collaboration cannot pass on to its models, so the best single model for this question answers/;
const toolCount = (body: Record<string, unknown>): number => (Array.isArray(body.tools) ? body.tools.length : 0);

test('SMCS: collaboration from the picker answers the chat\'s question and its agent\'s task with the best single model, streamed and said once; Stop closes the upstream request within 1 s; the answer reads well at 300 and 700 px in three themes', async (t) => {
  await withWorkbench('chat model picker', { vscode: CHAT_WORKBENCH, fake, settings: { 'smcs.maxTokens': 2048 } }, async (wb) => {
    // The SMCS panel in the side bar: a theme switch waits for it to repaint as well.
    await wb.openPanel();
    await openChat(wb);
    await dismissNotice(wb);
    await pickModel(wb, COLLABORATION);

    // A question: one upstream call, with the agent's tools, streamed word by word; the view shows it as it comes.
    for (const model of FAKE_MODELS) wb.fake.script(model, { chunkDelayMs: 40, reply: ANSWER });
    const asked = wb.fake.requests.length;
    await recordResponseLengths(wb);
    await send(wb, 'Which sorting algorithm uses a heap?');
    await waitForAnswer(wb, ANSWER);
    const answered = await latestResponse(wb).innerText();
    assert.match(answered, NOTE);
    assert.doesNotMatch(answered, /error|unavailable|sign in/i);
    const askCalls = chatCalls(wb, asked);
    assert.equal(askCalls.length, 1, `${askCalls.length} upstream calls for one question`);
    assert.ok(toolCount(askCalls[0]?.body ?? {}) > 0, 'the chat sent no tools (then the collaboration would have run the whole method)');
    const lengths = await streamedLengths(wb);
    const final = Math.max(...lengths);
    assert.ok(lengths.filter((n) => n < final).length >= 3, `the answer arrived in ${lengths.length} steps (${lengths.join(', ')})`);
    t.diagnostic(`question: ${toolCount(askCalls[0]?.body ?? {})} tools sent; the answer grew in ${lengths.length} steps`);

    // A task for the agent, same conversation: an answer, not an error, and the note is not repeated.
    const agentAsked = wb.fake.requests.length;
    const AGENT_ANSWER = 'Here is heap_sort: heapify the list with heapq, then pop the smallest element until it is empty.';
    for (const model of FAKE_MODELS) wb.fake.script(model, { reply: AGENT_ANSWER });
    await send(wb, 'Write a heap_sort function in Python in a new file heap.py.');
    await waitForAnswer(wb, AGENT_ANSWER);
    const agentText = await latestResponse(wb).innerText();
    assert.doesNotMatch(agentText, NOTE);
    assert.doesNotMatch(agentText, /error|unavailable|sign in/i);
    const agentCalls = chatCalls(wb, agentAsked);
    assert.ok(agentCalls.length >= 1 && agentCalls.every((r) => toolCount(r.body) > 0), `the agent's calls carried ${agentCalls.map((r) => toolCount(r.body)).join(', ')} tools`);

    // What a person sees of the answer, in each theme at both widths.
    await checkResponseInEveryView(wb, 'chat-model-picker');

    // Stop while the answer streams: the upstream sees its request's socket close within a second of the click.
    for (const model of FAKE_MODELS) wb.fake.script(model, { chunkDelayMs: 100, reply: 'slow '.repeat(300) });
    const stopped = wb.fake.requests.length;
    await send(wb, 'Explain closures in JavaScript.');
    await latestResponse(wb).getByText('slow slow slow').first().waitFor();
    const { closedWithinMs, aborted } = await stopAndTimeUpstream(wb, () => chatCalls(wb, stopped));
    t.diagnostic(`task: ${toolCount(agentCalls[0]?.body ?? {})} tools sent; Stop: ${aborted} upstream request(s) closed ${closedWithinMs} ms after the click`);
    assert.ok(closedWithinMs <= 1000, `the upstream request closed ${closedWithinMs} ms after Stop`);
    assert.ok(aborted >= 1, 'no upstream request was aborted: the reply had ended before Stop');
    assert.doesNotMatch(await latestResponse(wb).innerText(), /error/i);
  });
});
