import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LocalBank } from '../../bank';
import { FAILURES_FILE } from '../../bank/local/profileFailures';
import { estimateProfile, profileModels } from '../profiler';
import type { LoopbackUpstream } from '../../../test/fixtures/loopbackUpstream';
import type { BankRecord } from '../../core/contracts/types';
import type { OpenAiGateway } from '../../llm/gateway';
import { tempDir } from '../../../test/fixtures/bankData';
import {
  expectedLabel,
  newProfileBank,
  PROFILE_BANK_EMBEDDER as embedder,
  profileQuestions,
  questionNumber,
  scriptedReply,
  startProfilingServer,
} from '../../../test/fixtures/profileData';

const { dir: root, cleanup } = tempDir('smcs-profile-');
let server: LoopbackUpstream;
let gateway: OpenAiGateway;
const MODELS = ['good-1', 'half-1', 'bad-1', 'new-1', 'priced-1'];
/** Sampling as asking does, with a profiling budget: distinct values, so the requests show they were used. */
const sampling = { temperature: 0.3, presencePenalty: 0.5, profileMaxTokens: 1024 };

before(async () => {
  ({ server, gateway } = await startProfilingServer({
    models: [...MODELS.filter((m) => m !== 'priced-1').map((id) => ({ id })), { id: 'priced-1', pricing: { prompt: 1e-6, completion: 2e-6 } }],
    defaults: { reply: scriptedReply },
  }));
});
after(async () => {
  await server.close();
  cleanup();
});

let n = 0;
const EXTRA: BankRecord[] = [
  { id: 'x-none', question: 'Explain closures.', grader: 'none' },
  { id: 'x-code', question: 'Write add(a, b).', grader: 'code', answer: 'assert add(2, 3) == 5' },
  { id: 'x-bad', question: 'Pick one.', grader: 'choice', answer: 'maybe' },
  { id: 'x-noanswer', question: 'What is 2 + 2?', grader: 'number' },
];
const newBank = (count: number, extra = true) => newProfileBank(path.join(root, `bank-${n++}`), [...profileQuestions(count), ...(extra ? EXTRA : [])]);
const chats = (model?: string) => server.requests.filter((r) => r.path === '/v1/chat/completions' && (model === undefined || r.model === model));
const labelOf = (bank: LocalBank, id: string, model: string) => bank.get(id)?.correct?.[model];

