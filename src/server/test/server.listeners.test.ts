/**
 * `smcs serve` in a process of its own (test/fixtures/serveChild.ts) answers a run of whole-method requests — seven
 * referencers, eight draws, code replies whose checks queue for the sandbox — without a word on stderr: no
 * `MaxListenersExceededWarning` from listeners piling up on a request's AbortSignal.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import OpenAI from 'openai';
import { REPO } from '../../../test/fixtures/repo';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import { CHILD_KEY } from '../../../test/fixtures/serveChild';

const MODELS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'];
let fake: LoopbackUpstream;
let child: ChildProcess;
let url: string;
let stderr = '';

before(async () => {
  fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
  // A different program from each model: every reply and every aggregation is checked on its own.
  for (const [i, model] of MODELS.entries()) fake.script(model, { reply: `\`\`\`python\ndef add(a, b):\n    return a + b${i % 3 === 0 ? ' + 0' : ''}  # ${model}\n\`\`\`` });
  child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(REPO, 'test', 'fixtures', 'serveChild.ts'), fake.baseUrl, MODELS.join(',')], { cwd: REPO, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  url = await new Promise<string>((resolve) => {
    child.on('message', (m: unknown) => {
      if (typeof m === 'object' && m !== null && 'url' in m && typeof m.url === 'string') resolve(m.url);
    });
  });
});

after(async () => {
  child.disconnect();
  await new Promise((resolve) => child.once('exit', resolve));
  await fake.close();
});

test('a run of asks with code checks leaves stderr empty: no listener piles up on a request\'s signal', { timeout: 240_000 }, async () => {
  const client = new OpenAI({ baseURL: url, apiKey: CHILD_KEY, maxRetries: 0 });
  for (let i = 0; i < 6; i++) {
    const body = { model: 'smcs', messages: [{ role: 'user' as const, content: `Write add(a, b) in Python.\n\n>>> add(1, 2)\n3\n>>> add(2, ${i})\n${2 + i}` }] };
    if (i % 2 === 0) {
      const reply = await client.chat.completions.create(body);
      assert.match(reply.choices[0]?.message.content ?? '', /def add/);
    } else {
      let text = '';
      for await (const chunk of await client.chat.completions.create({ ...body, stream: true })) text += chunk.choices[0]?.delta.content ?? '';
      assert.match(text, /def add/);
    }
  }
  const asked = fake.requests.filter((r) => r.path === '/v1/chat/completions').length;
  assert.ok(asked >= 6 * 8, `only ${asked} upstream calls: the asks did not fan out`);
  assert.equal(stderr, '');
});
