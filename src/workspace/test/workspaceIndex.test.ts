import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../../test/fixtures/bankData';
import { REPO } from '../../../test/fixtures/repo';
import { LexicalEmbedder } from '../../embed/lexical';
import { definitionChunks, retrieveChunks } from '../retrieveChunks';
import { RETRIEVED_MAX_TOKENS } from '../../core/promptBudget/fitContext';
import { WorkspaceIndex } from '../workspaceIndex';

const CELLS = readFileSync(path.join(REPO, 'test', 'fixtures', 'workspaces', 'rich', 'rich', 'cells.py'), 'utf8');

function workspace(root: string): void {
  mkdirSync(path.join(root, 'rich'), { recursive: true });
  writeFileSync(path.join(root, 'rich', 'cells.py'), CELLS);
  writeFileSync(path.join(root, 'rich', 'scores.py'), 'def parse_scores(text):\n    return [int(x) for x in text.split(",")]\n');
  writeFileSync(path.join(root, 'rich', 'settings.py'), 'TOKEN = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"\n');
}

test('the index is built once, reopened without re-reading, and updated file by file', async () => {
  const temp = tempDir('smcs-index-');
  try {
    const root = path.join(temp.dir, 'ws');
    const dir = path.join(temp.dir, 'index');
    workspace(root);
    const embedder = new LexicalEmbedder();
    const index = await WorkspaceIndex.open(dir, { root, embedder });
    const built = await index.refresh();
    assert.equal(built.indexed, 3);
    assert.equal(built.files, 2, 'the file holding a token is not indexed');
    assert.deepEqual(built.skipped, { secret: 1 });
    assert.ok(built.chunks > 5);
    const again = await WorkspaceIndex.open(dir, { root, embedder });
    assert.equal(again.chunkCount, built.chunks);
    assert.equal((await again.refresh()).indexed, 0, 'nothing changed: nothing is read again');

    writeFileSync(path.join(root, 'rich', 'scores.py'), 'def parse_scores(text):\n    return [float(x) for x in text.split(";")]\n\n\ndef mean_score(scores):\n    return sum(scores) / len(scores)\n');
    await again.updateFile('rich/scores.py');
    const found = (await retrieveChunks(again, embedder, root, 'How is mean_score computed?')).items;
    assert.equal(found[0]?.path, 'rich/scores.py');
    assert.match(found[0]?.text ?? '', /def mean_score/);
    assert.equal(found[0]?.reason, 'defines mean_score');
    assert.deepEqual(readdirSync(dir).sort(), ['journal-1.jsonl', 'manifest.json', 'terms-1.bin', 'vectors-1.bin'], 'a one-file update is a journal line');
    const reopened = await WorkspaceIndex.open(dir, { root, embedder });
    assert.equal((await retrieveChunks(reopened, embedder, root, 'How is mean_score computed?')).items[0]?.reason, 'defines mean_score', 'the journal is replayed on open');
    writeFileSync(path.join(dir, 'journal-1.jsonl'), `${readFileSync(path.join(dir, 'journal-1.jsonl'), 'utf8')}{"path": "rich/torn`);
    assert.equal((await WorkspaceIndex.open(dir, { root, embedder })).chunkCount, reopened.chunkCount, 'a torn last line is ignored');

    utimesSync(path.join(root, 'rich', 'cells.py'), new Date(), new Date(Date.now() + 5000));
    assert.equal((await again.refresh()).indexed, 1, 'a touched file is read again');
    assert.deepEqual(readdirSync(dir).sort(), ['manifest.json', 'terms-2.bin', 'vectors-2.bin'], 'a refresh writes the next generation; the old one and its journal are removed');
  } finally {
    temp.cleanup();
  }
});

