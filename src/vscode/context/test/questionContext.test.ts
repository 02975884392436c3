import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { contextItem } from '../../../core/context/contextItem';
import { mayConcernAWorkspace } from '../../../core/retrieval/searchEvidence';
import type { WorkspaceRequest } from '../../../engine/types';
import { CurrentFileProvider } from '../currentFileProvider';
import { QuestionContext } from '../questionContext';
import { SelectionProvider } from '../selectionProvider';
import type { Position } from '../workbench';
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
  return { questions: new QuestionContext(bench, [new SelectionProvider(bench), new CurrentFileProvider(bench)], indexer, mayConcernAWorkspace), indexer };
}

test('every provider gives its items in order; the open file goes as editor state and the workspace request always goes: the engine decides', async () => {
  const { questions, indexer } = context({ editor: editor('csv/parse.py', parser, { selected: [[{ line: 0, character: 4 }, { line: 0, character: 13 }]] }) });
  const gathered = await questions.gather('what is a good name for this?');
  assert.deepEqual(gathered.attachments.map((a) => a.source), ['selection']);
  assert.deepEqual(gathered.editor, { openFile: { path: 'csv/parse.py', text: parser, cursorLine: 1, language: 'python' } });
  assert.deepEqual(gathered.workspace, { root: '/ws', retrieval: 'auto' });
  assert.deepEqual(indexer.asked, ['auto']);
  // The Router question of issue 42: no word-only check keeps the workspace request away any more.
  assert.deepEqual((await questions.gather('Why does the Router return 405 instead of 404?')).workspace, { root: '/ws', retrieval: 'auto' });
});

test('#codebase searches whatever the question says, and starts the index', async () => {
  const { questions, indexer } = context({});
  const gathered = await questions.gather('how are rows read? #codebase');
  assert.deepEqual(gathered.workspace, { root: '/ws', retrieval: 'always' });
  assert.equal(indexer.started(), 1);
});

test('a question being typed never starts the index (building it may ask to download the embedding model); warmIndex, once the model is loaded, does', async () => {
  const { questions, indexer } = context({});
  const typed = await questions.gather('how are rows read?', { estimating: true });
  assert.deepEqual(typed.workspace, { root: '/ws', retrieval: 'auto' }, 'the estimate still counts the workspace request');
  assert.equal(indexer.started(), 0);
  questions.warmIndex();
  assert.equal(indexer.started(), 1);
  await questions.gather('how are rows read?');
  assert.equal(indexer.started(), 2, 'a question sent starts it (the indexer itself builds once)');
});

test('a question the engine decides without the index never starts it: no "indexing the workspace" for "what is 2 + 2?" (issue 70 item 8)', async () => {
  const { questions, indexer } = context({});
  const gathered = await questions.gather('what is 2 + 2?');
  assert.deepEqual(gathered.workspace, { root: '/ws', retrieval: 'auto' }, 'the engine still gets the workspace request, and decides');
  assert.equal(indexer.started(), 0);
  await questions.gather('How do I read a CSV file with quoted commas in Python?');
  assert.equal(indexer.started(), 1, 'a question whose words could name something of a workspace needs the index to be decided');
});

test('a selection goes to the engine as an attachment with the workspace request; what it calls is the engine\'s to look up', async () => {
  const { questions } = context({ currentFile: false });
  const given = contextItem({ source: 'selection', path: 'csv/parse.py', startLine: 2, endLine: 2, text: 'cells = split_cells(line)', reason: 'selected' });
  const gathered = await questions.gather('why is this slow?', { selection: { items: [given], notes: [] } });
  assert.deepEqual(gathered.attachments.map((a) => [a.source, a.text]), [['selection', 'cells = split_cells(line)']]);
  assert.deepEqual(gathered.workspace, { root: '/ws', retrieval: 'auto' });
  const chip = await context({ currentFile: false, editor: editor('csv/parse.py', parser, { selected: [[{ line: 1, character: 4 }, { line: 1, character: 29 }]] }) }).questions.gather('why is this slow?');
  assert.deepEqual(chip.attachments.map((a) => a.source), ['selection'], 'the chip\'s selection alike');
});