describe('profileModels', () => {
  it('asks each model each gradable question once, grades the replies and stores the labels', async () => {
    const bank = await newBank(20);
    try {
      const before = chats().length;
      const progress: number[] = [];
      const summary = await profileModels({ bank, gateway, sampling, models: ['good-1', 'half-1', 'bad-1'], concurrency: 4, flushEvery: 7, onProgress: (p) => progress.push(p.done) });
      const sent = chats().slice(before);
      assert.equal(sent.length, 60);
      assert.deepEqual(summary.skipped, { ungradable: 1, code: 1, badAnswer: ['x-bad', 'x-noanswer'] });
      assert.deepEqual([summary.total, summary.done, summary.labelled, summary.failed, summary.cancelled], [60, 60, 60, 0, false]);
      assert.deepEqual(progress, Array.from({ length: 60 }, (_, i) => i + 1));
      for (const r of sent) {
        assert.equal(r.body.temperature, 0.3);
        assert.equal(r.body.presence_penalty, 0.5);
        assert.equal(r.body.max_tokens ?? r.body.max_completion_tokens, 1024);
        assert.match(JSON.stringify(r.body.messages), /Answer: X/);
      }
      for (let i = 0; i < 20; i++) for (const m of ['good-1', 'half-1', 'bad-1']) assert.equal(labelOf(bank, `p-${i}`, m), expectedLabel(m, i), `${m} on p-${i}`);
      assert.equal(summary.models.find((m) => m.model === 'half-1')?.correct, 15);
      // Each label keeps the usage the server reported for the reply it came from.
      const usage = (i: number, m: string) => server.requests.find((r) => r.model === m && JSON.stringify(r.body.messages).includes(bank.get(`p-${i}`)?.question ?? '?'))?.usage;
      for (const i of [0, 7]) {
        const reported = usage(i, 'half-1');
        assert.ok(reported, `the server's usage for p-${i}`);
        assert.deepEqual(bank.get(`p-${i}`)?.tokens?.['half-1'], { prompt: reported.prompt_tokens, completion: reported.completion_tokens });
      }
      assert.ok(server.inFlight().max <= 8);
      assert.equal(bank.get('x-none')?.correct, undefined);
    } finally {
      await bank.close();
    }
  });

  it('re-running asks nothing; adding a model profiles only that model', async () => {
    const bank = await newBank(10, false);
    try {
      await profileModels({ bank, gateway, sampling, models: ['good-1', 'bad-1'] });
      const before = chats().length;
      const again = await profileModels({ bank, gateway, sampling, models: ['good-1', 'bad-1'] });
      assert.equal(again.total, 0);
      assert.equal(chats().length, before);
      const added = await profileModels({ bank, gateway, sampling, models: ['good-1', 'bad-1', 'new-1'] });
      assert.equal(added.total, 10);
      assert.deepEqual([...new Set(chats().slice(before).map((r) => r.model))], ['new-1']);
    } finally {
      await bank.close();
    }
  });

  it('records failed requests instead of wrong labels and retries only them on the next run', async () => {
    const bank = await newBank(6, false);
    try {
      server.script('bad-1', { fail: { status: 400, message: 'model is overloaded' } });
      const first = await profileModels({ bank, gateway, sampling, models: ['good-1', 'bad-1'] });
      assert.deepEqual([first.labelled, first.failed], [6, 6]);
      assert.match(first.models.find((m) => m.model === 'bad-1')?.lastError ?? '', /overloaded/);
      assert.equal(labelOf(bank, 'p-0', 'bad-1'), undefined);
      const sidecar = JSON.parse(readFileSync(path.join(bank.dir, FAILURES_FILE), 'utf8'));
      assert.equal(Object.keys(sidecar.failures['bad-1']).length, 6);
      assert.equal(sidecar.failures['bad-1']['p-3'].count, 1);

      server.script('bad-1', { reply: scriptedReply });
      const before = chats().length;
      const second = await profileModels({ bank, gateway, sampling, models: ['good-1', 'bad-1'] });
      assert.deepEqual([second.total, second.labelled, second.failed], [6, 6, 0]);
      assert.deepEqual([...new Set(chats().slice(before).map((r) => r.model))], ['bad-1']);
      assert.equal(labelOf(bank, 'p-0', 'bad-1'), 0);
      assert.equal(existsSync(path.join(bank.dir, FAILURES_FILE)), false);
    } finally {
      server.script('bad-1', { reply: scriptedReply });
      await bank.close();
    }
  });

  it('stops on cancel with finished labels stored; the next run asks only for the rest', async () => {
    const bank = await newBank(30, false);
    server.script('good-1', { reply: scriptedReply, firstByteDelayMs: 15 });
    try {
      const controller = new AbortController();
      const before = chats().length;
      const first = await profileModels({
        bank, gateway, sampling, models: ['good-1'], concurrency: 2, signal: controller.signal,
        onProgress: (p) => p.done === 10 && controller.abort(),
      });
      assert.equal(first.cancelled, true);
      const stored = [...bank.records()].filter((r) => r.correct?.['good-1'] !== undefined).map((r) => r.id);
      assert.ok(stored.length >= 10 && stored.length < 30, `stored ${stored.length}`);
      const mid = chats().length;
      const second = await profileModels({ bank, gateway, sampling, models: ['good-1'] });
      assert.equal(second.total, 30 - stored.length);
      const asked = chats().slice(mid).map((r) => `p-${questionNumber(r)}`);
      assert.deepEqual(asked.filter((id) => stored.includes(id)), []);
      assert.equal(asked.length + stored.length, 30);
      assert.ok(mid - before <= stored.length + 2);
    } finally {
      server.script('good-1', { reply: scriptedReply });
      await bank.close();
    }
  });

  it('rejects when labels cannot be stored (bank closed mid-run); the next run asks again for every unstored label', async () => {
    const first = await newBank(10, false);
    let closing: Promise<void> | undefined;
    await assert.rejects(
      profileModels({ bank: first, gateway, sampling, models: ['good-1'], flushEvery: 3, onProgress: (p) => { if (p.done === 5) closing = first.close(); } }),
      /bank at .* is closed/,
    );
    await closing;
    const bank = await LocalBank.open(first.dir, { embedder: { id: embedder.id, dimension: 64 }, write: true });
    try {
      const stored = [...bank.records()].filter((r) => r.correct?.['good-1'] !== undefined).map((r) => r.id);
      assert.ok(stored.length < 5, `stored ${stored.length}`);
      const before = chats().length;
      const second = await profileModels({ bank, gateway, sampling, models: ['good-1'] });
      assert.deepEqual([second.total, second.labelled], [10 - stored.length, 10 - stored.length]);
      const asked = chats().slice(before).map((r) => `p-${questionNumber(r)}`);
      assert.deepEqual(asked.filter((id) => stored.includes(id)), []);
      for (let i = 0; i < 10; i++) assert.equal(labelOf(bank, `p-${i}`, 'good-1'), expectedLabel('good-1', i), `p-${i}`);
    } finally {
      await bank.close();
    }
  });

  it('costs the run as the usage the server reported times the price of the model; no price, no cost', async () => {
    const bank = await newBank(6, false);
    try {
      const before = chats('priced-1').length;
      const priced = await profileModels({ bank, gateway, sampling, models: ['priced-1'] });
      const reported = chats('priced-1').slice(before).map((r) => r.usage ?? assert.fail('the server reported no usage'));
      assert.equal(reported.length, 6);
      const expected = reported.reduce((sum, u) => sum + u.prompt_tokens * 1e-6 + u.completion_tokens * 2e-6, 0);
      assert.ok(Math.abs((priced.costUsd ?? NaN) - expected) < 1e-12, `${priced.costUsd} vs ${expected}`);
      assert.equal((await profileModels({ bank, gateway, sampling, models: ['good-1'] })).costUsd, undefined);
    } finally {
      await bank.close();
    }
  });

  it('refuses unknown models and unknown question ids, and honours questionIds and limit', async () => {
    const bank = await newBank(8, false);
    try {
      await assert.rejects(profileModels({ bank, gateway, sampling, models: ['nope'] }), /unknown model nope/);
      await assert.rejects(profileModels({ bank, gateway, sampling, models: ['good-1'], questionIds: ['p-1', 'zz'] }), /no question with id "zz"/);
      const some = await profileModels({ bank, gateway, sampling, models: ['good-1'], questionIds: ['p-5', 'p-2', 'p-7'], limit: 2 });
      assert.equal(some.total, 2);
      assert.deepEqual([labelOf(bank, 'p-5', 'good-1'), labelOf(bank, 'p-2', 'good-1'), labelOf(bank, 'p-7', 'good-1')], [1, 1, undefined]);
    } finally {
      await bank.close();
    }
  });
});

