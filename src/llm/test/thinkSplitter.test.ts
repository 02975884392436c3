import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ThinkSplitter, type SplitEvent } from '../thinkSplitter';

/** Folds events the way ChatAccumulator does: a retract re-files the answer so far as reasoning. */
function fold(events: readonly SplitEvent[]): { text: string; reasoning: string } {
  const parts: { kind: 'text' | 'reasoning'; text: string }[] = [];
  for (const e of events) {
    if (e.kind === 'retract') parts.forEach((p) => (p.kind = 'reasoning'));
    else parts.push({ ...e });
  }
  const join = (k: 'text' | 'reasoning') => parts.filter((p) => p.kind === k).map((p) => p.text).join('');
  return { text: join('text'), reasoning: join('reasoning') };
}

describe('ThinkSplitter', () => {
  const run = (chunks: string[]) => {
    const t = new ThinkSplitter();
    const out = chunks.flatMap((c) => t.push(c)).concat(t.flush());
    return { ...fold(out), out };
  };

  it('separates think blocks, also when tags are split across chunks', () => {
    const r = run(['Hi <th', 'ink>plan ', 'a</thi', 'nk>', 'Answer <', 'b>']);
    assert.equal(r.reasoning, 'plan a');
    assert.equal(r.text, 'Hi Answer <b>');
  });

  it('handles several blocks in one chunk and a tag split into single characters', () => {
    assert.deepEqual(run(['<think>x</think>A<think>y</think>B']), {
      text: 'AB',
      reasoning: 'xy',
      out: [
        { kind: 'reasoning', text: 'x' },
        { kind: 'text', text: 'A' },
        { kind: 'reasoning', text: 'y' },
        { kind: 'text', text: 'B' },
      ],
    });
    const r = run([...'<think>deep</think>ok']);
    assert.equal(r.reasoning, 'deep');
    assert.equal(r.text, 'ok');
  });

  it('releases a held-back partial tag at the end as text', () => {
    const r = run(['a <thi']);
    assert.equal(r.text, 'a <thi');
    assert.equal(r.reasoning, '');
  });

  it('a lone </think> (template-prefilled <think>) streams the text before it, then retracts it as reasoning', () => {
    const r = run(['Okay, the user ', 'asks for 2+2. ', 'Four.\n</th', 'ink>\n\n', 'The answer is 4.']);
    assert.equal(r.text, 'The answer is 4.');
    assert.equal(r.reasoning, 'Okay, the user asks for 2+2. Four.\n');
    assert.deepEqual(r.out.slice(0, 3), [
      { kind: 'text', text: 'Okay, the user ' },
      { kind: 'text', text: 'asks for 2+2. ' },
      { kind: 'text', text: 'Four.\n' },
    ]);
    assert.deepEqual(r.out[3], { kind: 'retract' });
    assert.deepEqual(r.out.slice(4), [{ kind: 'text', text: 'The answer is 4.' }], 'the separator after the tag is not answer text');
  });

  it('drops whitespace before a leading <think> and between reasoning and the answer', () => {
    const r = run(['\n\n', '  <think>\nplan\n</think>', '\n\n', 'Answer: B\n']);
    assert.equal(r.text, 'Answer: B\n');
    assert.equal(r.reasoning.trim(), 'plan');
  });

  it('keeps leading whitespace of a reply without reasoning', () => {
    const r = run(['\n', '    indented code']);
    assert.equal(r.text, '\n    indented code');
    assert.equal(r.out.some((e) => e.kind === 'retract'), false);
  });

  it('after a reasoning field, leading whitespace of the content is a separator', () => {
    const t = new ThinkSplitter();
    assert.deepEqual(t.push('\n'), [{ kind: 'text', text: '\n' }]);
    assert.deepEqual(t.markReasoning(), [{ kind: 'retract' }], 'whitespace already answered is retracted');
    assert.deepEqual([...t.push('\n\n'), ...t.push('Answer: 4')], [{ kind: 'text', text: 'Answer: 4' }]);
    assert.deepEqual(t.markReasoning(), [], 'an answer already begun is not retracted by a late reasoning field');
  });

  it('a reply cut inside a <think> block has only reasoning', () => {
    const r = run(['<think>step one, ', 'step two</th']);
    assert.equal(r.text, '');
    assert.equal(r.reasoning, 'step one, step two</th');
  });

  it('gives the same answer and reasoning however the stream is cut into chunks, stray < included', () => {
    const texts = ['a<b <<think>x<y</think>z', '</<think>p</think><</think>q', 'x <thin<think>y</thi</think>z <', '<th<</think>'];
    for (const text of texts) {
      const whole = fold(run([text]).out);
      assert.deepEqual(fold(run([...text]).out), whole, `${text} in single characters`);
      for (let cut = 1; cut < text.length; cut++) assert.deepEqual(fold(run([text.slice(0, cut), text.slice(cut)]).out), whole, `${text} cut at ${cut}`);
    }
    assert.deepEqual(fold(run(['a<b <<think>x<y</think>z']).out), { text: 'a<b <z', reasoning: 'x<y' });
  });

  it('text before a second, lone </think> becomes reasoning too; the answer is what follows the last one', () => {
    const r = run(['<think>a</think>draft</think>final']);
    assert.equal(r.text, 'final');
    assert.equal(r.reasoning, 'adraft');
  });
});
