/**
 * `smcs profile` against reasoning models: the labels equal those from the same replies without reasoning, sampling
 * follows the config, replies cut at the token limit are reported and retried, and a run that stores nothing exits 1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LocalBank } from '../../../bank';
import { recordedEmbedder } from '../bank';
import { startLoopbackUpstream, type LoopbackUpstream, type ModelBehaviour, type RecordedRequest } from '../../../../test/fixtures/loopbackUpstream';
import { tempDir, toJsonl } from '../../../../test/fixtures/bankData';
import { runCliHere } from '../../../../test/fixtures/cliRun';
import { expectedLabel, profileQuestions, questionNumber, replyFor, scriptedReply } from '../../../../test/fixtures/profileData';

/** Each model reasons in one form; `mute-*` models never state an answer (reasoning that leaked into grading would show). */
const FORMS: Record<string, ModelBehaviour> = {
  'good-think': { inlineReasoning: 'think' },
  'half-prefilled': { inlineReasoning: 'prefilled' },
  'bad-content': { reasoningField: 'reasoning_content' },
  'half-or': { reasoningField: 'reasoning' },
  'mute-think': { inlineReasoning: 'think' },
  'mute-prefilled': { inlineReasoning: 'prefilled' },
  'mute-content': { reasoningField: 'reasoning_content' },
  'mute-or': { reasoningField: 'reasoning' },
};
const MODELS = Object.keys(FORMS);
const QUESTIONS = 10;

const reply = (req: RecordedRequest) => (req.model?.startsWith('mute') ? 'I would rather not commit to one.' : scriptedReply(req));
/** Reasoning that states the other answer first (the opposite of the reply's, and the right one for mute models). */
const reasoning = (req: RecordedRequest) => {
  const i = questionNumber(req);
  const final = reply(req);
  return `Scratch work: ${replyFor(i, final !== replyFor(i, true))}\nChecking once more before the final reply.`;
};

const { dir: root, cleanup } = tempDir('smcs-profile-cli-reasoning-');
const env = { SMCS_HOME: path.join(root, 'home') };
let plain: LoopbackUpstream;
let reasoned: LoopbackUpstream;
before(async () => {
  plain = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })), defaults: { reply } });
  reasoned = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })), defaults: { reply } });
  for (const [model, form] of Object.entries(FORMS)) reasoned.script(model, { reply, reasoning, ...form });
});
after(async () => {
  await Promise.all([plain.close(), reasoned.close()]);
  cleanup();
});

let n = 0;
/** A config for `server` (with `extra` config keys) and its own bank of profile questions. */
async function setup(server: LoopbackUpstream, models: readonly string[], extra: Record<string, unknown> = {}): Promise<{ config: string; bank: string }> {
  const bank = path.join(root, `bank-${n}`);
  const config = path.join(root, `config-${n++}.json`);
  writeFileSync(config, JSON.stringify({ endpoints: [{ id: 'local', provider: 'vllm', baseUrl: server.baseUrl, models, maxConcurrency: 8 }], embedding: { provider: 'lexical' }, bank, ...extra }));
  const jsonl = path.join(root, `questions-${n}.jsonl`);
  writeFileSync(jsonl, toJsonl(profileQuestions(QUESTIONS)));
  const imported = await runCliHere(['bank', 'import', '--config', config, jsonl], env);
  assert.equal(imported.code, 0, imported.stderr);
  return { config, bank };
}

/** Every stored label as `model|id` → 0 or 1. */
async function storedLabels(dir: string): Promise<Record<string, 0 | 1>> {
  const bank = await LocalBank.open(dir, { embedder: await recordedEmbedder(dir) });
  try {
    return Object.fromEntries([...bank.records()].flatMap((r) => Object.entries(r.correct ?? {}).map(([m, v]) => [`${m}|${r.id}`, v] as const)));
  } finally {
    await bank.close();
  }
}

const chats = (server: LoopbackUpstream, since = 0) => server.requests.slice(since).filter((r) => r.path === '/v1/chat/completions');

