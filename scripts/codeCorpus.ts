/**
 * The code part of the background corpus, read the same way by scripts/background-terms.ts (all languages together)
 * and scripts/language-terms.ts (each language apart): every folder of a code directory is a repository; its source
 * files by extension — no vendored, generated or minified files, none over 1 MB — at most a cap of them a repository,
 * drawn at random with the seed and the repository's name, so that no one repository dominates.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hash } from '../src/core/retrieval/terms';
import { createRng, shuffled } from '../src/core/util/rng';

const CODE = new Set(['py', 'pyi', 'pyx', 'js', 'mjs', 'cjs', 'jsx', 'ts', 'tsx', 'mts', 'cts', 'go', 'rs', 'java', 'kt', 'cs', 'c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'hh', 'rb', 'rake', 'php', 'sh']);
const VENDORED = new Set(['vendor', 'vendored', 'third_party', 'thirdparty', 'node_modules', 'deps', 'dist', 'generated', '.git']);
const GENERATED = /\b(DO NOT EDIT|@generated|auto-?generated)\b/i;
const MAX_BYTES = 1 << 20;

/** A folder of repositories and how many files of each at most. */
export interface Source {
  dir: string;
  cap: number;
}

/** A source file of the corpus: its path in its repository and its text. */
export interface CodeDocument {
  file: string;
  text: string;
}

/** Every file under `dir`, as sorted relative paths (the draws depend on the order); a link to nothing is no file. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(path.join(dir, f), { throwIfNoEntry: false })?.isFile() === true)
    .sort();
}

/** `count` of `items` drawn at random by `seed` and `name`, in a fixed order. */
export function draw<T>(items: T[], count: number, seed: number, name: string): T[] {
  return items.length <= count ? items : shuffled(items, createRng(seed ^ hash(name))).slice(0, count);
}

function isSourceFile(dir: string, file: string): boolean {
  const parts = file.split(path.sep);
  const name = parts.at(-1) ?? '';
  if (!CODE.has(path.extname(name).slice(1).toLowerCase()) || /\.min\./.test(name)) return false;
  if (parts.some((p) => VENDORED.has(p.toLowerCase()))) return false;
  return statSync(path.join(dir, file)).size <= MAX_BYTES;
}

/** Whether a file's text reads as hand-written source: no NUL bytes, no generated-file banner, not minified. */
function handWritten(text: string): boolean {
  if (text.includes('\0') || GENERATED.test(text.slice(0, 1000))) return false;
  const lines = text.split('\n');
  return text.length / lines.length < 200;
}

/** Each repository of `source` with its drawn source files. */
export function codeDocuments(source: Source, seed: number): { name: string; docs: CodeDocument[] }[] {
  return readdirSync(source.dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((repo) => {
      const dir = path.join(source.dir, repo);
      const texts = filesUnder(dir)
        .filter((f) => isSourceFile(dir, f))
        .map((file) => ({ file, text: readFileSync(path.join(dir, file), 'utf8') }))
        .filter((doc) => handWritten(doc.text));
      return { name: repo, docs: draw(texts, source.cap, seed, repo) };
    });
}


/** Each repository's files drawn at most, unless a folder says otherwise (`DIR:CAP`). */
const CODE_CAP = 1500;

/** `DIR` or `DIR:CAP` as a folder and its cap. */
function source(value: string, cap: number): Source {
  const [, dir = value, given] = /^(.*):(\d+)$/.exec(value) ?? [];
  return { dir, cap: given ? Number(given) : cap };
}

/**
 * The options the corpus scripts take — `--code DIR[:CAP]` (repeated; 1,500 files a repository unless CAP), with
 * `withProse` `--prose DIR[:CAP]` (repeated; every paragraph unless CAP), `--seed N` (default 1), `--out FILE` — read
 * with node's parseArgs; `fail` is told what is wrong (an unknown option, a missing value or folder).
 */
export function corpusArgs(argv: string[], withProse: boolean, fail: (problem: string) => never): { code: Source[]; prose: Source[]; seed: number; out?: string } {
  let values: { code?: string[]; prose?: string[]; seed?: string; out?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: { code: { type: 'string', multiple: true }, ...(withProse ? { prose: { type: 'string', multiple: true } } : {}), seed: { type: 'string' }, out: { type: 'string' } },
    }) as { values: typeof values });
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  const code = (values.code ?? []).map((v) => source(v, CODE_CAP));
  const prose = (values.prose ?? []).map((v) => source(v, Infinity));
  if (code.length === 0 || (withProse && prose.length === 0)) fail(withProse ? 'give at least one --code and one --prose folder' : 'give at least one --code folder');
  return { code, prose, seed: values.seed === undefined ? 1 : Number(values.seed), ...(values.out !== undefined ? { out: values.out } : {}) };
}
