import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TextDelta } from '../../core/types';
import { ThinkSplitter } from '../thinkSplitter';


describe('ThinkSplitter', () => {
  const run = (chunks: string[]) => {
    const t = new ThinkSplitter();
    const out: TextDelta[] = chunks.flatMap((c) => t.push(c)).concat(t.flush());
    const join = (k: TextDelta['kind']) => out.filter((d) => d.kind === k).map((d) => d.text).join('');
    return { text: join('text'), reasoning: join('reasoning'), out };
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
});
