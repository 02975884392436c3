import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LocalBank, exportBankJsonl } from '../..';
import { RecordMerger } from '../../transfer/importers/common';
import { parseMmluProFile } from '../../transfer/importers/mmluPro';
import { parseLmEvalSamples } from '../../transfer/importers/lmEval';
import { estimateMessageTokens, estimateTokens } from '../../../core/util/tokens';
import { makeQuestions, tempDir } from '../../../../test/fixtures/bankData';

const embedder = { id: 'test:seeded-8', dimension: 8 };
const { dir: root, cleanup } = tempDir();
after(cleanup);
let n = 0;
const freshDir = () => path.join(root, `bank-${n++}`);
const query = Float32Array.from([1, 0, 0, 0, 0, 0, 0, 0]);

describe('reply tokens beside the labels (local store)', () => {
  it('keeps the tokens of each label\'s reply through commit, reopen, the support set, lookup and export', async () => {
    const dir = freshDir();
    const [a, b, c] = makeQuestions(3, 8, 1);
    assert.ok(a && b && c);
    const bank = await LocalBank.open(dir, { embedder, create: true, write: true });
    await bank.add([
      { ...a, correct: { m1: 1, m2: 0 }, tokens: { m1: { prompt: 120, completion: 340 }, m2: { prompt: 118, completion: 90, estimated: true } } },
      { ...b, correct: { m1: 0 } },
      { ...c, correct: { m2: 1 }, tokens: { m2: { prompt: 50, completion: 60 } } },
    ]);
    await bank.close();

    const reopened = await LocalBank.open(dir, { embedder, write: true });
    assert.deepEqual(reopened.get(a.id)?.tokens, { m1: { prompt: 120, completion: 340 }, m2: { prompt: 118, completion: 90, estimated: true } });
    assert.equal(reopened.get(b.id)?.tokens, undefined);
    const support = await reopened.supportSet(query, { nBase: 400, gamma: 0.95, models: ['m1', 'm2', 'm3'] });
    const at = (id: string) => support.ids.indexOf(id);
    const m1 = support.columns.get('m1')?.tokens;
    assert.ok(m1, 'm1 has a token column');
    assert.deepEqual([m1.prompt[at(a.id)], m1.completion[at(a.id)]], [120, 340]);
    assert.ok(Number.isNaN(m1.prompt[at(b.id)] ?? 0), 'no tokens where the reply had none');
    assert.equal(support.columns.get('m2')?.tokens?.completion[at(c.id)], 60);

    const file = path.join(root, `export-${n}.jsonl`);
    await exportBankJsonl(reopened, file);
    const lines = (await fs.readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string; tokens?: unknown });
    assert.deepEqual(lines.find((l) => l.id === a.id)?.tokens, { m1: { prompt: 120, completion: 340 }, m2: { prompt: 118, completion: 90, estimated: true } });

    // A label set again with its reply's usage replaces the tokens; one set without them drops the old reply's.
    await reopened.commit({ labels: [{ id: a.id, model: 'm1', correct: 0, tokens: { prompt: 121, completion: 10 } }, { id: a.id, model: 'm2', correct: 1 }] });
    assert.deepEqual(reopened.get(a.id)?.tokens, { m1: { prompt: 121, completion: 10 } });
    // Removing a question keeps the others' tokens on their rows.
    await reopened.commit({ remove: [a.id] });
    assert.deepEqual(reopened.get(c.id)?.tokens, { m2: { prompt: 50, completion: 60 } });
    await reopened.close();
    assert.deepEqual((await LocalBank.open(dir, { embedder })).get(c.id)?.tokens, { m2: { prompt: 50, completion: 60 } });
  });

  it('reads a bank written before tokens were kept, and writes its labels file as before while none is recorded', async () => {
    const dir = freshDir();
    const bank = await LocalBank.open(dir, { embedder, create: true, write: true });
    await bank.add(makeQuestions(4, 8, 2, ['m1']));
    await bank.close();
    const labelsFile = (await fs.readdir(dir)).find((f) => /^labels\.g\d+\.json$/.test(f));
    assert.ok(labelsFile);
    const text = await fs.readFile(path.join(dir, labelsFile), 'utf8');
    assert.deepEqual(Object.keys(JSON.parse(text) as object), ['models', 'rows'], 'the old format: no tokens key');
    const old = await LocalBank.open(dir, { embedder });
    const support = await old.supportSet(query, { nBase: 400, gamma: 0.95, models: ['m1'] });
    assert.equal(support.columns.get('m1')?.tokens, undefined);
    assert.ok(support.columns.get('m1')?.correct);
    await old.close();
  });
});

describe('imports estimate reply tokens from the reply text, marked estimated', () => {
  it('MMLU-Pro: model_outputs or generated_text; no text, no tokens', () => {
    const merger = new RecordMerger();
    const rec = (extra: Record<string, unknown>) => ({ question_id: 7, question: 'What is 2 + 2?', options: ['3', '4'], answer: 'B', answer_index: 1, category: 'math', pred: 'B', ...extra });
    const reply = 'Two plus two is four. The answer is (B).';
    parseMmluProFile({ path: 'model_outputs_api-model_5shots.json', text: JSON.stringify([rec({ model_outputs: reply })]) }, merger);
    parseMmluProFile({ path: 'model_outputs_local-model_5shots.json', text: JSON.stringify([rec({ generated_text: `${reply} ${reply}` })]) }, merger);
    parseMmluProFile({ path: 'model_outputs_silent-model_5shots.json', text: JSON.stringify([rec({})]) }, merger);
    const [record] = merger.finish().records;
    const prompt = estimateMessageTokens('What is 2 + 2?\n\nA. 3\nB. 4');
    assert.deepEqual(record?.tokens, {
      'api-model': { prompt, completion: estimateTokens(reply), estimated: true },
      'local-model': { prompt, completion: estimateTokens(`${reply} ${reply}`), estimated: true },
    });
  });

  it('lm-eval: a generation task\'s resps and rendered prompt; a log-likelihood task has no reply to count', () => {
    const merger = new RecordMerger();
    const gen = { doc_id: 0, doc: { question: 'What is 6 times 7?' }, target: '42', arguments: { gen_args_0: { arg_0: 'Q: What is 6 times 7?\nA:', arg_1: {} } }, resps: [['6 times 7 is 42. #### 42']], filtered_resps: ['42'], filter: 'strict-match', metrics: ['exact_match'], exact_match: 1 };
    parseLmEvalSamples({ path: 'samples_gsm8k_2024-06-01T10-00-00.jsonl', text: JSON.stringify(gen) }, { model: 'gen-model' }, merger);
    const ll = { doc_id: 0, doc: { question: 'Pick one', choices: ['a', 'b'] }, target: 0, arguments: [['Pick one', ' a'], ['Pick one', ' b']], resps: [[['-1.2', 'True']], [['-3.4', 'False']]], filtered_resps: [['-1.2', 'True']], filter: 'none', metrics: ['acc'], acc: 1 };
    parseLmEvalSamples({ path: 'samples_mc_2024-06-01T10-00-00.jsonl', text: JSON.stringify(ll) }, { model: 'll-model' }, merger);
    const records = merger.finish().records;
    assert.deepEqual(records.find((r) => r.id === 'lm-eval-gsm8k-0')?.tokens, { 'gen-model': { prompt: estimateMessageTokens('Q: What is 6 times 7?\nA:'), completion: estimateTokens('6 times 7 is 42. #### 42'), estimated: true } });
    assert.equal(records.find((r) => r.id === 'lm-eval-mc-0')?.tokens, undefined);
  });
});
