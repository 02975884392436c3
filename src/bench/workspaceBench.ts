/**
 * The workspace-retrieval benchmark (`smcs bench --workspace-files N`): a generated workspace of N source files
 * (Python, TypeScript, Go, Java, 30–90 lines each, plus a vendored folder and a `.env` that must be left out), the
 * index built from nothing with the given embedder, one saved file re-indexed, a refresh when nothing changed, the
 * context assembled for questions about the generated functions (retrieval and the budget), the search decision (its
 * calibration against the unrelated questions, then each question's), the first ask of a session on the saved index,
 * the index's size, and the parse of one file by tree-sitter (src/parse), which the build does for every file.
 */
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { contextRoom, fitContext } from '../core/promptBudget/fitContext';
import type { Embedder } from '../core/contracts/types';
import { percentile } from '../core/util/arrays';
import { createRng, type Rng } from '../core/util/rng';
import { workspaceEvidence } from '../core/retrieval/searchEvidence';
import { SourceParser } from '../parse/sourceParser';
import { evidenceLookup } from '../workspace/evidenceLookup';
import { retrieveChunks } from '../workspace/retrieveChunks';
import { WorkspaceIndex } from '../workspace/workspaceIndex';

export interface WorkspaceBenchmark {
  files: number;
  chunks: number;
  embedder: string;
  buildMs: number;
  /** CPU time of this process for the build (user + system): what the build costs when the machine is shared. */
  buildCpuMs: number;
  chunksPerSecond: number;
  /** `updateFile` after a save, median of 5. */
  reindexOneMs: number;
  /** A refresh that finds nothing changed (what every ask does first). */
  unchangedRefreshMs: number;
  /** Retrieval and the budget for one question. */
  assemblyP50Ms: number;
  assemblyP95Ms: number;
  /** CPU time of one assembly, p50. */
  assemblyCpuP50Ms: number;
  /** The search evidence's calibration: what the unrelated questions find in the index, once per index (src/workspace/evidenceLookup). */
  calibrationMs: number;
  /** Whether one question searches (core/retrieval/searchEvidence, calibration done), p50 and p95. */
  decisionP50Ms: number;
  decisionP95Ms: number;
  /** The first ask of a session on an index built before: the index read from disk, refreshed, calibrated, the question decided and its context assembled. */
  firstAskMs: number;
  /** Parsing one file (its definitions and references, grammar loaded), p50 and p95 over up to 200 of the files. */
  parseP50Ms: number;
  parseP95Ms: number;
  indexBytes: number;
  goals: { buildMs: number; reindexOneMs: number; assemblyP50Ms: number };
}

const WORDS = ['parse', 'score', 'render', 'cache', 'token', 'graph', 'split', 'merge', 'width', 'cell', 'table', 'row', 'column', 'style', 'color', 'span', 'segment', 'text', 'line', 'wrap', 'measure', 'layout', 'panel', 'tree', 'node', 'edge', 'queue', 'retry', 'timeout', 'header', 'body', 'request', 'response', 'user', 'account', 'order', 'invoice', 'price', 'total', 'report'];

const pick = (rng: Rng, list: readonly string[]): string => list[Math.floor(rng.next() * list.length)] as string;
const name = (rng: Rng, parts: number): string[] => Array.from({ length: parts }, () => pick(rng, WORDS));
const snake = (p: string[]): string => p.join('_');
const camel = (p: string[]): string => p.map((w, i) => (i === 0 ? w : w[0]?.toUpperCase() + w.slice(1))).join('');
const pascal = (p: string[]): string => p.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');

/** One function's body lines (a few statements that use other generated names). */
function body(rng: Rng, indent: string, statement: (a: string, b: string) => string): string[] {
  return Array.from({ length: 3 + Math.floor(rng.next() * 6) }, () => indent + statement(snake(name(rng, 2)), snake(name(rng, 2))));
}

function pythonFile(rng: Rng, functions: string[][]): string {
  const out = ['"""Generated module for the workspace benchmark."""', 'from typing import Any', ''];
  for (const f of functions) out.push('', `def ${snake(f)}(${snake(name(rng, 1))}: Any, ${snake(name(rng, 2))}: int = 0) -> Any:`, `    """${f.join(' ')} of the ${pick(rng, WORDS)}."""`, ...body(rng, '    ', (a, b) => `${a} = ${b}(${pick(rng, WORDS)}) + ${Math.floor(rng.next() * 100)}`), `    return ${snake(name(rng, 2))}`);
  return `${out.join('\n')}\n`;
}

