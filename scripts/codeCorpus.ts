/**
 * The code part of the background corpus, read the same way by scripts/background-terms.ts (all languages together)
 * and scripts/language-terms.ts (each language apart): every folder of a code directory is a repository; its source
 * files by extension — no vendored, generated or minified files, none over 1 MB — at most a cap of them a repository,
 * drawn at random with the seed and the repository's name, so that no one repository dominates.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
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

