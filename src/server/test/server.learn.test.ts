/**
 * What the server teaches the bank (issue 25, item 6): a code question asked through the real `openai` SDK, whose
 * referencers (loopback models) reply with programs that pass or fail the question's own samples, labels them by those
 * samples — and labels nothing when learning is turned off, or when the question has no examples to run.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { tempDir } from '../../../test/fixtures/bankData';
import { engineConfig, testHooks } from '../../../test/fixtures/askHarness';
import { startLoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { SUM_OF_INTEGERS as QUESTION } from '../../../test/fixtures/statements';
import { bankExists, listFeedback, openBank } from '../../bank';
import { LexicalEmbedder } from '../../embed/lexical';
import { bankDir, createEngine } from '../../engine/engine';
import { startServer } from '../server';

const KEY = 'test-key-learn-0123456789';
const temp = tempDir('smcs-server-learn-');
after(() => temp.cleanup());

const program = (who: string, body: string): string => `\`\`\`python\n# reply by ${who}\nn = int(input())\na = list(map(int, input().split()))\n${body}\n\`\`\`\n`;

/** Asks `question` through a server over a fresh engine and storage; returns the feedback labels the bank holds after it stopped. */
async function askThrough(name: string, question: string, learnFromChecks: boolean): Promise<(Record<string, 0 | 1> | undefined)[] | null> {
  const fake = await startLoopbackUpstream({ models: ['right', 'wrong', 'agg'].map((id) => ({ id })) });
  fake.script('right', { reply: program('right', 'print(sum(a))') });
  fake.script('wrong', { reply: program('wrong', 'print(sum(a) + 1)') });
  fake.script('agg', { reply: program('agg', 'print(sum(a))') });
  const config = engineConfig({ baseUrl: fake.baseUrl, models: ['right', 'wrong', 'agg'], overrides: { aggregator: 'agg', k: 2, n: 1 } });
  const storage = `${temp.dir}/${name}`;
  const engine = await createEngine(config, testHooks(storage));
  const server = await startServer({ engine, apiKey: KEY, host: '127.0.0.1', port: 0, maxConcurrent: 4, learnFromChecks, log: () => undefined });
  try {
    const reply = await new OpenAI({ baseURL: server.url, apiKey: KEY, maxRetries: 0 }).chat.completions.create({ model: 'smcs', messages: [{ role: 'user', content: question }] });
    assert.match(reply.choices[0]?.message.content ?? '', /print\(sum\(a\)\)/);
  } finally {
    // Closing waits for the bank writes the request queued.
    await server.close();
    await engine.dispose();
    await fake.close();
  }
  const dir = bankDir(config, storage);
  if (!(await bankExists(dir))) return null;
  const embedder = new LexicalEmbedder();
  const bank = await openBank(dir, { embedder: { id: embedder.id, dimension: await embedder.dimension() } });
  try {
    return (await listFeedback(bank)).map((r) => r.correct);
  } finally {
    await bank.close();
  }
}

test('a code answer checked on the question’s samples labels the referencer that passes 1 and the one that fails 0', async () => {
  assert.deepEqual(await askThrough('on', QUESTION, true), [{ right: 1, wrong: 0 }]);
});

test('with learning from checks turned off (smcs serve --no-learn) the same request writes nothing to the bank', async () => {
  assert.equal(await askThrough('off', QUESTION, false), null);
});

test('a question without examples labels nothing, even where the replies disagree (no user choice to learn from)', async () => {
  assert.equal(await askThrough('plain', 'Write a Python program that prints the sum of the integers on its second input line.', true), null);
});
