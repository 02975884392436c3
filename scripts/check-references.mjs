// Comments, READMEs and docs that stand on their own: no citation of a document the repository does not hold (a section
// of the shared design card: "DESIGN" and a section sign), every path they name exists, and every relative link of a
// markdown file (README.md, docs/*.md) leads somewhere: `[text](docs/banks.md)`, `[text](../README.md#quick-start)` and
// `[text](#a-damaged-bank)` name a file or folder of the repository, and an anchor into a markdown file names one of its
// headings as GitHub makes their anchors (lower case, punctuation but `-` and `_` dropped, spaces as `-`, `-1`, `-2` …
// after a repeated heading). URLs (`https:`, `mailto:`) are not checked; links inside code are not links. A path is a token that starts at a top folder of the repository (`src/core/routing/rps.ts`,
// `test/fixtures/repo.ts`, `docs/design-notes.md`) or at a folder of src/ followed by more of a path (`core/retrieval/ranking`,
// `llm/relay.ts`); it may leave out `.ts`/`.mjs`, end in `#symbol` or `:line`, and may be relative to the file naming it.
// Globs and placeholders (`src/<folder>/**/test/`) are not paths. Read: the comments of every .ts/.mjs/.cjs file
// (TypeScript's scanner, so strings and regular expressions are never mistaken for comments) and every README.md and
// docs/*.md. CHANGELOG.md is history and names what was, so it is left out; so are fixture data (workspaces, code).
// Run by `npm run lint`; `node scripts/check-references.mjs DIR` checks another tree (its tests do).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Required, not imported: an import of TypeScript's CommonJS package has Node scan all of typescript.js for its exports.
const ts = createRequire(import.meta.url)('typescript');

/** Folders never read: dependencies, build output, fixture data copied from other projects. */
const SKIPPED = ['node_modules', 'dist', 'out', '.git', '.cache', '.test-results', 'test/fixtures/workspaces', 'test/fixtures/code', 'test/fixtures/statements', 'test/vendor'];
const CODE = /\.(ts|mts|mjs|cjs)$/;
const TOP_FOLDERS = ['src', 'test', 'docs', 'scripts', 'media', '.eslintplugin'];
const EXTENSIONS = ['', '.ts', '.mjs', '.cjs', '.js', '.md', '.json', '/index.ts'];

/** The citation the check refuses: a section of a design document the repository does not hold. */
export const FOREIGN_CITATION = /DESIGN\s*§/;

/** Whether `file` (relative, `/` separators) is in a folder never read. */
const skipped = (file) => SKIPPED.some((s) => file === s || file.startsWith(`${s}/`) || file.includes(`/${s}/`));

/**
 * Files whose comments or text are read, relative to `root`, with `/` separators. A skipped folder is not entered: the
 * walk neither reads node_modules nor races the test suites writing .test-results (lint runs beside them).
 */
export function filesToRead(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const file = dir ? `${dir}/${entry.name}` : entry.name;
      if (skipped(file)) continue;
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && !file.endsWith('.d.ts') && !file.endsWith('.d.mts')) {
        const markdown = entry.name === 'README.md' || (file.startsWith('docs/') && file.endsWith('.md'));
        if (markdown || CODE.test(entry.name)) out.push(file);
      }
    }
  };
  walk('');
  return out.sort();
}

/** The comments of a code file, each with the line it starts on. */
export function commentsOf(text, fileName = 'x.ts') {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, fileName.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const seen = new Set();
  const comments = [];
  const collect = (ranges) => {
    for (const r of ranges ?? []) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      comments.push({ text: text.slice(r.pos, r.end), line: source.getLineAndCharacterOfPosition(r.pos).line + 1 });
    }
  };
  const visit = (node) => {
    collect(ts.getLeadingCommentRanges(text, node.pos));
    collect(ts.getTrailingCommentRanges(text, node.end));
    // Tokens are not nodes of the tree: their comments are found from the children's positions.
    node.getChildren(source).forEach(visit);
  };
  visit(source);
  return comments.sort((a, b) => a.line - b.line);
}