const DATABASE_YML = 'production:\n  adapter: postgresql\n  username: shop\n  password: YmlDbPw9Kt4\n  host: db.internal\n';
const wholeLines = (from: number, to: number): [Position, Position][] => [[{ line: from, character: 0 }, { line: to, character: 0 }]];

test('the selection is one item whichever way it comes, screened as a text of its file, and kept apart for the run', async () => {
  const yaml = editor('config/database.yml', DATABASE_YML, { selected: wholeLines(0, 5), languageId: 'yaml' });
  const chip = await context({ editor: yaml, currentFile: false }).questions.gather('How does production connect?');
  assert.deepEqual(chip.attachments.map((a) => [a.source, a.path, a.startLine, a.endLine, a.reason, a.language]), [['selection', 'config/database.yml', 1, 5, 'selected', 'yaml']]);
  assert.ok(!chip.attachments[0]?.text.includes('YmlDbPw9Kt4'), 'the chip\'s selection goes redacted');
  assert.match(chip.attachments[0]?.text ?? '', /password: «redacted: password»\n {2}host: db\.internal/);
  assert.deepEqual(chip.selection, { items: chip.attachments, notes: ['config/database.yml line 4 (password) left out: redacted in place'] }, 'an unquoted YAML value is a secret because the file is configuration');
  assert.deepEqual(chip.notes, ['config/database.yml line 4 (password) left out: redacted in place']);
  // Ask About Selection reads the same selection the same way; given to the ask, the chip's provider stays out.
  const questions = context({ editor: yaml, currentFile: false }).questions;
  const given = questions.editorSelection();
  assert.deepEqual(given, chip.selection);
  const asked = await questions.gather('How does production connect?', { selection: given });
  assert.deepEqual(asked.attachments, chip.attachments, 'the selection once');
  assert.deepEqual(asked.notes, chip.notes, 'its note once');
});

test('a selection of credentials is left out and said; it still keeps the chip\'s provider away. Nothing selected: no selection', async () => {
  const env = editor('.env', 'DATABASE_URL=postgres://u:EnvPw4Kq9Zt@db/shop\nDEBUG=1\n', { selected: wholeLines(0, 2), languageId: 'dotenv' });
  const questions = context({ editor: env, currentFile: false }).questions;
  const given = questions.editorSelection();
  assert.deepEqual(given, { items: [], notes: ['.env left out: environment file'] });
  const asked = await questions.gather('What does this configure?', given ? { selection: given } : {});
  assert.deepEqual(asked.attachments, []);
  assert.deepEqual(asked.notes, ['.env left out: environment file']);
  assert.equal(context({ editor: editor('csv/parse.py', parser, { cursor: { line: 1, character: 3 } }) }).questions.editorSelection(), undefined);
  assert.equal(context({ editor: editor('csv/parse.py', '   \n\n', { selected: wholeLines(0, 2) }) }).questions.editorSelection(), undefined, 'white space is no selection');
  assert.equal(context({}).questions.editorSelection(), undefined);
});

test('an untrusted workspace is not searched, and #codebase says why', async () => {
  const { questions, indexer } = context({ trusted: false, editor: editor('csv/parse.py', parser) });
  const gathered = await questions.gather('how are rows read? #codebase');
  assert.equal(gathered.workspace, undefined);
  assert.deepEqual([gathered.attachments, gathered.editor], [[], undefined], 'not even the current file: only what the user attached');
  assert.deepEqual(gathered.notes, ['#codebase: this workspace is not trusted, so its files are not searched']);
  assert.deepEqual(indexer.asked, []);
});

test('the open file is editor state unless its chip was dropped or clicked to go whole', async () => {
  const { questions } = context({ editor: editor('csv/parse.py', parser) });
  const dropped = await questions.gather('why does this function drop empty cells?', { withoutCurrentFile: true });
  assert.deepEqual([dropped.attachments, dropped.editor], [[], undefined]);
  const whole = await questions.gather('why does this function drop empty cells?', { wholeCurrentFile: true });
  assert.deepEqual([whole.attachments.map((a) => a.reason), whole.editor], [['current file, whole as chosen'], undefined]);
  assert.equal((await questions.gather('see #file:csv/parse.py')).editor, undefined, 'a file mentioned goes as an attachment');
});
