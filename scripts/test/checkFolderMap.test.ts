import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as CheckFolderMap from '../check-folder-map.mjs' with { 'resolution-mode': 'import' };
import { REPO } from '../../test/fixtures/repo';

const load = async (): Promise<typeof CheckFolderMap> => import('../check-folder-map.mjs');

const TABLES = {
  LAYERS: { core: { runtime: ['core'], types: [] }, bank: { runtime: ['core', 'bank'], types: [] }, cli: { runtime: ['core', 'bank', 'cli'], types: ['core'] } },
  CORE_LAYERS: [['util'], ['ask', 'routing']],
};

const HOW_IT_WORKS = (lines: string[]): string => ['# How it works', '', 'intro', '', '## What each folder holds', '', '```', ...lines, '```', '', '## A question\'s path', '', '```', 'src/elsewhere   not the map', '```', ''].join('\n');
const FULL_MAP = HOW_IT_WORKS(['src/core        the engine', '  util/         helpers', '  ask/          one ask', '  routing/      RPS', 'src/bank        the bank', 'src/cli         the command']);
const CORE_README = ['# core', '', '## Layers inside core', '', '| row | folders | why |', '| --- | --- | --- |', '| 2 | `ask/`, `routing/` | above |', '| 1 | `util/` | below |', ''].join('\n');

/** A tree with the folders of TABLES (each holding a file) and the given map files. */
async function tree(files: Record<string, string>, folders = ['src/core/util', 'src/core/ask', 'src/core/routing', 'src/bank', 'src/cli']): Promise<string> {
  const { folderMapTable } = await load();
  const dir = mkdtempSync(path.join(tmpdir(), 'smcs-folders-'));
  for (const f of folders) {
    mkdirSync(path.join(dir, f), { recursive: true });
    writeFileSync(path.join(dir, f, 'a.ts'), 'export const a = 1;\n');
  }
  mkdirSync(path.join(dir, 'src', 'core', 'test'), { recursive: true });
  const all: Record<string, string> = {
    'docs/how-it-works.md': FULL_MAP,
    'src/core/README.md': CORE_README,
    'docs/design-notes.md': `# Design\n\n## Layout\n\n${folderMapTable(TABLES)}\n\nmore\n`,
    ...files,
  };
  for (const [f, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

async function problemsOf(files: Record<string, string>, folders?: string[]): Promise<string[]> {
  const { folderMapProblems } = await load();
  const dir = await tree(files, folders);
  try {
    return folderMapProblems(dir, TABLES);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('maps that name every folder, and only those, pass (a test folder is not a folder of the map)', async () => {
  assert.deepEqual(await problemsOf({}), []);
});

test('a folder of src/ missing from "What each folder holds" fails, naming it', async () => {
  const map = HOW_IT_WORKS(['src/core        the engine', '  util/         helpers', '  ask/          one ask', '  routing/      RPS', 'src/cli         the command']);
  assert.deepEqual(await problemsOf({ 'docs/how-it-works.md': map }), ['docs/how-it-works.md "What each folder holds": src/bank is not named: add a `src/bank` line saying what it holds']);
});

test('the folder map is docs/how-it-works.md\'s "What each folder holds": without that section, or with the folders named only elsewhere, it fails', async () => {
  const elsewhere = FULL_MAP.replace('## What each folder holds', '## Folders');
  assert.deepEqual(await problemsOf({ 'docs/how-it-works.md': elsewhere }), ['docs/how-it-works.md: no "## What each folder holds" section with a code block naming the folders of src/']);
  assert.deepEqual(await problemsOf({ 'docs/how-it-works.md': '', 'README.md': FULL_MAP }), ['docs/how-it-works.md: no "## What each folder holds" section with a code block naming the folders of src/']);
});

test('a folder of src/core missing from "What each folder holds" or from the core README fails, naming it', async () => {
  const map = HOW_IT_WORKS(['src/core        the engine', '  util/         helpers', '  ask/          one ask', 'src/bank        the bank', 'src/cli         the command']);
  assert.deepEqual(await problemsOf({ 'docs/how-it-works.md': map }), ['docs/how-it-works.md "What each folder holds": src/core/routing is not named: add a `routing/` line under src/core saying what it holds']);
  const core = CORE_README.replace('`ask/`, `routing/`', '`ask/`');
  assert.deepEqual(await problemsOf({ 'src/core/README.md': core }), ['src/core/README.md "Layers inside core": src/core/routing is not named (CORE_LAYERS row 2)']);
});

test('a folder named but not on disk, a core folder in the wrong row, and a folder the layer table lacks fail', async () => {
  const map = FULL_MAP.replace('src/cli ', 'src/gone        was here\nsrc/cli ').replace('  util/ ', '  util/         helpers\n  old/ ');
  assert.deepEqual(await problemsOf({ 'docs/how-it-works.md': map }), [
    'docs/how-it-works.md:10: "What each folder holds" names src/core/old, which is not a folder',
    'docs/how-it-works.md:14: "What each folder holds" names src/gone, which is not a folder',
  ]);
  const core = CORE_README.replace('| 1 | `util/` |', '| 1 | `util/`, `ask/` |').replace('`ask/`, `routing/`', '`routing/`');
  assert.deepEqual(await problemsOf({ 'src/core/README.md': core }), ['src/core/README.md:8: puts src/core/ask in row 1; CORE_LAYERS has it in row 2']);
  const problems = await problemsOf({ 'docs/how-it-works.md': FULL_MAP.replace('src/cli ', 'src/new         new\nsrc/cli ') }, ['src/core/util', 'src/core/ask', 'src/core/routing', 'src/bank', 'src/cli', 'src/new']);
  assert.deepEqual(problems, ['.eslintplugin/layers.mjs: src/new has no row in LAYERS: add it with what it may import']);
});

test("the design notes' table is the layer table written out: a row missing fails, naming the folder, and --write's text passes", async () => {
  const { folderMapTable, withFolderMapTable } = await load();
  const stale = `# Design\n\n${folderMapTable(TABLES).replace(/^\| `src\/bank` .*\n/m, '')}\n`;
  const problems = await problemsOf({ 'docs/design-notes.md': stale });
  assert.equal(problems.length, 1);
  assert.match(problems[0] ?? '', /^docs\/design-notes\.md: the layer table is not the one of \.eslintplugin\/layers\.mjs; it does not name src\/bank: run node scripts\/check-folder-map\.mjs --write$/);
  assert.deepEqual(await problemsOf({ 'docs/design-notes.md': withFolderMapTable(stale, TABLES) ?? '' }), []);
  assert.match((await problemsOf({ 'docs/design-notes.md': '# Design\n' }))[0] ?? '', /no layer table between/);
});

test("the repository's own maps name every folder of src/ and src/core", async () => {
  const { folderMapProblems, layerTablesOf } = await load();
  assert.deepEqual(folderMapProblems(REPO, await layerTablesOf(REPO)), []);
});