test('an index of an older format is built again, and its files are removed', async () => {
  const temp = tempDir('smcs-index-format-');
  try {
    const root = path.join(temp.dir, 'ws');
    const dir = path.join(temp.dir, 'index');
    workspace(root);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: 1, embedder: 'lexical:v1:512', dimension: 512, generation: 7, files: [], left: [] }));
    writeFileSync(path.join(dir, 'vectors-7.bin'), '');
    writeFileSync(path.join(dir, 'terms-7.bin'), '');
    const index = await WorkspaceIndex.open(dir, { root, embedder: new LexicalEmbedder() });
    assert.equal(index.chunkCount, 0);
    assert.equal((await index.refresh()).indexed, 3);
    assert.deepEqual(readdirSync(dir).sort(), ['manifest.json', 'terms-8.bin', 'vectors-8.bin']);
  } finally {
    temp.cleanup();
  }
});

test('retrieval finds the definition a question names and never a secret', async () => {
  const temp = tempDir('smcs-retrieve-');
  try {
    const root = path.join(temp.dir, 'ws');
    workspace(root);
    const embedder = new LexicalEmbedder();
    const index = await WorkspaceIndex.open(path.join(temp.dir, 'index'), { root, embedder });
    await index.refresh();
    const found = (await retrieveChunks(index, embedder, root, 'Why does split_graphemes loop forever on a trailing zero width joiner?')).items;
    assert.equal(found[0]?.path, 'rich/cells.py');
    assert.equal(found[0]?.reason, 'defines split_graphemes');
    assert.ok(found.every((f) => f.path !== 'rich/settings.py'));
    assert.ok(found.every((f) => f.source === 'retrieved' && f.tokens > 0 && (f.score ?? 0) > 0));
    const nothing = await retrieveChunks(index, embedder, root, 'The kangaroo tango festival in Canberra');
    assert.deepEqual(nothing.items, []);
    assert.match(nothing.note ?? '', /nothing in the workspace matches the question/);
  } finally {
    temp.cleanup();
  }
});

test('what the evidence of a question asks of the index: whether it defines or uses a name, whether it holds a file', async () => {
  const temp = tempDir('smcs-lookup-');
  try {
    const root = path.join(temp.dir, 'ws');
    workspace(root);
    const index = await WorkspaceIndex.open(path.join(temp.dir, 'index'), { root, embedder: new LexicalEmbedder() });
    await index.refresh();
    assert.ok(index.uses('parse_scores') && index.uses('split_graphemes'));
    assert.ok(!index.uses('parse_totals'));
    assert.ok(index.hasFile('cells.py') && index.hasFile('rich/scores.py'));
    assert.ok(!index.hasFile('settings.py'), 'a file holding a key is not indexed');
    assert.ok(!index.hasFile('ich/cells.py'), 'a mention matches whole path segments');
  } finally {
    temp.cleanup();
  }
});

test('the chunks defining a name (by the name and by its dotted tails, as the ranking matches them) and whether a chunk uses one: a file changed, added or removed is seen by the next lookup', async () => {
  const temp = tempDir('smcs-defining-');
  try {
    const root = path.join(temp.dir, 'ws');
    workspace(root);
    writeFileSync(path.join(root, 'rich', 'table.py'), 'class Table:\n    def add_row(self, *cells):\n        self.rows.append(cells)\n');
    const index = await WorkspaceIndex.open(path.join(temp.dir, 'index'), { root, embedder: new LexicalEmbedder() });
    await index.refresh();
    const where = (name: string) => index.defining(name).map((c) => c.path);
    assert.deepEqual(where('parse_scores'), ['rich/scores.py']);
    assert.ok(where('Table.add_row').includes('rich/table.py') && where('add_row').includes('rich/table.py'), 'a method by its qualified name and by its own');
    assert.deepEqual(where('able.add_row'), [], 'a tail ends at a dot, not inside a name');
    assert.deepEqual(where('mean_score'), []);
    assert.ok(index.uses('parse_scores') && !index.uses('mean_score') && index.uses('add_row'));

    writeFileSync(path.join(root, 'rich', 'scores.py'), 'def mean_score(scores):\n    return sum(scores) / len(scores)\n');
    await index.updateFile('rich/scores.py');
    assert.deepEqual(where('mean_score'), ['rich/scores.py'], 'a changed file\'s new definition');
    assert.deepEqual(where('parse_scores'), [], 'and not its old one');
    assert.ok(index.uses('mean_score') && !index.uses('parse_scores'), 'what a changed file uses, and no longer uses');
    writeFileSync(path.join(root, 'rich', 'totals.py'), 'def mean_score(values):\n    return 0\n');
    rmSync(path.join(root, 'rich', 'table.py'));
    await index.refresh();
    assert.deepEqual(where('mean_score').sort(), ['rich/scores.py', 'rich/totals.py'], 'an added file');
    assert.deepEqual(where('add_row'), [], 'a removed file');
    assert.ok(!index.uses('add_row'), 'nor what it used');
  } finally {
    temp.cleanup();
  }
});

