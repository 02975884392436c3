/**
 * Writes src/core/retrieval/backgroundTerms.ts: in how many documents of ordinary code and of ordinary English prose
 * each term occurs, so that retrieval can tell a question's rare words (evidence it is about the workspace) from the
 * words everyone writes, instead of keeping English word lists. Terms are the index's own (`termsIn`, `hash`), each
 * counted once per document. The corpus and how it was laid out: src/core/retrieval/README.md, "The background".
 *
 * Usage: `node --import tsx scripts/background-terms.ts --code DIR[:CAP] … --prose DIR[:CAP] … [--seed N] [--out FILE]`
 * - `--code DIR[:CAP]`: every folder directly in DIR is a repository; each of its source files (by extension; no
 *   vendored, generated or minified files, none over 1 MB) is a code document, at most CAP (default 1,500) a repository,
 *   drawn at random with the seed, so that no one repository dominates.
 * - `--prose DIR[:CAP]`: every paragraph (5 words or more) of the files under DIR is a prose document, at most CAP
 *   (default all) of DIR, drawn the same way: `.txt` paragraphs are separated by blank lines; `.md`, `.markdown` and
 *   `.rst` likewise, without code blocks and tables; a `.json` file is MMLU-Pro records, each question with its options
 *   one document.
 * - `--seed N` (default 1) for the draws; `--out FILE` (default src/core/retrieval/backgroundTerms.ts).
 * The same corpus and seed write the same file.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hash, termsIn } from '../src/core/retrieval/terms';
import { codeDocuments, corpusArgs, draw, filesUnder, type Source } from './codeCorpus';

const MAX_DF = 65_535;

function usage(problem: string): never {
  console.error(`${problem}\nusage: node --import tsx scripts/background-terms.ts --code DIR[:CAP] … --prose DIR[:CAP] … [--seed N] [--out FILE]`);
  process.exit(2);
}

const words = (text: string): number => text.match(/\p{L}+/gu)?.length ?? 0;

function blocks(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').replace(/https?:\/\/\S+/g, ' ').split(/\n[ \t]*\n/);
}

/** Markdown or reStructuredText paragraphs, without fenced or indented code, tables and HTML. */
function docParagraphs(text: string): string[] {
  const unfenced = text.replace(/\r\n?/g, '\n').replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  return blocks(unfenced).filter((b) => !b.split('\n').every((l) => /^( {4}|\t)/.test(l) || l.trim() === '') && !/^\s*[|+<]/.test(b));
}

function mmluQuestions(text: string): string[] {
  const records = JSON.parse(text) as { question: string; options: string[] }[];
  return records.map((r) => [r.question, ...r.options].join('\n'));
}

function paragraphsOf(file: string, text: string): string[] {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return mmluQuestions(text);
  if (ext === '.md' || ext === '.markdown' || ext === '.rst') return docParagraphs(text);
  return ext === '.txt' ? blocks(text) : [];
}

function proseDocuments(source: Source, seed: number): string[] {
  const paragraphs = filesUnder(source.dir)
    .flatMap((f) => paragraphsOf(f, readFileSync(path.join(source.dir, f), 'utf8')))
    .filter((p) => words(p) >= 5);
  return draw(paragraphs, source.cap, seed, path.basename(source.dir));
}

/** Adds one to the document frequency of each distinct term of `text`. */
function count(df: Map<number, number>, text: string): void {
  for (const id of new Set(termsIn(text).map(hash))) df.set(id, (df.get(id) ?? 0) + 1);
}

/** Ascending ids seen in at least two documents of either part, then each one's code df, then its prose df. */
function table(codeDf: Map<number, number>, proseDf: Map<number, number>): Buffer {
  const kept = new Set([...codeDf, ...proseDf].filter(([, n]) => n >= 2).map(([id]) => id));
  const ids = Uint32Array.from(kept).sort();
  const bytes = Buffer.alloc(ids.length * 8);
  ids.forEach((id, i) => {
    bytes.writeUInt32LE(id, i * 4);
    bytes.writeUInt16LE(Math.min(MAX_DF, codeDf.get(id) ?? 0), ids.length * 4 + i * 2);
    bytes.writeUInt16LE(Math.min(MAX_DF, proseDf.get(id) ?? 0), ids.length * 6 + i * 2);
  });
  return bytes;
}

/** `text` as the lines of a block comment, 120 characters at most. */
function wrapped(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length > 115) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].map((l) => ` * ${l}`).join('\n');
}

const args = corpusArgs(process.argv.slice(2), true, usage);
const out = args.out ?? path.join(__dirname, '..', 'src', 'core', 'retrieval', 'backgroundTerms.ts');
const codeDf = new Map<number, number>();
const proseDf = new Map<number, number>();
const repos = args.code.flatMap((s) => codeDocuments(s, args.seed));
for (const repo of repos) for (const doc of repo.docs) count(codeDf, doc.text);
const prose = args.prose.map((s) => ({ name: path.basename(s.dir), docs: proseDocuments(s, args.seed) }));
for (const part of prose) for (const doc of part.docs) count(proseDf, doc);

const codeCount = repos.reduce((n, r) => n + r.docs.length, 0);
const proseCount = prose.reduce((n, p) => n + p.docs.length, 0);
const bytes = table(codeDf, proseDf);
const parts = prose.map((p) => `${p.name} ${p.docs.length}`).join(', ');
const header = `Generated by scripts/background-terms.ts from ${codeCount} source files of ${repos.length} repositories and \
${proseCount} paragraphs of prose (${parts}); do not edit. The corpus: src/core/retrieval/README.md, "The background". \
\`table\`: ${bytes.length / 8} ascending Uint32 term ids, then per id a Uint16 code and a Uint16 prose document \
frequency (little-endian, capped at ${MAX_DF}), in hexadecimal.`;
writeFileSync(
  out,
  `/**
${wrapped(header)}
 */
export const BACKGROUND_TERMS = {
  codeDocuments: ${codeCount},
  proseDocuments: ${proseCount},
  table: '${bytes.toString('hex')}',
} as const;
`,
);
for (const r of repos) console.log(`code ${r.name}: ${r.docs.length}`);
for (const p of prose) console.log(`prose ${p.name}: ${p.docs.length}`);
console.log(`${bytes.length / 8} terms, ${statSync(out).size} bytes → ${out}`);