function typescriptFile(rng: Rng, functions: string[][]): string {
  const out = ["import { strict as assert } from 'node:assert';", ''];
  for (const f of functions) out.push('', `/** ${f.join(' ')} of the ${pick(rng, WORDS)}. */`, `export function ${camel(f)}(${camel(name(rng, 1))}: number, ${camel(name(rng, 2))} = 0): number {`, ...body(rng, '  ', (a, b) => `const ${camel(a.split('_'))} = ${camel(b.split('_'))}(${Math.floor(rng.next() * 100)});`), `  return ${camel(name(rng, 2))};`, '}');
  return `${out.join('\n')}\n`;
}

function goFile(rng: Rng, functions: string[][]): string {
  const out = ['package generated', '', 'import "fmt"'];
  for (const f of functions) out.push('', `// ${pascal(f)} computes the ${f.join(' ')}.`, `func ${pascal(f)}(${camel(name(rng, 1))} int) (int, error) {`, ...body(rng, '\t', (a, b) => `${camel(a.split('_'))} := ${camel(b.split('_'))}(${Math.floor(rng.next() * 100)})`), `\treturn 0, fmt.Errorf("${f.join(' ')}")`, '}');
  return `${out.join('\n')}\n`;
}

function javaFile(rng: Rng, functions: string[][], className: string): string {
  const out = ['package generated;', '', `public final class ${className} {`];
  for (const f of functions) out.push('', `  /** ${f.join(' ')}. */`, `  public static int ${camel(f)}(int ${camel(name(rng, 1))}) {`, ...body(rng, '    ', (a, b) => `int ${camel(a.split('_'))} = ${camel(b.split('_'))}(${Math.floor(rng.next() * 100)});`), '    return 0;', '  }');
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** Writes the workspace; returns the names of the functions it defines (questions are asked about them). */
export async function generateWorkspace(root: string, files: number, seed = 1): Promise<string[][]> {
  const rng = createRng(seed);
  await rm(root, { recursive: true, force: true });
  const defined: string[][] = [];
  for (let i = 0; i < files; i++) {
    const dir = path.join(root, `pkg${String(Math.floor(i / 50)).padStart(3, '0')}`);
    if (i % 50 === 0) await mkdir(dir, { recursive: true });
    const functions = Array.from({ length: 3 + Math.floor(rng.next() * 5) }, () => name(rng, 3));
    defined.push(...functions);
    const kind = i % 20;
    const base = `${snake(name(rng, 2))}_${i}`;
    if (kind < 8) await writeFile(path.join(dir, `${base}.py`), pythonFile(rng, functions));
    else if (kind < 14) await writeFile(path.join(dir, `${base}.ts`), typescriptFile(rng, functions));
    else if (kind < 17) await writeFile(path.join(dir, `${base}.go`), goFile(rng, functions));
    else await writeFile(path.join(dir, `${pascal(base.split('_'))}.java`), javaFile(rng, functions, pascal(base.split('_'))));
  }
  await mkdir(path.join(root, 'node_modules', 'left-out'), { recursive: true });
  await writeFile(path.join(root, 'node_modules', 'left-out', 'index.js'), 'module.exports = 1;\n');
  await writeFile(path.join(root, '.env'), 'API_KEY=never-indexed-0123456789\n');
  return defined;
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const f of await readdir(dir)) total += (await stat(path.join(dir, f))).size;
  return total;
}

