/**
 * `smcs ask` and `smcs serve` as a user runs them (real processes, loopback server, the real openai SDK) on a question
 * whose options are numbers: three models answer three different options, one of them with working that arrives at its
 * option's value. The vote weighs that reply more (core/grading/derivedOption), and the text, `--json` and the server's
 * `smcs` field all say that the working decided.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { firstLine, runCli, startCli } from '../../../../test/fixtures/cliRun';
import { tempDir } from '../../../../test/fixtures/bankData';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../../../../test/fixtures/loopbackUpstream';

const temp = tempDir('smcs-cli-working-');
let server: LoopbackUpstream;
const MODELS = ['alpha', 'beta', 'gamma'];
const QUESTION = ['A wholesaler sold his goods for $1,288, at a loss of 8 % of their original cost. What was the original cost?', 'A. $1,350', 'B. $1,400', 'C. $1,250', 'D. $1,600'].join('\n');
const SAYS: Record<string, string> = {
  alpha: 'The answer is (A).',
  beta: 'The price is 92 % of the cost: 0.92x = 1288, so x = 1288 / 0.92 = 1400.\n\nThe answer is (B).',
  gamma: 'At a loss it cost more than 1288 + 8 = 1296. The answer is (D).',
};
const isAggregation = (request: RecordedRequest): boolean => JSON.stringify(request.body).includes('0.92x = 1288');

before(async () => {
  server = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
  for (const model of MODELS) server.script(model, { reply: (request) => (isAggregation(request) ? 'As the working shows, 1288 / 0.92 = 1400: the answer is (B).' : (SAYS[model] ?? '')) });
});

after(async () => {
  await server.close();
  temp.cleanup();
});

async function config(): Promise<string> {
  const file = path.join(temp.dir, 'config.json');
  const endpoints = [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: MODELS }];
  await writeFile(file, JSON.stringify({ endpoints, embedding: { provider: 'lexical' }, aggregator: 'alpha', bank: path.join(temp.dir, 'bank'), k: 3, n: 2, maxTokens: 256 }));
  return file;
}

interface Json {
  selectedBy: string;
  agreement: { answer: string; byWorking?: boolean; answers: { reply: { kind: string; model?: string }; answer: string | null; worked?: boolean }[] };
}

test("the reply whose working arrives at its option's value decides a three-way split, and both outputs say so", async () => {
  const cfg = await config();
  const json = await runCli(['--config', cfg, 'ask', QUESTION, '--json']);
  assert.equal(json.code, 0, json.stderr);
  const doc = JSON.parse(json.stdout) as Json;
  assert.equal(doc.selectedBy, 'agreement');
  assert.equal(doc.agreement.answer, 'B');
  assert.equal(doc.agreement.byWorking, true);
  const referencers = doc.agreement.answers.filter((a) => a.reply.kind === 'referencer').map((a) => [a.reply.model, a.answer, a.worked === true]);
  assert.deepEqual(new Map(referencers.map(([m, ...rest]) => [m, rest])), new Map([['alpha', ['A', false]], ['beta', ['B', true]], ['gamma', ['D', false]]]));
  const oneLine = await runCli(['--config', cfg, 'ask', QUESTION.replace(/\n/g, ' '), '--json']);
  assert.equal(oneLine.code, 0, oneLine.stderr);
  assert.equal((JSON.parse(oneLine.stdout) as Json).agreement.byWorking, true, 'the options typed on one line, as in a chat: the same choice');
  const text = await runCli(['--config', cfg, 'ask', QUESTION]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout.split('\n')[0] ?? '', /^final answers: beta answers \(B\) · .* — chose \(B\): the working of beta arrives at the value of \(B\) \(models disagree: a close choice between \(B\) and \([AD]\)\)$/);
});

test("smcs serve answers the openai SDK with the worked-out option, and its smcs field says the working decided", { timeout: 60_000 }, async () => {
  const run = startCli(['--config', await config(), 'serve', '--port', '0', '--api-key', 'a-key-of-sixteen-chars'], { SMCS_HOME: path.join(temp.dir, 'home') });
  try {
    const url = (await firstLine(run.child)).replace(/^listening /, '');
    const reply = await new OpenAI({ baseURL: url, apiKey: 'a-key-of-sixteen-chars', maxRetries: 0 }).chat.completions.create({ model: 'smcs', messages: [{ role: 'user', content: QUESTION }] });
    const smcs = (reply as unknown as { smcs: { selectedBy: string; agreementLine: string; agreement: { answer: string; byWorking?: boolean } } }).smcs;
    assert.match(reply.choices[0]?.message.content ?? '', /\(B\)/);
    assert.deepEqual([smcs.selectedBy, smcs.agreement.answer, smcs.agreement.byWorking], ['agreement', 'B', true]);
    assert.match(smcs.agreementLine, /— chose \(B\): the working of beta arrives at the value of \(B\)/);
  } finally {
    run.child.kill('SIGTERM');
    await run.done;
  }
});