/** Path-like tokens of a text: the candidates, before they are resolved. */
export function pathTokens(text, srcFolders) {
  const heads = [...TOP_FOLDERS, ...srcFolders].map((f) => f.replace('.', '\\.')).join('|');
  const re = new RegExp(`(?<![\\w./@<-])(?:\\./)?(?:${heads})/[\\w.\\-/<>*{}…]*[\\w*}>]`, 'g');
  const tokens = [];
  for (const m of text.matchAll(re)) {
    const token = m[0];
    // Globs, placeholders and elisions name no one path.
    if (/[*<>{}…]/.test(token)) continue;
    const head = token.replace(/^\.\//, '').split('/')[0];
    // A folder of src/ alone ("core/", "bank/") is a word; it counts as a path with one more segment.
    if (!TOP_FOLDERS.includes(head) && token.replace(/^\.\//, '').split('/').filter(Boolean).length < 2) continue;
    // A URL's path (`example.com/src/…`) is not ours: skipped by the look-behind on `.` and `/`.
    tokens.push({ token, at: m.index });
  }
  return tokens;
}

/** Whether `token`, named in `file`, is a path of the tree under `root`. */
export function resolves(root, file, token) {
  const bare = token.replace(/[#:].*$/, '').replace(/\/$/, '').replace(/^\.\//, '');
  // `core/ask/contextMessage.askMessage`: a module and a name it exports.
  const forms = [bare, bare.replace(/\.[A-Za-z_]\w*$/, '')];
  const bases = [root, path.join(root, 'src'), path.join(root, path.dirname(file))];
  return forms.some((form) => bases.some((base) => EXTENSIONS.some((ext) => existsSync(path.join(base, form + ext)))));
}

/** GitHub's anchor of a heading's text: as rendered (links by their text, no tags), lower case, punctuation but `-` and `_` dropped, each space a `-`. */
export function headingSlug(heading) {
  const rendered = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]*>/g, '').trim().toLowerCase();
  return rendered.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** The lines of a markdown text with fenced code blocks blanked (so their `#` lines and brackets are neither headings nor links). */
function outsideFences(markdown) {
  let fence;
  return markdown.split('\n').map((line) => {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f && (fence === undefined || (f[1][0] === fence[0] && f[1].length >= fence.length))) {
      fence = fence === undefined ? f[1] : undefined;
      return '';
    }
    return fence === undefined ? line : '';
  });
}

/** The anchors GitHub gives a markdown text's headings (ATX headings, `#` to `######`), and those of `<a name|id="…">`. */
export function anchorsOf(markdown) {
  const anchors = new Set();
  const seen = new Map();
  for (const line of outsideFences(markdown)) {
    const h = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (!h) continue;
    const slug = headingSlug(h[1]);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  for (const m of markdown.matchAll(/<a\s[^>]*\b(?:name|id)="([^"]+)"/g)) anchors.add(m[1]);
  return anchors;
}

/** The link targets of a markdown text outside code (inline links, images and reference definitions), with their lines. */
export function linksOf(markdown) {
  // Code spans blanked character for character, so what follows keeps its line.
  const text = outsideFences(markdown).join('\n').replace(/(`+)[\s\S]*?\1/g, (span) => span.replace(/[^\n]/g, ' '));
  const lineAt = (index) => text.slice(0, index).split('\n').length;
  const links = [];
  for (const m of text.matchAll(/!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*(<[^>\n]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
    links.push({ target: m[1].replace(/^<|>$/g, ''), line: lineAt(m.index) });
  }
  for (const m of text.matchAll(/^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)/gm)) links.push({ target: m[1].replace(/^<|>$/g, ''), line: lineAt(m.index) });
  return links.sort((a, b) => a.line - b.line);
}

/** Why a relative link of `file` (a markdown file of the tree under `root`) leads nowhere; undefined when it leads somewhere or is a URL. */
export function brokenLink(root, file, target) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return undefined;
  const hash = target.indexOf('#');
  const rawPath = hash < 0 ? target : target.slice(0, hash);
  const anchor = hash < 0 ? undefined : target.slice(hash + 1);
  let linked;
  try {
    linked = decodeURIComponent(rawPath);
  } catch {
    return `links to ${target}, which is not a well-formed path`;
  }
  const resolved = linked === '' ? path.join(root, file) : linked.startsWith('/') ? path.join(root, linked) : path.join(root, path.dirname(file), linked);
  const relative = path.relative(root, resolved).split(path.sep).join('/');
  if (relative.startsWith('..') || path.isAbsolute(relative)) return `links to ${target}, which is outside the repository`;
  if (!existsSync(resolved)) return `links to ${target}, which does not exist`;
  if (anchor === undefined || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) return undefined;
  const anchors = anchorsOf(readFileSync(resolved, 'utf8'));
  let name = anchor;
  try {
    name = decodeURIComponent(anchor);
  } catch {
    // An anchor that is not percent-encoding is looked up as written.
  }
  if (anchors.has(name)) return undefined;
  return `links to ${target}, but ${relative || file} has no heading whose anchor is #${anchor}`;
}

/** Problems in the tree under `root`: `file:line: message`. */
export function referenceProblems(root) {
  const srcFolders = existsSync(path.join(root, 'src')) ? readdirSync(path.join(root, 'src')).filter((f) => statSync(path.join(root, 'src', f)).isDirectory()) : [];
  const problems = [];
  for (const file of filesToRead(root)) {
    const text = readFileSync(path.join(root, file), 'utf8');
    // A code file whose whole text names no path and cites nothing has no comment that does: it is not parsed.
    const namesAny = () => FOREIGN_CITATION.test(text) || pathTokens(text, srcFolders).length > 0;
    const parts = !CODE.test(file) ? [{ text, line: 1 }] : namesAny() ? commentsOf(text, file) : [];
    for (const part of parts) {
      const lineAt = (index) => part.line + part.text.slice(0, index).split('\n').length - 1;
      const citation = FOREIGN_CITATION.exec(part.text);
      if (citation) problems.push(`${file}:${lineAt(citation.index)}: cites "${citation[0]}", a document the repository does not hold: write the reason here, or point to docs/`);
      for (const { token, at } of pathTokens(part.text, srcFolders)) {
        if (!resolves(root, file, token)) problems.push(`${file}:${lineAt(at)}: names ${token}, which does not exist`);
      }
    }
    if (!CODE.test(file)) {
      for (const { target, line } of linksOf(text)) {
        const why = brokenLink(root, file, target);
        if (why !== undefined) problems.push(`${file}:${line}: ${why}`);
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const problems = referenceProblems(root);
  for (const p of problems) console.error(p);
  if (problems.length > 0) console.error(`${problems.length} reference(s) to fix: comments, READMEs and docs name and link to only what the repository holds`);
  process.exit(problems.length > 0 ? 1 : 0);
}