export async function benchmarkWorkspace(options: { files: number; dir: string; embedder: Embedder; questions?: number; onProgress?: (message: string) => void }): Promise<WorkspaceBenchmark> {
  const root = path.join(options.dir, 'workspace');
  const indexDir = path.join(options.dir, 'index');
  options.onProgress?.(`generating a workspace of ${options.files} files`);
  const defined = await generateWorkspace(root, options.files);
  await rm(indexDir, { recursive: true, force: true });
  options.onProgress?.(`indexing it with ${options.embedder.id}`);
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  let started = performance.now();
  let cpu = process.cpuUsage();
  const index = await WorkspaceIndex.open(indexDir, { root, embedder: options.embedder });
  const built = await index.refresh(undefined, (done, total) => {
    if (done % 1000 < 256) options.onProgress?.(`  ${done}/${total} files`);
  });
  const buildMs = performance.now() - started;
  const buildCpuMs = cpuMs(cpu);

  const reindex: number[] = [];
  const edited = path.join(root, 'pkg000');
  const [first] = (await readdir(edited)).sort();
  for (let i = 0; i < 5; i++) {
    await writeFile(path.join(edited, first as string), pythonFile(createRng(100 + i), [name(createRng(200 + i), 3)]));
    started = performance.now();
    await index.updateFile(`pkg000/${first as string}`);
    reindex.push(performance.now() - started);
  }
  started = performance.now();
  await index.refresh();
  const unchangedRefreshMs = performance.now() - started;

  const parser = new SourceParser({ warn: (m) => options.onProgress?.(m) });
  const parse: number[] = [];
  const sources = (await readdir(root, { recursive: true })).map(String).filter((f) => parser.covers(f)).sort().slice(0, 200);
  for (const file of sources) {
    const text = await readFile(path.join(root, file), 'utf8');
    started = performance.now();
    await parser.parse(file, text);
    parse.push(performance.now() - started);
  }

  const rng = createRng(7);
  const assembly: number[] = [];
  const assemblyCpu: number[] = [];
  for (let i = 0; i < (options.questions ?? 20); i++) {
    const f = pick(rng, defined.map((d) => d.join(' '))).split(' ');
    const question = i % 2 === 0 ? `Why does ${snake(f)} return the wrong ${pick(rng, WORDS)} when the ${pick(rng, WORDS)} is empty?` : `The ${f.join(' ')} breaks after the ${pick(rng, WORDS)} ${pick(rng, WORDS)} changed; where is it computed?`;
    started = performance.now();
    cpu = process.cpuUsage();
    const found = await retrieveChunks(index, options.embedder, root, question);
    fitContext(found.items, contextRoom([undefined], 500, 8192));
    assembly.push(performance.now() - started);
    assemblyCpu.push(cpuMs(cpu));
  }
  // The decision each ask makes before anything else: calibrated once per version of the index, then one match per question.
  const lookup = evidenceLookup(index);
  started = performance.now();
  lookup.unrelated();
  const calibrationMs = performance.now() - started;
  const decision: number[] = [];
  for (let i = 0; i < (options.questions ?? 20); i++) {
    const question = `How does the ${pick(rng, defined.map((d) => d.join(' ')))} handle an empty ${pick(rng, WORDS)}?`;
    started = performance.now();
    workspaceEvidence(question, [], lookup);
    decision.push(performance.now() - started);
  }
  // A new session on the index saved above: read from disk, refreshed (nothing changed), its calibration read from beside
  // it (workspace/savedCalibration), the question decided and its context assembled.
  const question = `How does the ${pick(rng, defined.map((d) => d.join(' ')))} handle an empty ${pick(rng, WORDS)}?`;
  started = performance.now();
  const reopened = await WorkspaceIndex.open(indexDir, { root, embedder: options.embedder });
  await reopened.refresh();
  if (workspaceEvidence(question, [], evidenceLookup(reopened)).found) fitContext((await retrieveChunks(reopened, options.embedder, root, question)).items, contextRoom([undefined], 500, 8192));
  const firstAskMs = performance.now() - started;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    files: built.files,
    chunks: built.chunks,
    embedder: options.embedder.id,
    buildMs: Math.round(buildMs),
    buildCpuMs: Math.round(buildCpuMs),
    chunksPerSecond: Math.round(built.chunks / (buildMs / 1000)),
    reindexOneMs: round(percentile(reindex, 0.5)),
    unchangedRefreshMs: Math.round(unchangedRefreshMs),
    assemblyP50Ms: round(percentile(assembly, 0.5)),
    assemblyP95Ms: round(percentile(assembly, 0.95)),
    assemblyCpuP50Ms: round(percentile(assemblyCpu, 0.5)),
    calibrationMs: Math.round(calibrationMs),
    decisionP50Ms: round(percentile(decision, 0.5)),
    decisionP95Ms: round(percentile(decision, 0.95)),
    firstAskMs: Math.round(firstAskMs),
    parseP50Ms: round(percentile(parse, 0.5)),
    parseP95Ms: round(percentile(parse, 0.95)),
    indexBytes: await folderBytes(indexDir),
    goals: { buildMs: 30_000, reindexOneMs: 100, assemblyP50Ms: 150 },
  };
}
