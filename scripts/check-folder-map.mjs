// The maps of src/ say what is there: every folder of src/ and of src/core, and only those, is named by
// - the layer table (LAYERS and CORE_LAYERS in .eslintplugin/layers.mjs),
// - docs/how-it-works.md's "What each folder holds" block (a `src/<folder>` line for each folder of src/, an indented
//   `<folder>/` line under `src/core` for each folder of src/core; an indented line under another folder must name one of
//   its folders),
// - src/core/README.md's "Layers inside core" table (each folder in the row CORE_LAYERS puts it in, counted from 1 at
//   the bottom),
// - docs/design-notes.md's layer table ("Layout"), which is the layer table itself written out: between the
//   `<!-- folder-map -->` markers, exactly what `folderMapTable` makes of LAYERS and CORE_LAYERS.
// Each problem names the folder and the map. Run by `npm run lint`; `node scripts/check-folder-map.mjs --write` rewrites
// the design notes' table from the layer table; `node scripts/check-folder-map.mjs DIR` checks another tree.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const HOW_IT_WORKS = 'docs/how-it-works.md';
/** The heading of the section of HOW_IT_WORKS whose first code block names the folders. */
export const FOLDERS_HEADING = '## What each folder holds';
export const CORE_README = 'src/core/README.md';
export const DESIGN_NOTES = 'docs/design-notes.md';
export const MAP_START = '<!-- folder-map: the layer table of .eslintplugin/layers.mjs, written by `node scripts/check-folder-map.mjs --write` -->';
export const MAP_END = '<!-- /folder-map -->';

/** The folders directly inside `dir` (hidden ones and `test` left out), sorted; none when `dir` does not exist. */
export function foldersOf(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'test')
    .map((e) => e.name)
    .sort();
}

/** The lines of the section of `text` under the heading `heading` (to the next heading of its level or above), with their line numbers. */
function sectionLines(text, heading) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) return undefined;
  const level = heading.match(/^#+/)[0].length;
  const out = [];
  let fenced = false;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('```')) fenced = !fenced;
    const m = !fenced && /^(#+)\s/.exec(line);
    if (m && m[1].length <= level) break;
    out.push({ line, number: i + 1 });
  }
  return out;
}

/**
 * What docs/how-it-works.md's "What each folder holds" block names: `src/<folder>` lines, and under each the indented
 * `<sub>/` lines, with their line numbers. Undefined when the section or its code block is missing.
 */
export function howItWorksFolders(text) {
  const section = sectionLines(text, FOLDERS_HEADING);
  if (section === undefined) return undefined;
  const open = section.findIndex((l) => l.line.startsWith('```'));
  if (open < 0) return undefined;
  const close = section.findIndex((l, i) => i > open && l.line.startsWith('```'));
  const block = section.slice(open + 1, close < 0 ? undefined : close);
  const folders = [];
  let current;
  for (const { line, number } of block) {
    const top = /^src\/([\w.-]+)(?:\s|$)/.exec(line);
    if (top) {
      current = { name: top[1], line: number, subfolders: [] };
      folders.push(current);
      continue;
    }
    const sub = /^\s+([\w.-]+)\/(?:\s|$)/.exec(line);
    if (sub && current) current.subfolders.push({ name: sub[1], line: number });
  }
  return folders;
}

/** What src/core/README.md's "Layers inside core" table names: row number → folders, with the table lines. Undefined without the section. */
export function coreReadmeRows(text) {
  const section = sectionLines(text, '## Layers inside core');
  if (section === undefined) return undefined;
  const rows = [];
  for (const { line, number } of section) {
    const m = /^\|\s*(\d+)\s*\|([^|]*)\|/.exec(line);
    if (!m) continue;
    const folders = [...m[2].matchAll(/`([\w.-]+)\/?`/g)].map((f) => f[1]);
    rows.push({ row: Number(m[1]), folders, line: number });
  }
  return rows;
}

const names = (folders) => (folders.length === 0 ? '—' : folders.map((f) => `\`${f}\``).join(', '));

