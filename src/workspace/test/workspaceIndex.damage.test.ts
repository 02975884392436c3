/**
 * A workspace index that cannot be read, or cannot be saved, never fails the asks that use it: a truncated or garbled
 * manifest, a vectors or terms file of the wrong size, or a journal line that is not an entry is reported once and the
 * index built again; a save that fails (here: the manifest's temporary file cannot be written) removes what it wrote,
 * leaves the last saved generation whole, serves from memory and is tried again by the next refresh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../../test/fixtures/bankData';
import { LexicalEmbedder } from '../../embed/lexical';
import { WorkspaceIndex } from '../workspaceIndex';

const embedder = new LexicalEmbedder();

function workspace(root: string): void {
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, 'scores.py'), 'def parse_scores(text):\n    return [int(x) for x in text.split(",")]\n');
  writeFileSync(path.join(root, 'report.py'), 'from scores import parse_scores\n\n\ndef report(text):\n    return sum(parse_scores(text))\n');
  writeFileSync(path.join(root, 'render.py'), 'def render_table(rows):\n    return "\\n".join(" | ".join(r) for r in rows)\n');
}

/** A built index of a three-file workspace, and its chunk count. */
async function built(dir: string): Promise<{ root: string; index: string; chunks: number }> {
  const root = path.join(dir, 'ws');
  const index = path.join(dir, 'index');
  workspace(root);
  const opened = await WorkspaceIndex.open(index, { root, embedder });
  await opened.refresh();
  await opened.updateFile('render.py');
  return { root, index, chunks: opened.chunkCount };
}

test('a damaged index is reported once and built again; the rebuilt index opens whole', async () => {
  const temp = tempDir('smcs-index-damage-');
  try {
    const good = await built(temp.dir);
    const damages: [string, (dir: string) => void, RegExp][] = [
      ['a truncated manifest', (dir) => writeFileSync(path.join(dir, 'manifest.json'), readFileSync(path.join(dir, 'manifest.json'), 'utf8').slice(0, 200)), /^manifest\.json is not JSON/],
      ['a manifest without files', (dir) => writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')), files: undefined })), /^files is not a list/],
      ['a chunk of the wrong type', (dir) => {
        const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
        manifest.files[0].chunks[0].scale = 'big';
        writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
      }, /^files\[0\]\.chunks\[0\]\.scale is not a number/],
      ['a truncated vectors file', (dir) => writeFileSync(path.join(dir, 'vectors-1.bin'), readFileSync(path.join(dir, 'vectors-1.bin')).subarray(0, 100)), /^vectors-1\.bin holds 100 bytes where the manifest's \d+ chunks need \d+/],
      ['a missing terms file', (dir) => rmSync(path.join(dir, 'terms-1.bin')), /^terms-1\.bin cannot be read/],
      ['a journal line that is not an entry', (dir) => writeFileSync(path.join(dir, 'journal-1.jsonl'), `{"path": 7}\n${readFileSync(path.join(dir, 'journal-1.jsonl'), 'utf8')}`), /^journal-1\.jsonl line 1: path is not a string/],
    ];
    for (const [what, damage, reported] of damages) {
      const dir = path.join(temp.dir, what.replace(/\W+/g, '-'));
      cpSync(good.index, dir, { recursive: true });
      damage(dir);
      const index = await WorkspaceIndex.open(dir, { root: good.root, embedder });
      assert.match(index.takeDamage() ?? '', reported, what);
      assert.equal(index.takeDamage(), undefined, `${what}: told once`);
      const refreshed = await index.refresh();
      assert.equal(refreshed.unsaved, undefined, what);
      assert.equal(index.chunkCount, good.chunks, `${what}: built again`);
      assert.equal(index.defining('parse_scores')[0]?.path, 'scores.py', what);
      const reopened = await WorkspaceIndex.open(dir, { root: good.root, embedder });
      assert.equal(reopened.takeDamage(), undefined, `${what}: the rebuilt index reads whole`);
      assert.equal(reopened.chunkCount, good.chunks, what);
      assert.deepEqual(readdirSync(dir).filter((f) => /^(vectors|terms|journal)-/.test(f)).sort(), ['terms-2.bin', 'vectors-2.bin'], `${what}: only the new generation is left`);
    }
  } finally {
    temp.cleanup();
  }
});

test('a save that fails leaves the saved generation whole and nothing half-written; the index serves from memory and saves at the next refresh', async () => {
  const temp = tempDir('smcs-index-unsaved-');
  try {
    const { root, index: dir } = await built(temp.dir);
    const before = readdirSync(dir).sort();
    const manifest = readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    // The injected failure: the manifest's temporary file cannot be written (a folder stands where it goes), after the
    // generation's vectors and terms were written, as a disk that fills up on the last file would.
    mkdirSync(path.join(dir, 'manifest.json.tmp'));
    writeFileSync(path.join(root, 'scores.py'), 'def parse_scores(text):\n    return [float(x) for x in text.split(";")]\n\n\ndef mean_score(scores):\n    return sum(scores) / len(scores)\n');
    const index = await WorkspaceIndex.open(dir, { root, embedder });
    const failed = await index.refresh();
    assert.match(failed.unsaved ?? '', /EISDIR|illegal operation on a directory/);
    assert.equal(index.defining('mean_score')[0]?.path, 'scores.py', 'the ask is served from memory');
    assert.deepEqual(readdirSync(dir).sort(), before.concat('manifest.json.tmp').sort(), 'the new generation\'s files were removed');
    assert.equal(readFileSync(path.join(dir, 'manifest.json'), 'utf8'), manifest, 'the saved generation is as it was');
    const meanwhile = await WorkspaceIndex.open(dir, { root, embedder });
    assert.equal(meanwhile.takeDamage(), undefined, 'the saved index still reads whole');
    assert.deepEqual(meanwhile.defining('mean_score'), []);

    rmSync(path.join(dir, 'manifest.json.tmp'), { recursive: true });
    const saved = await index.refresh();
    assert.equal(saved.indexed, 0, 'nothing changed since');
    assert.equal(saved.unsaved, undefined, 'the unsaved index is saved at the next refresh');
    const reopened = await WorkspaceIndex.open(dir, { root, embedder });
    assert.equal(reopened.takeDamage(), undefined);
    assert.equal(reopened.defining('mean_score')[0]?.path, 'scores.py');
  } finally {
    temp.cleanup();
  }
});
