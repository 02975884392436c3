import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun, type RunState } from '../../presentation/runState';
import type { MarkdownRenderer } from '../markdown';
import { installPanelDom } from '../../../test/fixtures/panelDom';
import { RunView } from '../runView';
import { runNotes } from '../runNotes';

const L8 = 'meta-llama/Meta-Llama-3.1-8B-Instruct';
const L405 = 'meta-llama/Meta-Llama-3.1-405B-Instruct';
const QWEN = 'qwen/qwen-2.5-coder-32b-instruct';

let render: MarkdownRenderer;

before(() => {
  render = installPanelDom();
});

function turn(conversation: RunState['conversation'], cappedOutput: RunState['cappedOutput']): RunState {
  return {
    ...createRun('run-3', 'and in Rust?', 1000, 'thread-1'),
    status: 'done',
    referencers: [L405, L8, QWEN].map((model) => ({ model, status: 'done' as const, text: 'ok', reasoning: '' })),
    aggregator: L405,
    conversation,
    cappedOutput,
  };
}

test('a model that did not get the oldest turns is named with how many, once for both roles when they agree', () => {
  const notes = runNotes(turn({ turns: 2, dropped: [{ stage: 'referencer', model: L8, turns: 1 }, { stage: 'referencer', model: QWEN, turns: 2 }] }, []));
  assert.deepEqual(notes, [
    { kind: 'dropped', text: 'Meta-Llama-3.1-8B-Instruct did not get the oldest turn: its context window is too small.' },
    { kind: 'dropped', text: 'qwen-2.5-coder-32b-instruct did not get any of the 2 earlier turns: its context window is too small.' },
  ]);
  const both = runNotes(turn({ turns: 4, dropped: [{ stage: 'referencer', model: L405, turns: 2 }, { stage: 'aggregation', model: L405, turns: 3 }] }, []));
  assert.deepEqual(both.map((n) => n.text), [
    'Meta-Llama-3.1-405B-Instruct as a referencer did not get the 2 oldest turns: its context window is too small.',
    'Meta-Llama-3.1-405B-Instruct as the aggregator did not get the 3 oldest turns: its context window is too small.',
  ]);
});

test('a lower output limit names the model and the limit (the lowest of its calls)', () => {
  const notes = runNotes(turn({ turns: 0, dropped: [] }, [{ stage: 'referencer', model: L8, maxTokens: 1500 }, { stage: 'aggregation', model: L8, maxTokens: 1200 }]));
  assert.deepEqual(notes, [{ kind: 'capped', text: 'Output limited to 1,200 tokens for Meta-Llama-3.1-8B-Instruct: its context window leaves no more room.' }]);
});

test('the run view shows the notes of a turn, and none when every model took the whole conversation', () => {
  const view = new RunView(turn({ turns: 2, dropped: [{ stage: 'referencer', model: L8, turns: 2 }] }, [{ stage: 'referencer', model: L8, maxTokens: 300 }]), render);
  const list = view.root.querySelector<HTMLElement>('[data-testid="run-notes"]')!;
  assert.equal(list.hidden, false);
  assert.deepEqual([...list.querySelectorAll<HTMLElement>('[data-testid="run-note"]')].map((n) => n.dataset.kind), ['dropped', 'capped']);
  view.update(turn({ turns: 2, dropped: [] }, []), Date.now());
  assert.equal(list.hidden, true);
  assert.equal(list.children.length, 0);
});