test('the definitions a selection calls are found by name: each defining chunk, read from disk; a name defined in many places gives nothing', async () => {
  const temp = tempDir('smcs-definitions-');
  try {
    const root = path.join(temp.dir, 'ws');
    workspace(root);
    // `render` is defined in four files: it says too little to send them all.
    for (const n of [1, 2, 3, 4]) writeFileSync(path.join(root, 'rich', `widget${n}.py`), `def render(x):\n    return x * ${n}\n`);
    const index = await WorkspaceIndex.open(path.join(temp.dir, 'index'), { root, embedder: new LexicalEmbedder() });
    await index.refresh();
    const found = (await definitionChunks(index, root, ['set_cell_size', 'render', 'parse_scores', 'nowhere_defined'])).items;
    assert.deepEqual(found.map((f) => [f.path, f.reason]), [['rich/cells.py', 'defines set_cell_size'], ['rich/scores.py', 'defines parse_scores']]);
    assert.match(found[0]?.text ?? '', /^def set_cell_size\(text: str, total: int/);
    assert.ok(found.every((f) => f.source === 'retrieved'));
    // A name only an example and a test define: not for a selection in product code, for one in a test.
    mkdirSync(path.join(root, 'examples'), { recursive: true });
    mkdirSync(path.join(root, 'tests'), { recursive: true });
    writeFileSync(path.join(root, 'examples', 'demo.py'), 'def report_error(err):\n    print(err)\n');
    writeFileSync(path.join(root, 'tests', 'test_demo.py'), 'def report_error(err):\n    raise err\n');
    await index.refresh();
    assert.deepEqual((await definitionChunks(index, root, ['report_error'], ['rich/cells.py'])).items, []);
    assert.deepEqual((await definitionChunks(index, root, ['report_error'], ['tests/test_cells.py'])).items.map((f) => f.path).sort(), ['examples/demo.py', 'tests/test_demo.py']);
  } finally {
    temp.cleanup();
  }
});

test('a stale index entry is not sent but named: a file gone since it was indexed, one cut short, each "X left out: reason"', async () => {
  const temp = tempDir('smcs-index-stale-');
  try {
    const root = path.join(temp.dir, 'ws');
    workspace(root);
    writeFileSync(path.join(root, 'rich', 'db.py'), 'import os\n\n\ndef connect_pool(pool):\n    """Opens the pool."""\n    url = "postgres://shop:PgPw7Kq2Stale@db.internal:5432/shop"\n    return pool.connect(url)\n');
    const embedder = new LexicalEmbedder();
    const index = await WorkspaceIndex.open(path.join(temp.dir, 'index'), { root, embedder });
    await index.refresh();
    // The index is not refreshed after these changes: its entries for both files are stale.
    rmSync(path.join(root, 'rich', 'scores.py'));
    writeFileSync(path.join(root, 'rich', 'cells.py'), '# emptied\n');
    const scores = await retrieveChunks(index, embedder, root, 'How does parse_scores read the text?');
    assert.ok(!scores.items.some((i) => i.path === 'rich/scores.py'));
    assert.ok(scores.secretNotes.includes('rich/scores.py left out: gone since it was indexed (the index is refreshed on the next ask)'), JSON.stringify(scores.secretNotes));
    const cells = await retrieveChunks(index, embedder, root, 'How does cell_len measure the width of a string?');
    assert.ok(cells.secretNotes.some((n) => /^rich\/cells\.py lines \d+–\d+ left out: changed since it was indexed/.test(n)), JSON.stringify(cells.secretNotes));
    assert.ok(cells.items.every((i) => i.path !== 'rich/cells.py' || i.text === '# emptied'), 'a chunk past the end of its file is not sent');
    const db = await retrieveChunks(index, embedder, root, 'How does connect_pool open the database pool?');
    assert.ok(db.items.some((i) => i.path === 'rich/db.py' && i.text.includes('«redacted: database password»')));
    assert.ok(db.secretNotes.includes('rich/db.py line 6 (database password) left out: redacted in place'), JSON.stringify(db.secretNotes));
    assert.ok(!JSON.stringify(db.secretNotes).includes('PgPw7Kq2Stale'));
  } finally {
    temp.cleanup();
  }
});

test('a minified bundle under any name is not indexed: it shares words with everything and answers nothing', async () => {
  const temp = tempDir('smcs-index-minified-');
  try {
    const root = path.join(temp.dir, 'ws');
    mkdirSync(path.join(root, 'theme', 'static'), { recursive: true });
    writeFileSync(path.join(root, 'theme', 'static', 'jquery-3.5.1.js'), `/*! jQuery */\n${'!function(e,t){"use strict";var n=[],r=Object.getPrototypeOf;'.repeat(300)}\n`);
    writeFileSync(path.join(root, 'app.py'), 'def render(page):\n    return page.title\n');
    const index = await WorkspaceIndex.open(path.join(temp.dir, 'index'), { root, embedder: new LexicalEmbedder() });
    const stats = await index.refresh();
    assert.deepEqual(index.paths(), ['app.py']);
    assert.equal(stats.skipped['vendored or generated'], 1);
  } finally {
    temp.cleanup();
  }
});

test('found code keeps to its budget: whole definitions first, then the signatures of the chosen files they leave out', async () => {
  const temp = tempDir('smcs-retrieve-budget-');
  try {
    const root = path.join(temp.dir, 'ws');
    mkdirSync(path.join(root, 'router'), { recursive: true });
    const body = Array.from({ length: 40 }, (_, i) => `    segments_${i} = wildcard_segment(path, ${i}) or router_table.lookup(path, ${i})`).join('\n');
    for (let n = 0; n < 8; n++) writeFileSync(path.join(root, 'router', `match_${n}.py`), `def match_wildcard_${n}(router_table, path):\n    """Matches a wildcard segment of the path against the router table."""\n${body}\n    return segments_0\n`);
    const embedder = new LexicalEmbedder();
    const index = await WorkspaceIndex.open(path.join(temp.dir, 'index'), { root, embedder });
    await index.refresh();
    const found = (await retrieveChunks(index, embedder, root, 'How does the router match a wildcard segment of the path?')).items;
    const tokens = found.reduce((n, f) => n + f.tokens, 0);
    assert.ok(tokens <= RETRIEVED_MAX_TOKENS, `${tokens} tokens`);
    const whole = found.filter((f) => f.endLine - f.startLine > 10);
    const signatures = found.filter((f) => / past the budget of found code\)$/.test(f.reason));
    assert.ok(whole.length >= 1, 'whole definitions first');
    assert.ok(signatures.length >= 1, JSON.stringify(found.map((f) => [f.path, f.startLine, f.endLine, f.reason])));
    for (const s of signatures) {
      assert.equal(s.startLine, s.endLine, 'a signature line');
      assert.match(s.text, /^def match_wildcard_\d\(router_table, path\):$/);
    }
    assert.equal(new Set(found.map((f) => f.path)).size, found.length, 'one item a file here: each file once, whole or by its signature');
  } finally {
    temp.cleanup();
  }
});