describe('smcs profile with reasoning models', () => {
  it('stores exactly the labels it stores when the same replies come without reasoning', async () => {
    const withoutReasoning = await setup(plain, MODELS);
    const withReasoning = await setup(reasoned, MODELS);
    const a = await runCliHere(['profile', '--config', withoutReasoning.config, '--yes', '--json'], env);
    const b = await runCliHere(['profile', '--config', withReasoning.config, '--yes', '--json'], env);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const expected = await storedLabels(withoutReasoning.bank);
    assert.equal(Object.keys(expected).length, MODELS.length * QUESTIONS);
    assert.deepEqual(await storedLabels(withReasoning.bank), expected);
    for (let i = 0; i < QUESTIONS; i++) {
      for (const m of MODELS) assert.equal(expected[`${m}|p-${i}`], m.startsWith('mute') ? 0 : expectedLabel(m, i), `${m} on p-${i}`);
    }
    assert.ok(chats(reasoned).some((r) => r.model === 'half-prefilled'));
    const run = JSON.parse(b.stdout).run;
    assert.deepEqual([run.labelled, run.failed, run.truncated], [MODELS.length * QUESTIONS, 0, 0]);
  });

  it('samples with the config temperature and presence penalty within profileMaxTokens, or --max-tokens', async () => {
    const extra = { temperature: 0.4, presencePenalty: 0.2, profileMaxTokens: 777 };
    const first = await setup(plain, ['good-think'], extra);
    const since = plain.requests.length;
    assert.equal((await runCliHere(['profile', '--config', first.config, '--yes', '--limit', '2'], env)).code, 0);
    const second = await setup(plain, ['good-think'], extra);
    const mid = plain.requests.length;
    assert.equal((await runCliHere(['profile', '--config', second.config, '--yes', '--limit', '2', '--max-tokens', '900'], env)).code, 0);
    const sampling = (r: RecordedRequest) => [r.body.temperature, r.body.presence_penalty, r.body.max_tokens];
    assert.deepEqual(chats(plain, since).slice(0, 2).map(sampling), [[0.4, 0.2, 777], [0.4, 0.2, 777]]);
    assert.deepEqual(chats(plain, mid).map(sampling), [[0.4, 0.2, 900], [0.4, 0.2, 900]]);
  });

  it('reports replies cut at the token limit, stores no label for them, and a bigger --max-tokens labels them', async () => {
    const long = `${'step '.repeat(40)}done`;
    reasoned.script('good-think', { reply, reasoning: long, inlineReasoning: 'think', enforceMaxTokens: true });
    try {
      const { config, bank } = await setup(reasoned, ['good-think', 'bad-content']);
      const text = await runCliHere(['profile', '--config', config, '--yes', '--limit', '4', '--max-tokens', '30'], env);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /done: 4 labels stored, 0 failed, 4 cut at the token limit/);
      assert.match(text.stdout, /good-think: .*this run 0 labelled, 0 unparseable, 4 cut at the token limit, 0 failed/);
      assert.match(text.stdout, /4 replies were cut at the token limit \(30 tokens\) and stay unlabelled; raise --max-tokens \(or profileMaxTokens in the config\) and run again/);
      assert.deepEqual(Object.keys(await storedLabels(bank)).filter((k) => k.startsWith('good-think')), []);

      const json = await runCliHere(['profile', '--config', config, '--yes', '--json', '--max-tokens', '30'], env);
      assert.equal(json.code, 0, json.stderr);
      const doc = JSON.parse(json.stdout);
      assert.deepEqual([doc.run.total, doc.run.truncated, doc.run.maxTokens], [QUESTIONS + (QUESTIONS - 4), QUESTIONS, 30]);
      assert.equal(doc.run.models.find((m: { model: string }) => m.model === 'good-think').truncated, QUESTIONS);
      assert.match(json.stderr, /10 replies were cut at the token limit \(30 tokens\)/);

      const bigger = await runCliHere(['profile', '--config', config, '--yes', '--json', '--max-tokens', '200'], env);
      assert.equal(bigger.code, 0, bigger.stderr);
      assert.deepEqual([JSON.parse(bigger.stdout).run.labelled, JSON.parse(bigger.stdout).run.truncated], [QUESTIONS, 0]);
      const labels = await storedLabels(bank);
      for (let i = 0; i < QUESTIONS; i++) assert.equal(labels[`good-think|p-${i}`], 1);
    } finally {
      reasoned.script('good-think', { reply, reasoning, ...FORMS['good-think'] });
    }
  });

  it('exits 1 with the cause on stderr when requests were made and no label could be stored', async () => {
    plain.script('bad-content', { fail: { status: 400, message: 'model bad-content is not loaded' } });
    try {
      const { config } = await setup(plain, ['bad-content']);
      const failed = await runCliHere(['profile', '--config', config, '--yes', '--json', '--limit', '3'], env);
      assert.equal(failed.code, 1);
      assert.deepEqual([JSON.parse(failed.stdout).run.failed, JSON.parse(failed.stdout).run.labelled], [3, 0]);
      assert.match(failed.stderr, /no label could be stored: every request failed \(last error: .*not loaded/);
    } finally {
      plain.script('bad-content', { reply });
    }
    reasoned.script('good-think', { reply, reasoning: `${'step '.repeat(40)}done`, inlineReasoning: 'think', enforceMaxTokens: true });
    try {
      const { config } = await setup(reasoned, ['good-think']);
      const cut = await runCliHere(['profile', '--config', config, '--yes', '--limit', '2', '--max-tokens', '10'], env);
      assert.equal(cut.code, 1);
      assert.match(cut.stderr, /no label could be stored: 2 replies were cut at the token limit \(10 tokens\)/);
    } finally {
      reasoned.script('good-think', { reply, reasoning, ...FORMS['good-think'] });
    }
  });
});
