import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { WorkspaceRequest } from '../../../engine/types';
import { CurrentFileProvider } from '../currentFileProvider';
import { QuestionContext } from '../questionContext';
import { SelectionProvider } from '../selectionProvider';
import { editor, workbench } from './fakeWorkbench';

/** An index that hands out requests and counts the builds it was asked to start. */
function index() {
  const asked: WorkspaceRequest['retrieval'][] = [];
  let started = 0;
  return {
    asked,
    started: () => started,
    request: (retrieval: WorkspaceRequest['retrieval']): WorkspaceRequest => (asked.push(retrieval), { root: '/ws', retrieval }),
    start: () => void started++,
  };
}

const parser = 'def parse_row(line):\n    cells = split_cells(line)\n    return cells\n';

function context(state: Parameters<typeof workbench>[0]) {
  const bench = workbench(state);
  const indexer = index();
  return { questions: new QuestionContext(bench, [new SelectionProvider(bench), new CurrentFileProvider(bench)], indexer), indexer };
}

test('every provider gives its items in order; a general question searches nothing', async () => {
  const { questions, indexer } = context({ editor: editor('csv/parse.py', parser, { selected: [[{ line: 0, character: 4 }, { line: 0, character: 13 }]] }) });
  const gathered = await questions.gather('what is a good name for this?');
  assert.deepEqual(gathered.attachments.map((a) => a.source), ['selection', 'currentFile']);
  assert.equal(gathered.workspace, undefined);
  assert.deepEqual(indexer.asked, []);
});

test('#codebase searches whatever the question says, and starts the index', async () => {
  const { questions, indexer } = context({});
  const gathered = await questions.gather('how are rows read? #codebase');
  assert.deepEqual(gathered.workspace, { root: '/ws', retrieval: 'always' });
  assert.equal(indexer.started(), 1);
});

test('what a selection calls and nothing attached defines is looked up by name, whatever the question says', async () => {
  const { questions } = context({ currentFile: false });
  const gathered = await questions.gather('why is this slow?', { selectionGiven: 'cells = split_cells(line)' });
  assert.deepEqual(gathered.workspace?.definitions, ['split_cells']);
});

test('an untrusted workspace is not searched, and #codebase says why', async () => {
  const { questions, indexer } = context({ trusted: false, editor: editor('csv/parse.py', parser) });
  const gathered = await questions.gather('how are rows read? #codebase');
  assert.equal(gathered.workspace, undefined);
  assert.deepEqual(gathered.attachments, [], 'not even the current file: only what the user attached');
  assert.deepEqual(gathered.notes, ['#codebase: this workspace is not trusted, so its files are not searched']);
  assert.deepEqual(indexer.asked, []);
});

test('from the command palette the current file goes only with a question about it', async () => {
  const { questions } = context({ editor: editor('csv/parse.py', parser) });
  const general = await questions.gather('what is the capital of France?', { currentFileIfAsked: true });
  assert.deepEqual(general.attachments, []);
  const about = await questions.gather('why does this function drop empty cells?', { currentFileIfAsked: true });
  assert.deepEqual(about.attachments.map((a) => a.path), ['csv/parse.py']);
  const dropped = await questions.gather('why does this function drop empty cells?', { withoutCurrentFile: true });
  assert.deepEqual(dropped.attachments, []);
});