/** The design notes' table: every folder of src/ with what it may import, then src/core's rows — the layer table written out. */
export function folderMapTable({ LAYERS, CORE_LAYERS }) {
  const rows = Object.entries(LAYERS).map(([folder, { runtime, types }]) => `| \`src/${folder}\` | ${names(runtime.filter((f) => f !== folder))} | ${names(types)} |`);
  const core = CORE_LAYERS.map((row, i) => `${i + 1}. ${names(row)}`);
  return [
    MAP_START,
    '| folder | imports at run time (besides itself) | imports for types only |',
    '| --- | --- | --- |',
    ...rows,
    '',
    "`src/core`'s folders, bottom row first (a folder imports the rows below it, never its own row's other folders):",
    '',
    ...core,
    MAP_END,
  ].join('\n');
}

/** The design notes with their table rewritten from the layer table; undefined when the markers are missing. */
export function withFolderMapTable(text, tables) {
  const start = text.indexOf(MAP_START);
  const end = text.indexOf(MAP_END);
  if (start < 0 || end < start) return undefined;
  return text.slice(0, start) + folderMapTable(tables) + text.slice(end + MAP_END.length);
}

/** Problems of the maps in the tree under `root`, given its layer tables: `file:line: message`, each naming a folder. */
export function folderMapProblems(root, { LAYERS, CORE_LAYERS }) {
  const problems = [];
  const srcFolders = foldersOf(path.join(root, 'src'));
  const coreFolders = foldersOf(path.join(root, 'src', 'core'));
  const layerFile = '.eslintplugin/layers.mjs';

  // The layer table.
  for (const f of srcFolders) if (!(f in LAYERS)) problems.push(`${layerFile}: src/${f} has no row in LAYERS: add it with what it may import`);
  for (const f of Object.keys(LAYERS)) if (!srcFolders.includes(f)) problems.push(`${layerFile}: LAYERS names src/${f}, which is not a folder`);
  const coreTable = CORE_LAYERS.flat();
  for (const f of coreFolders) if (!coreTable.includes(f)) problems.push(`${layerFile}: src/core/${f} is in no row of CORE_LAYERS: add it to the row it belongs to`);
  for (const f of coreTable) if (!coreFolders.includes(f)) problems.push(`${layerFile}: CORE_LAYERS names src/core/${f}, which is not a folder`);

  // docs/how-it-works.md, "What each folder holds".
  const mapText = existsSync(path.join(root, HOW_IT_WORKS)) ? readFileSync(path.join(root, HOW_IT_WORKS), 'utf8') : '';
  const mapped = howItWorksFolders(mapText);
  const section = `"${FOLDERS_HEADING.replace(/^#+\s*/, '')}"`;
  if (mapped === undefined) {
    problems.push(`${HOW_IT_WORKS}: no "${FOLDERS_HEADING}" section with a code block naming the folders of src/`);
  } else {
    const where = `${HOW_IT_WORKS} ${section}`;
    for (const f of srcFolders) if (!mapped.some((m) => m.name === f)) problems.push(`${where}: src/${f} is not named: add a \`src/${f}\` line saying what it holds`);
    for (const m of mapped) {
      if (!srcFolders.includes(m.name)) problems.push(`${HOW_IT_WORKS}:${m.line}: ${section} names src/${m.name}, which is not a folder`);
      const real = foldersOf(path.join(root, 'src', m.name));
      for (const s of m.subfolders) if (!real.includes(s.name)) problems.push(`${HOW_IT_WORKS}:${s.line}: ${section} names src/${m.name}/${s.name}, which is not a folder`);
    }
    const core = mapped.find((m) => m.name === 'core');
    if (core) for (const f of coreFolders) if (!core.subfolders.some((s) => s.name === f)) problems.push(`${where}: src/core/${f} is not named: add a \`${f}/\` line under src/core saying what it holds`);
  }

  // src/core/README.md, "Layers inside core".
  if (coreFolders.length > 0) {
    const coreText = existsSync(path.join(root, CORE_README)) ? readFileSync(path.join(root, CORE_README), 'utf8') : '';
    const rows = coreReadmeRows(coreText);
    if (rows === undefined) {
      problems.push(`${CORE_README}: no "## Layers inside core" table naming the folders of src/core by row`);
    } else {
      const where = `${CORE_README} "Layers inside core"`;
      for (const f of coreFolders) {
        const expected = CORE_LAYERS.findIndex((row) => row.includes(f)) + 1;
        const found = rows.find((r) => r.folders.includes(f));
        if (found === undefined) problems.push(`${where}: src/core/${f} is not named${expected > 0 ? ` (CORE_LAYERS row ${expected})` : ''}`);
        else if (expected > 0 && found.row !== expected) problems.push(`${CORE_README}:${found.line}: puts src/core/${f} in row ${found.row}; CORE_LAYERS has it in row ${expected}`);
      }
      for (const r of rows) for (const f of r.folders) if (!coreFolders.includes(f)) problems.push(`${CORE_README}:${r.line}: names src/core/${f}, which is not a folder`);
    }
  }

  // docs/design-notes.md, the layer table written out.
  const notesText = existsSync(path.join(root, DESIGN_NOTES)) ? readFileSync(path.join(root, DESIGN_NOTES), 'utf8') : undefined;
  if (notesText !== undefined) {
    const rewritten = withFolderMapTable(notesText, { LAYERS, CORE_LAYERS });
    if (rewritten === undefined) problems.push(`${DESIGN_NOTES}: no layer table between "${MAP_START}" and "${MAP_END}"`);
    else if (rewritten !== notesText) {
      const table = notesText.slice(notesText.indexOf(MAP_START), notesText.indexOf(MAP_END));
      const inTable = new Set([...table.matchAll(/^\| `src\/([\w.-]+)` \|/gm)].map((m) => `src/${m[1]}`));
      const coreInTable = new Set([...table.matchAll(/^\d+\. (.*)$/gm)].flatMap((m) => [...m[1].matchAll(/`([\w.-]+)`/g)].map((f) => `src/core/${f[1]}`)));
      const missing = [...Object.keys(LAYERS).map((f) => `src/${f}`).filter((f) => !inTable.has(f)), ...coreTable.map((f) => `src/core/${f}`).filter((f) => !coreInTable.has(f))];
      const named = missing.length > 0 ? `; it does not name ${missing.join(', ')}` : '';
      problems.push(`${DESIGN_NOTES}: the layer table is not the one of ${layerFile}${named}: run node scripts/check-folder-map.mjs --write`);
    }
  }
  return problems;
}

