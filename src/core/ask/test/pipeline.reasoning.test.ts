/**
 * Reasoning models end to end (real openai SDK → loopback server, real engine, lexical embedder): referencers and the
 * aggregator reply with reasoning in every form a server sends it (vLLM's `reasoning_content`, OpenRouter's
 * `reasoning`, inline `<think>…</think>`, and a lone `</think>` after a template-prefilled `<think>`). No aggregation
 * request carries reasoning, candidates are scored on their answers alone, and the result's texts hold no reasoning.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loopbackLogprob, loopbackTokens } from '../../../bench/benchUpstream';
import { startLoopbackUpstream, type LoopbackUpstream, type ModelBehaviour, type RecordedRequest } from '../../../../test/fixtures/loopbackUpstream';
import { collect, startEngine } from '../../../../test/fixtures/askHarness';
import { tempDir } from '../../../../test/fixtures/bankData';
import { LexicalEmbedder } from '../../../embed/lexical';
import { at } from '../../util/arrays';
import { hybridScores } from '../../posterior/hybridScore';
import type { AskResult, PipelineEvent } from '../../contracts/events';
import { answerText } from '../../contracts/answer';

type Form = 'reasoning_content' | 'reasoning' | 'think' | 'prefilled';
const FORMS: readonly Form[] = ['reasoning_content', 'reasoning', 'think', 'prefilled'];
const REFERENCERS = FORMS.map((f) => `ref-${f}`);
const QUESTION = 'In Python, how do I sort a list of dicts by a key?';

/** Every reasoning text carries this marker (and a misleading answer), so a leak anywhere is visible. */
const MARK = 'REASONINGMARK';
const reasoningOf = (model: string) => `${MARK} ${model} weighs options: the answer is (A), maybe use a bubble sort by hand.`;
const answerOf = (model: string) => `Answer from ${model}: use sorted(items, key=lambda d: d["k"]).`;

/** The behaviour that sends `reasoning` in `form`. */
function withReasoning(form: Form, reasoning: string): ModelBehaviour {
  if (form === 'think' || form === 'prefilled') return { reasoning, inlineReasoning: form };
  return { reasoning, reasoningField: form };
}

/** Content tokens the loopback server sends before the answer in `form` (inline reasoning, its tags and separator). */
function tokensBeforeAnswer(form: Form, reasoning: string): number {
  const n = loopbackTokens(reasoning).length;
  return form === 'think' ? 2 + n + 2 : form === 'prefilled' ? n + 2 : 0;
}

/** The aggregator's answer: which references it was given, in order (so subsets show in the candidates). */
function aggregatorAnswer(req: RecordedRequest): string {
  const system = (req.body.messages as Array<{ content: string }>)[0]?.content ?? '';
  const got = [...system.matchAll(/^\d+\. Answer from ([\w-]+)/gm)].map((m) => m[1]);
  return `Synthesis of ${got.join(' then ')}: sorted(items, key=lambda d: d["k"]) is the idiomatic way.`;
}
const AGG_REASONING = `${MARK} aggregator compares the references and doubts them all.`;

let server: LoopbackUpstream;
const temp = tempDir('smcs-pipeline-reasoning-');

before(async () => {
  server = await startLoopbackUpstream({ models: [...REFERENCERS, 'agg'].map((id) => ({ id })) });
});
after(async () => {
  await server.close();
  temp.cleanup();
});

const aggregations = (since: number): RecordedRequest[] => server.requests.slice(since).filter((r) => r.path.endsWith('/chat/completions') && r.model === 'agg');

async function ask(overrides: Record<string, unknown> = {}): Promise<{ events: PipelineEvent[]; result: AskResult; since: number }> {
  const since = server.requests.length;
  const engine = await startEngine(
    { baseUrl: server.baseUrl, models: [...REFERENCERS, 'agg'], overrides: { k: 4, kDrop: 1, n: 3, aggregator: 'agg', maxTokens: 512, ...overrides } },
    temp.dir,
  );
  try {
    const events = await collect(engine.ask(QUESTION, { signal: new AbortController().signal }));
    const end = events.at(-1);
    if (end?.type !== 'done') return assert.fail(`expected done, got ${JSON.stringify(end)}`);
    return { events, result: end.result, since };
  } finally {
    await engine.dispose();
  }
}

function scriptReferencers(): void {
  for (const [i, form] of FORMS.entries()) {
    const model = at(REFERENCERS, i);
    server.script(model, { reply: answerOf(model), ...withReasoning(form, reasoningOf(model)) });
  }
}

