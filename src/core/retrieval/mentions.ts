/**
 * The code a question names: identifiers (`split_graphemes`, `parseScores`, `Console.print`, anything in backticks)
 * and file names (`cells.py`, `lib/parse.ts`). A user who writes them means that code, whatever a vector says.
 */

export interface Mentions {
  /** Identifiers as written (case kept). */
  identifiers: string[];
  /** File names or paths as written, with `/` separators. */
  files: string[];
}

const FILE_EXTENSIONS = 'py|pyi|ts|tsx|mts|cts|js|jsx|mjs|cjs|go|java|kt|rs|rb|php|c|h|cc|cpp|hpp|cs|swift|scala|md|rst|json|ya?ml|toml|cfg|ini|txt|html|css|scss|sh|sql|vue|svelte|dart|lua|r|ex|exs';
const FILE_NAME = new RegExp(`(?<![\\w/.-])((?:[\\w.-]+[\\\\/])*[\\w-]+(?:\\.[\\w-]+)*\\.(?:${FILE_EXTENSIONS}))(?![\\w-])`, 'gi');
const WORD = /[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g;

/**
 * Names of languages, tools and products written in CamelCase, and constants people write in prose: not code of the
 * workspace ("How do I type this in TypeScript?" names no identifier, and must not send the workspace's chunks).
 */
const PROSE_NAMES = new Set(
  [
    'JavaScript', 'TypeScript', 'CoffeeScript', 'ActionScript', 'PowerShell', 'WebAssembly', 'GitHub', 'GitLab', 'BitBucket', 'PostgreSQL', 'MySQL',
    'NoSQL', 'MongoDB', 'DynamoDB', 'CouchDB', 'MariaDB', 'SQLite', 'GraphQL', 'OAuth', 'OpenAI', 'ChatGPT', 'OpenRouter', 'LangChain', 'NumPy',
    'SciPy', 'PyTorch', 'TensorFlow', 'FastAPI', 'NodeJS', 'NestJS', 'NextJS', 'VueJS', 'VSCode', 'IntelliJ', 'PyCharm', 'WebStorm', 'PyPI',
    'LaTeX', 'YouTube', 'LinkedIn', 'DevOps', 'iOS', 'macOS', 'iPhone', 'iPad', 'NaN', 'WebSocket', 'WebSockets', 'WebGL', 'WebGPU', 'HuggingFace',
    'DeepSeek', 'OpenMP', 'CMake', 'AutoCAD', 'MacBook', 'SharePoint', 'OneDrive', 'WordPress', 'JetBrains', 'AppKit', 'UIKit', 'SwiftUI',
  ].map((n) => n.toLowerCase()),
);

/** A word written as code: snake_case, camelCase, PascalCase with two humps, dunder, or followed by `(`. */
function looksLikeCode(word: string, followedByParen: boolean): boolean {
  if (word.length < 3 && !followedByParen) return false;
  if (!followedByParen && PROSE_NAMES.has(word.toLowerCase())) return false;
  return followedByParen || word.includes('.') || /[a-z0-9]_[a-z0-9]|^_|_$/i.test(word) || /[a-z][A-Z]/.test(word) || /^[A-Z][a-z0-9]+[A-Z]/.test(word);
}

/** The identifiers and file names in a question. */
export function mentionsIn(question: string): Mentions {
  const files = new Set<string>();
  for (const m of question.matchAll(FILE_NAME)) files.add((m[1] as string).replace(/\\/g, '/'));
  const identifiers = new Set<string>();
  const add = (word: string) => {
    for (const part of [word, ...word.split('.')]) if (part.length >= 2 && !/^\d/.test(part)) identifiers.add(part);
  };
  for (const m of question.matchAll(/`([^`\n]+)`/g)) for (const w of (m[1] as string).matchAll(WORD)) add(w[0]);
  const withoutFiles = question.replace(FILE_NAME, ' ');
  for (const m of withoutFiles.matchAll(WORD)) {
    const end = (m.index ?? 0) + m[0].length;
    if (looksLikeCode(m[0], withoutFiles[end] === '(')) add(m[0]);
  }
  return { identifiers: [...identifiers], files: [...files] };
}

/**
 * Whether `path` is the file a mention names: the same name, a path that ends with the mentioned path, or — a
 * traceback's absolute path, `/home/me/src/sympy/sympy/core/basic.py` — a mention that ends with the file's path, folder
 * and all.
 */
export function pathMatches(path: string, mention: string): boolean {
  const p = path.toLowerCase();
  const m = mention.toLowerCase().replace(/^\.\//, '');
  return p === m || p.endsWith(`/${m}`) || (p.includes('/') && m.endsWith(`/${p}`));
}

/**
 * A file name names a file of the workspace when at most this many of its files answer to it (pathMatches): `setup.py`
 * or `rich/cells.py` does; `conf.py` or `__init__.py`, which dozens of a code base's files are called, names none of them.
 */
export const NAMED_FILE_MATCHES = 3;

/** Whether the mention names a file among `paths`: one to NAMED_FILE_MATCHES of them answer to it. */
export function namesFileIn(paths: Iterable<string>, mention: string): boolean {
  let matches = 0;
  for (const p of paths) if (pathMatches(p, mention) && ++matches > NAMED_FILE_MATCHES) return false;
  return matches > 0;
}

const patterns = new Map<string, RegExp>();
/** The identifier as a whole word (not a part of a longer name). */
function usePattern(id: string): RegExp {
  let pattern = patterns.get(id);
  if (pattern === undefined) {
    if (patterns.size > 1000) patterns.clear();
    pattern = new RegExp(`(?<![\\w$])${id.replace(/[.$]/g, '\\$&')}(?![\\w$])`);
    patterns.set(id, pattern);
  }
  return pattern;
}

/** Whether `text` uses the identifier `id` as a whole word. */
export function usesIdentifier(text: string, id: string): boolean {
  return usePattern(id).test(text);
}
