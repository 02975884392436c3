/** Profiling reasoning models: only the answer is graded, and a reply cut at the token limit is counted, not labelled. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { LocalBank } from '../../bank';
import { FAILURES_FILE } from '../../bank/local/profileFailures';
import { profileModels, type ProfileProgress } from '../profiler';
import type { LoopbackUpstream, RecordedRequest } from '../../../test/fixtures/loopbackUpstream';
import type { OpenAiGateway } from '../../llm/gateway';
import { tempDir } from '../../../test/fixtures/bankData';
import { expectedLabel, newProfileBank, profileQuestions, questionNumber, replyFor, scriptedReply, startProfilingServer } from '../../../test/fixtures/profileData';

const { dir: root, cleanup } = tempDir('smcs-profile-reasoning-');
const MODELS = ['good-r', 'half-r', 'mute-r'];
const sampling = { temperature: 0.7, presencePenalty: 1.05, profileMaxTokens: 4096 };
let server: LoopbackUpstream;
let gateway: OpenAiGateway;

/** Reasoning that works the right answer out: graded, it would turn a wrong or silent reply right. */
const rightReasoning = (req: RecordedRequest) => `Scratch work. ${replyFor(questionNumber(req), true)}\nNow the final reply.`;
/** `mute-*` models never state an answer; the others reply as scriptedReply does. */
const reply = (req: RecordedRequest) => (req.model?.startsWith('mute') ? 'I would rather not commit to one.' : scriptedReply(req));

before(async () => {
  ({ server, gateway } = await startProfilingServer({ models: MODELS.map((id) => ({ id })), defaults: { reply } }));
});
after(async () => {
  await server.close();
  cleanup();
});

let n = 0;
const newBank = (count: number) => newProfileBank(path.join(root, `bank-${n++}`), profileQuestions(count));
const labels = (bank: LocalBank, model: string) => [...bank.records()].map((r) => r.correct?.[model]);

describe('profiling reasoning models', () => {
  it('grades only the answer: reasoning with the right answer does not make a wrong or silent reply right', async () => {
    const bank = await newBank(8);
    try {
      server.script('good-r', { reply, reasoning: rightReasoning, inlineReasoning: 'prefilled' });
      server.script('half-r', { reply, reasoning: rightReasoning, inlineReasoning: 'think' });
      server.script('mute-r', { reply, reasoning: rightReasoning, reasoningField: 'reasoning' });
      const summary = await profileModels({ bank, gateway, sampling, models: MODELS });
      assert.deepEqual([summary.labelled, summary.failed, summary.truncated], [24, 0, 0]);
      assert.deepEqual(labels(bank, 'good-r'), Array.from({ length: 8 }, (_, i) => expectedLabel('good-r', i)));
      assert.deepEqual(labels(bank, 'half-r'), Array.from({ length: 8 }, (_, i) => expectedLabel('half-r', i)));
      assert.deepEqual(labels(bank, 'mute-r'), Array(8).fill(0));
      assert.equal(summary.models.find((m) => m.model === 'mute-r')?.unparseable, 8);
    } finally {
      for (const m of MODELS) server.script(m, { reply });
      await bank.close();
    }
  });

  it('a reply that reasons and never answers is graded like an empty reply (wrong, unparseable), not failed', async () => {
    const bank = await newBank(4);
    try {
      server.script('good-r', { reasoning: rightReasoning, chunks: ['\n\n'] });
      const summary = await profileModels({ bank, gateway, sampling, models: ['good-r'] });
      assert.deepEqual([summary.labelled, summary.failed, summary.truncated], [4, 0, 0]);
      assert.deepEqual(labels(bank, 'good-r'), [0, 0, 0, 0]);
      assert.equal(summary.models[0]?.unparseable, 4);
      assert.ok(summary.usage.completionTokens > 0, 'its tokens are counted');
    } finally {
      server.script('good-r', { reply });
      await bank.close();
    }
  });

  it('replies cut at the token limit (in the reasoning or in the answer) are counted, not stored; a bigger budget labels them', async () => {
    const bank = await newBank(6);
    try {
      // 40 tokens of reasoning: a budget of 20 cuts it inside the reasoning; scriptedReply answers in 7 or 8 tokens more
      const long = `${'step '.repeat(40)}done`;
      server.script('good-r', { reply, reasoning: long, inlineReasoning: 'think', enforceMaxTokens: true });
      server.script('half-r', { reply, reasoning: long, reasoningField: 'reasoning_content', enforceMaxTokens: true });
      const progress: ProfileProgress[] = [];
      const first = await profileModels({ bank, gateway, sampling: { ...sampling, profileMaxTokens: 20 }, models: ['good-r', 'half-r', 'mute-r'], onProgress: (p) => progress.push(p) });
      assert.deepEqual([first.total, first.done, first.labelled, first.failed, first.truncated, first.maxTokens], [18, 18, 6, 0, 12, 20]);
      assert.deepEqual(first.models.map((m) => [m.model, m.truncated, m.labelled]), [['good-r', 6, 0], ['half-r', 6, 0], ['mute-r', 0, 6]]);
      assert.equal(progress.at(-1)?.truncated, 12);
      assert.deepEqual(labels(bank, 'good-r'), Array(6).fill(undefined));
      assert.equal(existsSync(path.join(bank.dir, FAILURES_FILE)), false, 'a truncated reply is not a failure');

      // cut inside the answer (the reasoning fits): still not a label
      const inAnswer = await profileModels({ bank, gateway, sampling: { ...sampling, profileMaxTokens: 2 + 41 + 2 + 3 }, models: ['good-r'] });
      assert.deepEqual([inAnswer.total, inAnswer.truncated, inAnswer.labelled], [6, 6, 0]);

      const before = server.requests.length;
      const second = await profileModels({ bank, gateway, sampling: { ...sampling, profileMaxTokens: 200 }, models: ['good-r', 'half-r', 'mute-r'] });
      assert.deepEqual([second.total, second.labelled, second.truncated], [12, 12, 0]);
      assert.deepEqual([...new Set(server.requests.slice(before).map((r) => r.model))].sort(), ['good-r', 'half-r']);
      assert.ok(server.requests.slice(before).every((r) => r.body.max_tokens === 200));
      assert.deepEqual(labels(bank, 'half-r'), Array.from({ length: 6 }, (_, i) => expectedLabel('half-r', i)));
    } finally {
      for (const m of MODELS) server.script(m, { reply });
      await bank.close();
    }
  });

  it('a finish reason of length cuts the reply even when the server reports it on a complete-looking answer', async () => {
    const bank = await newBank(2);
    try {
      server.script('good-r', { reply, finishReason: 'length' });
      const summary = await profileModels({ bank, gateway, sampling, models: ['good-r'] });
      assert.deepEqual([summary.labelled, summary.truncated], [0, 2]);
    } finally {
      server.script('good-r', { reply });
      await bank.close();
    }
  });
});