/** The layer tables of the tree under `root`. */
export async function layerTablesOf(root) {
  const { LAYERS, CORE_LAYERS } = await import(pathToFileURL(path.join(root, '.eslintplugin', 'layers.mjs')).href);
  return { LAYERS, CORE_LAYERS };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const write = args.includes('--write');
  const dir = args.find((a) => a !== '--write');
  const root = path.resolve(dir ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const tables = await layerTablesOf(root);
  if (write) {
    const file = path.join(root, DESIGN_NOTES);
    const rewritten = withFolderMapTable(readFileSync(file, 'utf8'), tables);
    if (rewritten === undefined) {
      console.error(`${DESIGN_NOTES}: no "${MAP_START}" … "${MAP_END}" markers to write the table between`);
      process.exit(1);
    }
    writeFileSync(file, rewritten);
  }
  const problems = folderMapProblems(root, tables);
  for (const p of problems) console.error(p);
  if (problems.length > 0) console.error(`${problems.length} folder map problem(s): the layer table, ${HOW_IT_WORKS} ${JSON.stringify(FOLDERS_HEADING.replace(/^#+\s*/, ''))}, src/core/README.md and docs/design-notes.md name every folder of src/ and src/core, and only those`);
  process.exit(problems.length > 0 ? 1 : 0);
}
