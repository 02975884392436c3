/**
 * The one fit of a prompt: which part gives way first is the layout's data — the same parts fitted to the same window
 * under a layout that ranks the conversation lower (or higher) cut the other part instead — and an ask screens and
 * fits its context once and embeds its question once, whatever number of calls then carry them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LexicalEmbedder } from '../../../embed/lexical';
import { scriptedGateway } from '../../checks/test/checkFakes';
import { contextText, fileItem, type ContextItem } from '../../context/contextItem';
import { guardContext } from '../../secrets/secretGuard';
import { partTokens, PROMPT_LAYOUT, type PromptLayout } from '../../promptBudget/promptLayout';
import type { PipelineEvent } from '../../contracts/events';
import { DEFAULT_PARAMS, type Embedder } from '../../contracts/types';
import type { Turn } from '../conversation';
import { fitPrompt, fixedTokens } from '../fitPrompt';
import { runPipeline } from '../pipeline';

const ranked = (part: keyof PromptLayout, priority: number): PromptLayout => ({ ...PROMPT_LAYOUT, [part]: { ...PROMPT_LAYOUT[part], priority } });
/** A turn of about `tokens` estimated tokens. */
const turn = (n: number, tokens: number): Turn => ({ question: `Question ${n}: ${'q'.repeat(((tokens - 8) * 3) / 2 - 12)}`, answer: 'a'.repeat(((tokens - 8) * 3) / 2) });
const lines = (n: number): string => Array.from({ length: n }, (_, i) => `value_${String(i).padStart(3, '0')} = compute(${i}) + offset`).join('\n');
const target = { window: 3000, maxTokens: 512 };
const parts = { system: ['Answer briefly.'], question: ['How is value_010 computed?'] };

test('the layout decides whether the context or the conversation gives way: rank the conversation below the context and its oldest turn goes instead', () => {
  const conversation = [turn(1, 700), turn(2, 700)];
  const context = [fileItem('file', 'values.py', lines(100), 'attached')];
  assert.ok(context[0]!.tokens > 1100 && context[0]!.tokens < 1500, `the file is ${context[0]!.tokens} tokens`);

  const byDefault = fitPrompt({ ...parts, conversation, context }, target);
  assert.equal(byDefault.droppedTurns, 0, 'the conversation ranks above the context: every turn is kept');
  assert.ok(byDefault.context.notes.some((n) => n.endsWith('left out: context window')), JSON.stringify(byDefault.context.notes));

  const conversationLast = fitPrompt({ ...parts, conversation, context }, target, ranked('conversation', 100));
  assert.deepEqual(conversationLast.context, { items: context, notes: [] }, 'the context, now above the conversation, is sent whole');
  assert.equal(conversationLast.droppedTurns, 1, 'the oldest turn gives way instead');
  assert.deepEqual(conversationLast.turns, [conversation[1]]);
});

test('the layout decides whether the references or the conversation give way: rank the conversation above the references and the references are cut', () => {
  const conversation = [turn(1, 700), turn(2, 700)];
  const references = ['r'.repeat(2700), 's'.repeat(2700)];

  const byDefault = fitPrompt({ ...parts, references, conversation }, target);
  assert.deepEqual(byDefault.trimmedReferences, [], 'the references rank above the conversation: they are sent whole');
  assert.equal(byDefault.droppedTurns, 2);

  const conversationFirst = fitPrompt({ ...parts, references, conversation }, target, ranked('conversation', 850));
  assert.equal(conversationFirst.droppedTurns, 0, 'the conversation, now above the references, is kept');
  assert.deepEqual(conversationFirst.trimmedReferences, [0, 1]);
});

test('the parts always sent are the fixed part whatever their rank; a part the layout does not mark always gives way', () => {
  const question = ['q'.repeat(6000)];
  assert.equal(fixedTokens({ ...parts, question }), partTokens({ system: parts.system, question }), 'counted as the messages sent');
  const fit = fitPrompt({ ...parts, question, conversation: [turn(1, 700)] }, { window: 2000, maxTokens: 512 }, ranked('question', 1));
  assert.equal(fit.droppedTurns, 1, 'a question ranked last is still sent, and the conversation gives way to it');
  assert.equal(fit.maxTokens, 1, 'the output is what the window leaves, at least 1');
});

test('an ask screens and fits its context once and embeds its question once, for every referencer and aggregation', async () => {
  const question = 'How is value_010 computed in values.py?';
  const file = fileItem('file', 'values.py', lines(20), 'attached');
  let reads = 0;
  // The file's text counts its readers: the screen (core/secrets/secretGuard) and the message built from the fit.
  const counted: ContextItem = Object.defineProperty({ ...file }, 'text', { enumerable: true, get: () => ((reads += 1), file.text) });
  // How often one screen, and one message built from the context, read the text.
  const readsOf = (use: () => unknown): number => {
    const before = reads;
    use();
    return reads - before;
  };
  const oneScreen = readsOf(() => guardContext([counted]));
  const oneMessage = readsOf(() => contextText([counted], []));
  reads = 0;
  const lexical = new LexicalEmbedder();
  let questionEmbeddings = 0;
  const embedder: Embedder = {
    id: lexical.id,
    dimension: () => lexical.dimension(),
    embed: (texts, signal) => {
      if (texts.some((t) => t.includes(question))) questionEmbeddings += 1;
      return lexical.embed(texts, signal);
    },
  };
  const gateway = scriptedGateway({ a: 'It adds the offset to compute(10).', b: 'compute(10) plus offset.', c: 'The offset is added.', agg: 'compute(10) + offset.' });
  const events: PipelineEvent[] = [];
  const input = { question, models: ['a', 'b', 'c'], aggregator: 'agg', contextItems: [counted], params: { ...DEFAULT_PARAMS, k: 3, kDrop: 1, n: 4, maxTokens: 256 } };
  for await (const e of runPipeline(input, { embedder, bank: null, gateway }, new AbortController().signal)) events.push(e);
  assert.equal(events.at(-1)?.type, 'done', JSON.stringify(events.at(-1)));

  const userMessages = gateway.requests.map((r) => r.messages.at(-1)?.content);
  assert.ok(gateway.requests.length >= 4, `three referencers and at least one aggregation (${gateway.requests.length} calls)`);
  assert.equal(new Set(userMessages).size, 1, 'every call sends the one fitted message');
  assert.ok(userMessages[0]?.includes('value_019 = compute(19)'), 'with the context in it');
  assert.equal(reads, oneScreen + oneMessage, `the context was screened once (${oneScreen} reads) and its message built once (${oneMessage})`);
  assert.equal(questionEmbeddings, 1, 'the question was embedded once');
});
