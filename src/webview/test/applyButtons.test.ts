import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createRun, type RunState } from '../../presentation/runState';
import type { MarkdownRenderer } from '../markdown';
import { byTestId, installPanelDom } from '../../../test/fixtures/panelDom';
import { RunView } from '../runView';

let render: MarkdownRenderer;

before(() => {
  render = installPanelDom();
});

const CODE = 'Here it is:\n\n```ts\nexport function parseScores(s: string): number[] {\n  return s.split(",").map(Number);\n}\n```\n';

function doneRun(origin?: RunState['origin']): RunState {
  return {
    ...createRun('run-1', 'Write parseScores', 1000),
    ...(origin ? { origin } : {}),
    status: 'done',
    finishedAt: 5000,
    referencers: [{ model: 'm', status: 'done', text: CODE, reasoning: '' }],
    candidates: [
      { index: 0, subset: ['m'], status: 'done', text: CODE },
      { index: 1, subset: ['m'], status: 'done', text: CODE },
    ],
    winner: 0,
    answer: { reply: { kind: 'candidate', index: 0 }, because: 'score' },
  };
}

test('each code block of the answer, and only of the answer, gets "Apply to <file>" for the file the question was asked from', () => {
  const view = new RunView(doneRun({ uri: 'file:///w/src/parse.ts', name: 'parse.ts', cursor: 0 }), render);
  const apply = byTestId(view.root, 'code-apply');
  assert.equal(apply.length, 1, 'the candidates’ replies and the references have none');
  assert.equal(apply[0]?.textContent, 'Apply to parse.ts');
  assert.equal(apply[0]?.getAttribute('data-action'), 'code-apply');
  assert.equal(apply[0]?.getAttribute('data-run-id'), 'run-1');
  assert.ok(apply[0]?.closest('[data-testid="answer"]'));
});

test('a question asked from no file offers to apply to the editor open when clicked; updating the run adds no second button', () => {
  const run = doneRun();
  const view = new RunView(run, render);
  view.update(run, 6000);
  const apply = byTestId(view.root, 'code-apply');
  assert.equal(apply.length, 1);
  assert.equal(apply[0]?.textContent, 'Apply to editor');
});

test('a block fenced in another language than the file the question was asked from gets no Apply; one without a fence language does', () => {
  const answer = `${CODE}\nOr in Python:\n\n\`\`\`python\ndef parse_scores(s):\n    return [int(x) for x in s.split(",")]\n\`\`\`\n\nOr as plain text:\n\n\`\`\`\n1,2,3\n\`\`\`\n`;
  const asked = doneRun({ uri: 'file:///w/src/parse.ts', name: 'parse.ts', languageId: 'typescript', cursor: 0 });
  const run: RunState = { ...asked, candidates: asked.candidates.map((c) => (c.index === 0 ? { ...c, text: answer } : c)) };
  const view = new RunView(run, render);
  const blocks = view.root.querySelectorAll('[data-testid="answer"] [data-testid="code-block"]');
  assert.deepEqual(
    [...blocks].map((b) => [b.getAttribute('data-lang'), b.querySelector('[data-testid="code-apply"]')?.textContent ?? null]),
    [['ts', 'Apply to parse.ts'], ['python', null], ['', 'Apply to parse.ts']],
  );
  assert.equal(new RunView({ ...run, origin: { uri: 'file:///w/app.py', name: 'app.py', languageId: 'python', cursor: 0 } }, render).root.querySelectorAll('[data-testid="code-apply"]').length, 2, 'from a .py file: the Python block and the plain one');
});
