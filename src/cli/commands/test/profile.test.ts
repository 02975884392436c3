import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LocalBank } from '../../../bank';
import { recordedEmbedder } from '../bank';
import { startLoopbackUpstream, type LoopbackUpstream } from '../../../../test/fixtures/loopbackUpstream';
import { tempDir, toJsonl } from '../../../../test/fixtures/bankData';
import { runCliHere, startCli } from '../../../../test/fixtures/cliRun';
import { profileQuestions, questionNumber, scriptedReply } from '../../../../test/fixtures/profileData';

const MODELS = ['good-1', 'half-1', 'bad-1'];
const { dir: root, cleanup } = tempDir('smcs-profile-cli-');
const env = { SMCS_HOME: path.join(root, 'home') };
let server: LoopbackUpstream;
before(async () => {
  server = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })), defaults: { reply: scriptedReply } });
});
after(async () => {
  await server.close();
  cleanup();
});

let n = 0;
/** A config for the loopback server with its own bank holding `count` profile questions. */
async function setup(count: number): Promise<{ config: string; bank: string }> {
  const bank = path.join(root, `bank-${n}`);
  const config = path.join(root, `config-${n++}.json`);
  writeFileSync(config, JSON.stringify({ endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models: MODELS, maxConcurrency: 8 }], embedding: { provider: 'lexical' }, bank }));
  if (count > 0) {
    const jsonl = path.join(root, `questions-${n}.jsonl`);
    writeFileSync(jsonl, toJsonl(profileQuestions(count)));
    const imported = await runCliHere(['bank', 'import', '--config', config, jsonl], env);
    assert.equal(imported.code, 0, imported.stderr);
  }
  return { config, bank };
}
const chats = () => server.requests.filter((r) => r.path === '/v1/chat/completions');

/** Labels in the bank folder, as `model|id` strings. */
async function storedLabels(dir: string): Promise<Set<string>> {
  const bank = await LocalBank.open(dir, { embedder: await recordedEmbedder(dir) });
  try {
    return new Set([...bank.records()].flatMap((r) => Object.keys(r.correct ?? {}).map((m) => `${m}|${r.id}`)));
  } finally {
    await bank.close();
  }
}

describe('smcs profile', () => {
  it('prints the estimate and refuses to start without --yes when there is no terminal (exit 2)', async () => {
    const { config } = await setup(6);
    const before = chats().length;
    const out = await runCliHere(['profile', '--config', config, '--models', 'good-1,bad-1'], env);
    assert.equal(out.code, 2);
    assert.match(out.stdout, /profile: 12 requests, about \d+ prompt \+ 3,600 completion tokens/);
    assert.match(out.stderr, /rerun with --yes/);
    assert.equal(chats().length, before);
    const unknown = await runCliHere(['profile', '--config', config, '--models', 'nope', '--yes'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--models: unknown model nope; configured models: good-1, half-1, bad-1/);
  });

  it('profiles with --yes --json and reports accuracy by domain per model', async () => {
    const { config } = await setup(8);
    const out = await runCliHere(['profile', '--config', config, '--yes', '--json', '--limit', '6'], env);
    assert.equal(out.code, 0, out.stderr);
    const doc = JSON.parse(out.stdout);
    assert.equal(doc.estimate.requests, 18);
    assert.deepEqual([doc.run.total, doc.run.labelled, doc.run.failed], [18, 18, 0]);
    const half = doc.models.find((m: { model: string }) => m.model === 'half-1');
    assert.deepEqual(half.byDomain, { algorithms: { labelled: 2, correct: 2, accuracy: 1 }, math: { labelled: 3, correct: 3, accuracy: 1 }, python: { labelled: 1, correct: 0, accuracy: 0 } });
    assert.match(out.stderr, /\[#{30}\] 18\/18/);
  });

  it('--starter imports the shipped starter bank into an empty bank first', async () => {
    const { config, bank } = await setup(0);
    const refused = await runCliHere(['profile', '--config', config, '--yes'], env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--starter/);
    server.script('good-1', { reply: 'It is the first one.\nAnswer: A' });
    const out = await runCliHere(['profile', '--config', config, '--yes', '--json', '--starter', '--limit', '2', '--models', 'good-1'], env).finally(() =>
      server.script('good-1', { reply: scriptedReply }),
    );
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /imported the starter bank: (\d+) questions/);
    const added = Number(/imported the starter bank: (\d+)/.exec(out.stderr)?.[1]);
    assert.ok(added >= 300);
    const run = JSON.parse(out.stdout).run;
    assert.deepEqual([run.total, run.labelled, run.failed], [2, 2, 0]);
    assert.equal((await storedLabels(bank)).size, 2);
  });

  it('survives SIGKILL mid-way and resumes without redoing stored labels', async (t) => {
    const { config, bank } = await setup(60);
    for (const m of MODELS) server.script(m, { reply: scriptedReply, firstByteDelayMs: 40 });
    try {
      const start = chats().length;
      const run = startCli(['profile', '--config', config, '--yes', '--concurrency', '8'], env);
      // kill once 90 replies were sent and at least one batch of labels is in the bank
      await new Promise<void>((resolve, reject) => {
        let checking = false;
        const poll = setInterval(() => {
          if (checking || chats().slice(start).filter((r) => r.completedAt !== undefined).length < 90) return;
          checking = true;
          storedLabels(bank)
            .then((labels) => {
              if (labels.size >= 25) {
                clearInterval(poll);
                resolve();
              }
            }, reject)
            .finally(() => (checking = false));
        }, 10);
        run.done.then((o) => {
          clearInterval(poll);
          reject(new Error(`finished before the kill: ${o.stderr}`));
        }, reject);
      });
      run.child.kill('SIGKILL');
      const killed = await run.done;
      assert.equal(killed.signal, 'SIGKILL');
      const firstRun = chats().length - start;
      const stored = await storedLabels(bank);
      assert.ok(stored.size >= 25 && stored.size < 180, `stored ${stored.size} labels before the kill`);

      const mid = chats().length;
      const resumed = await runCliHere(['profile', '--config', config, '--yes', '--json'], env);
      assert.equal(resumed.code, 0, resumed.stderr);
      const asked = chats().slice(mid).map((r) => `${r.model}|p-${questionNumber(r)}`);
      assert.equal(asked.length, 180 - stored.size);
      assert.deepEqual(asked.filter((k) => stored.has(k)), [], 'no stored label was asked again');
      assert.equal((await storedLabels(bank)).size, 180);
      t.diagnostic(`killed after ${firstRun} requests with ${stored.size} labels stored; the resumed run asked ${asked.length}`);
    } finally {
      for (const m of MODELS) server.script(m, { reply: scriptedReply });
    }
  });
});