describe('estimateProfile', () => {
  it('counts missing labels, estimates tokens and prices only the models with pricing', async () => {
    const bank = await newBank(10);
    try {
      await profileModels({ bank, gateway, sampling, models: ['good-1'], limit: 4 });
      const est = await estimateProfile(bank, ['good-1', 'priced-1'], gateway, { limit: 6, completionTokens: 100, maxTokens: 2048 });
      assert.equal(est.requests, 2 + 6);
      assert.deepEqual(est.perModel.map((p) => [p.model, p.requests]), [['good-1', 2], ['priced-1', 6]]);
      assert.equal(est.completionTokens, 800);
      assert.ok(est.promptTokens > 8 * 20);
      assert.deepEqual(est.unpricedModels, ['good-1']);
      const priced = est.perModel[1]!;
      assert.ok(Math.abs((est.costUsd as number) - (priced.promptTokens * 1e-6 + 600 * 2e-6)) < 1e-12);
      assert.ok(Math.abs((est.maxCostUsd as number) - (priced.promptTokens * 1e-6 + 6 * 2048 * 2e-6)) < 1e-12);
      assert.equal((await estimateProfile(bank, ['good-1'], gateway, { maxTokens: 2048 })).costUsd, undefined);
    } finally {
      await bank.close();
    }
  });
});