describe('reasoning models through the whole ask', () => {
  for (const aggForm of FORMS) {
    it(`referencers in every form, aggregator in ${aggForm}: no reasoning is aggregated, scored or answered`, async () => {
      scriptReferencers();
      server.script('agg', { reply: aggregatorAnswer, ...withReasoning(aggForm, AGG_REASONING) });
      const { events, result, since } = await ask();

      const sent = aggregations(since);
      assert.equal(sent.length, result.candidates.length, 'one aggregation per distinct subset');
      for (const req of sent) {
        const body = JSON.stringify(req.body);
        assert.ok(!body.includes(MARK) && !body.includes('bubble sort') && !body.includes('<think>') && !body.includes('</think>'), `reasoning in an aggregation request: ${body}`);
        assert.match(body, /Answer from ref-/);
      }

      for (const ref of result.referencers) {
        assert.equal(ref.ok, true, ref.error);
        assert.equal(ref.text, answerOf(ref.model));
        assert.equal(ref.reasoning, reasoningOf(ref.model));
      }
      for (const c of result.candidates) {
        assert.equal(c.ok, true, c.error);
        assert.ok(!c.text.includes(MARK) && !c.text.includes('think>'), c.text);
        assert.match(c.text, /^Synthesis of ref-[\w-]+ then ref-[\w-]+ then ref-[\w-]+: /);
        assert.equal(c.reasoning, AGG_REASONING);
      }
      assert.ok(!answerText(result).includes(MARK));
      const done = events.filter((e) => e.type === 'referencer-done');
      assert.ok(done.every((e) => e.type === 'referencer-done' && !e.reference.text.includes(MARK)));

      // Scoring: embeddings of the answers only, and the perplexity of the answer tokens only.
      const texts = result.candidates.map((c) => c.text);
      const offset = tokensBeforeAnswer(aggForm, AGG_REASONING);
      const logprobs = texts.map((t) => loopbackTokens(t).map((tok, i) => loopbackLogprob(tok, offset + i)));
      const expected = hybridScores(await new LexicalEmbedder().embed(texts), logprobs, 1, result.candidates.map((c) => c.draws));
      assert.equal(result.logprobsUsed, true);
      result.candidates.forEach((c, i) => {
        assert.ok(Math.abs((c.perplexity ?? NaN) - (expected.perplexity[i] ?? NaN)) < 1e-12, `perplexity of candidate ${i}`);
        assert.ok(Math.abs(c.similarity - at(expected.similarity, i)) < 1e-9);
        assert.ok(Math.abs(c.total - at(expected.total, i)) < 1e-9);
      });
      assert.equal(result.winner, expected.winner);
    });
  }

  it('candidates score the same as when the same replies come without reasoning (reasoning in fields)', async () => {
    scriptReferencers();
    server.script('agg', { reply: aggregatorAnswer, reasoning: AGG_REASONING });
    const reasoned = (await ask()).result;
    for (const model of REFERENCERS) server.script(model, { reply: answerOf(model) });
    server.script('agg', { reply: aggregatorAnswer });
    const plain = (await ask()).result;
    const view = (r: AskResult) => r.candidates.map((c) => ({ text: c.text, similarity: c.similarity, perplexity: c.perplexity, total: c.total }));
    assert.deepEqual(view(reasoned), view(plain));
    assert.deepEqual(reasoned.referencers.map((r) => r.text), plain.referencers.map((r) => r.text));
    assert.equal(reasoned.winner, plain.winner);
  });

  it('a referencer that only reasons, or is cut at the token limit while reasoning, fails clearly and the rest go on', async () => {
    scriptReferencers();
    server.script('ref-reasoning', { reasoning: reasoningOf('ref-reasoning'), reasoningField: 'reasoning', chunks: ['\n\n'] });
    server.script('ref-think', { reply: answerOf('ref-think'), reasoning: `${reasoningOf('ref-think')} ${'step '.repeat(80)}`, inlineReasoning: 'think', enforceMaxTokens: true });
    server.script('agg', { reply: aggregatorAnswer });
    const { events, result, since } = await ask({ maxTokens: 60 });

    const empty = result.referencers.find((r) => r.model === 'ref-reasoning');
    assert.equal(empty?.ok, false);
    assert.equal(empty?.errorKind, 'protocol');
    assert.match(empty?.error ?? '', /model ref-reasoning: the reply has reasoning but no answer/);
    assert.ok(events.some((e) => e.type === 'referencer-failed' && e.model === 'ref-reasoning' && e.kind === 'protocol'));
    const cut = result.referencers.find((r) => r.model === 'ref-think');
    assert.equal(cut?.ok, false);
    assert.equal(cut?.errorKind, 'protocol');
    assert.match(cut?.error ?? '', /model ref-think: the reply was cut at the token limit \(max_tokens 60\) while still reasoning/);

    // Their tokens were generated, so their calls are counted.
    const counted = result.calls.filter((c) => c.stage === 'referencer').map((c) => c.model).sort();
    assert.deepEqual(counted, ['ref-prefilled', 'ref-reasoning', 'ref-reasoning_content', 'ref-think']);
    assert.ok((result.calls.find((c) => c.model === 'ref-think')?.tokens.completion ?? 0) >= 60);

    const subsets = (events.find((e) => e.type === 'subsets') as Extract<PipelineEvent, { type: 'subsets' }>).subsets;
    assert.deepEqual([...new Set(subsets.flat())].sort(), ['ref-prefilled', 'ref-reasoning_content']);
    for (const req of aggregations(since)) assert.ok(!JSON.stringify(req.body).includes(MARK));
  });
});
