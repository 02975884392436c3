/**
 * The tree-sitter runtime and its grammars, WebAssembly loaded lazily: the runtime once per process, a language's
 * grammar and tags query the first time a file of it is parsed, each once (a failure too: it is reported once and the
 * language is left to the line scanner from then on). The files are found beside the bundle (dist/parse/, copied there
 * by scripts/parseAssets.mjs) or, running from the sources, in node_modules and src/parse/queries/.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Language, Parser, Query } from '@vscode/tree-sitter-wasm';
import { errorMessage } from '../core/contracts/errors';
import table from './grammars.json';

export type LanguageId = (typeof table.languages)[number]['id'];

/** Where the runtime, the grammars and the queries are. */
export interface ParseFiles {
  runtime: string;
  grammar(language: LanguageId): string;
  /** A query file by its name (`python`, or `ecma` that several inherit). */
  query(name: string): string;
}

/** A language ready to parse: its grammar, a parser set to it and its compiled tags query. */
export interface Grammar {
  language: LanguageId;
  parser: Parser;
  query: Query;
}

const byExtension = new Map<string, LanguageId>(table.languages.flatMap((l) => l.extensions.map((e) => [e, l.id] as const)));

/** The language a file is parsed as, by its extension; undefined when no grammar covers it. */
export function languageOf(file: string): LanguageId | undefined {
  const ext = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase();
  return ext === undefined ? undefined : byExtension.get(ext);
}

/** The files beside the bundle when it was built (dist/parse/), else those of the sources. */
export function shippedFiles(): ParseFiles {
  const bundled = path.join(__dirname, 'parse');
  if (existsSync(path.join(bundled, path.basename(table.runtime)))) return filesIn(bundled, path.join(bundled, 'queries'));
  // A package missing from node_modules is a grammar that cannot be loaded (said when first used), not a parser that cannot be made.
  const resolve = (spec: string): string => {
    try {
      return require.resolve(spec);
    } catch {
      return path.join(__dirname, 'node_modules', spec);
    }
  };
  const grammars = new Map(table.languages.map((l) => [l.id, resolve(l.grammar)]));
  return { runtime: resolve(table.runtime), grammar: (id) => grammars.get(id) ?? '', query: (name) => path.join(__dirname, 'queries', `${name}.scm`) };
}

/** The files as the bundle lays them out: every wasm file in `dir`, the queries in `queries`. */
export function filesIn(dir: string, queries: string): ParseFiles {
  const grammars = new Map(table.languages.map((l) => [l.id, path.join(dir, path.basename(l.grammar))]));
  return { runtime: path.join(dir, path.basename(table.runtime)), grammar: (id) => grammars.get(id) ?? '', query: (name) => path.join(queries, `${name}.scm`) };
}

/** The runtime, started (or starting) once per process by the first caller's files: tree-sitter keeps one module. */
let runtime: Promise<void> | undefined;
/** Runtime files that could not be started, with why: not tried again, their failure told once. */
const brokenRuntimes = new Map<string, string>();

/** Grammars loading or loaded, by grammar and query files: a grammar, or why it could not be loaded. */
const loaded = new Map<string, Promise<Grammar | string>>();

/** `; inherits: ecma, jsx` at the top of a query file (the convention of tree-sitter's own query files). */
const INHERITS = /^;\s*inherits:\s*(.+)$/m;

/** A query file with the files it inherits before it, each once. */
async function querySource(files: ParseFiles, name: string, seen = new Set<string>()): Promise<string> {
  if (seen.has(name)) return '';
  seen.add(name);
  const text = await readFile(files.query(name), 'utf8');
  const inherited = INHERITS.exec(text)?.[1]?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
  const parts: string[] = [];
  for (const parent of inherited) parts.push(await querySource(files, parent, seen));
  return [...parts, text].join('\n');
}

/** Starts the runtime from `file` unless it started already; why it could not, once per file (undefined after that). */
async function started(file: string, warn: (message: string) => void): Promise<boolean> {
  if (brokenRuntimes.has(file)) return false;
  // Emscripten prints its own failure on stderr: the warning below says it once, in words.
  const options = { locateFile: () => file, printErr: () => undefined };
  const starting = (runtime ??= Parser.init(options));
  try {
    await starting;
    return true;
  } catch (err) {
    if (runtime === starting) runtime = undefined;
    if (!brokenRuntimes.has(file)) {
      brokenRuntimes.set(file, errorMessage(err));
      warn(`the tree-sitter runtime could not be loaded (${errorMessage(err)}): source files are cut by the line scanner`);
    }
    return false;
  }
}

async function load(files: ParseFiles, language: LanguageId): Promise<Grammar> {
  const grammar = await Language.load(files.grammar(language));
  const parser = new Parser();
  parser.setLanguage(grammar);
  return { language, parser, query: new Query(grammar, await querySource(files, language)) };
}

/**
 * A language's grammar, loaded the first time it is asked for; undefined when it cannot be (a file missing, a bad
 * wasm file, a query the grammar does not know, a runtime that did not start), and `warn` is told why — once: later
 * asks get undefined quietly.
 */
export async function grammarFor(files: ParseFiles, language: LanguageId, warn: (message: string) => void): Promise<Grammar | undefined> {
  if (!(await started(files.runtime, warn))) return undefined;
  const key = `${files.grammar(language)}\n${files.query(language)}`;
  let found = loaded.get(key);
  if (found === undefined) {
    found = load(files, language).catch((err: unknown) => {
      const message = `the ${language} grammar could not be loaded (${errorMessage(err)}): its files are cut by the line scanner`;
      warn(message);
      return message;
    });
    loaded.set(key, found);
  }
  const grammar = await found;
  return typeof grammar === 'string' ? undefined : grammar;
}
