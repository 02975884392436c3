/**
 * What the user attaches in the question box by `#`: `#file:lib/parse.ts` (or `#parse.ts`), `#problems`, `#terminal`
 * and `#codebase`; each file mention resolved against the workspace's files, and what the box completes with (the
 * keywords a query starts, the files it matches fuzzily).
 */
import { pathMatches } from './mentions';

export interface HashMentions {
  /** Files named after `#` (`#file:x` or `#x.ext`), as written. */
  files: string[];
  problems: boolean;
  terminal: boolean;
  codebase: boolean;
}

/** The `#` keywords, in the order the question box offers them, with what each adds to the question. */
export const HASH_KEYWORDS = [
  { name: 'codebase', description: 'search the workspace for this question' },
  { name: 'problems', description: 'errors and warnings in the workspace' },
  { name: 'terminal', description: "the terminal's recent output" },
] as const;
export type HashKeyword = (typeof HASH_KEYWORDS)[number];

const KEYWORDS = new Set<string>(HASH_KEYWORDS.map((k) => k.name));

/** The keywords that start with what follows `#` (`#co` → codebase; `#` alone → all); a prefix, so a file's name is not taken for one. */
export function keywordsStarting(query: string): HashKeyword[] {
  const q = query.toLowerCase();
  return HASH_KEYWORDS.filter((k) => k.name.startsWith(q));
}
/** A `#` that starts a mention: not inside a word, nor after `.` — `this.#res.headers` is a JavaScript private field. */
const HASH = /(?<![\w#.$])#(?:file:)?([\w./\\-]+)/g;
/** Code the question quotes — fenced blocks (one left open runs to the end) and inline spans — where a `#` is code's. */
const QUOTED_CODE = /^[ \t]*(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^[ \t]*\1[ \t]*$|(?![\s\S]))|`[^`\n]+`/gm;

/**
 * The `#` mentions of a question. A `#word` that is neither a keyword nor a file name (`#1`, `#todo`) is not one, nor
 * is a `#` in pasted code: a private field (`this.#res.headers.entries()`), or anything in quoted code.
 */
export function hashMentionsIn(question: string): HashMentions {
  const found: HashMentions = { files: [], problems: false, terminal: false, codebase: false };
  for (const m of question.replace(QUOTED_CODE, (code) => code.replace(/[^\n]/g, ' ')).matchAll(HASH)) {
    const word = (m[1] as string).replace(/[.,;:!?)]+$/, '');
    const explicitFile = m[0].startsWith('#file:');
    if (!explicitFile && KEYWORDS.has(word.toLowerCase())) found[word.toLowerCase() as 'problems' | 'terminal' | 'codebase'] = true;
    else if (explicitFile || /[./\\]/.test(word)) found.files.push(word.replace(/\\/g, '/'));
  }
  found.files = [...new Set(found.files)];
  return found;
}

/** The workspace file a mention names: the exact path, else the one file whose path ends with it (shortest wins a tie). */
export function resolveFileMention(mention: string, files: readonly string[]): string | undefined {
  const exact = files.find((f) => f === mention.replace(/^\.\//, ''));
  if (exact !== undefined) return exact;
  const matches = files.filter((f) => pathMatches(f, mention));
  return matches.sort((a, b) => a.length - b.length || a.localeCompare(b))[0];
}

/** Greedy subsequence score of `q` in `p` from index `from`; undefined when `q` is not a subsequence there. */
function subsequenceScore(q: string, p: string, from: number, nameStart: number): number | undefined {
  let score = 0;
  let at = from - 1;
  for (const ch of q) {
    const next = p.indexOf(ch, at + 1);
    if (next < 0) return undefined;
    score += 1;
    if (next === at + 1 && at >= from) score += 2;
    if (next >= nameStart) score += 2;
    if (next === 0 || /[/._-]/.test(p[next - 1] as string)) score += 3;
    at = next;
  }
  return score;
}

/**
 * How well `query` matches `path` as a subsequence of its characters (case-insensitive), higher is better; undefined
 * when it does not. Characters matched in the file name, at a word start, or right after the previous match count
 * more; a query the file name alone holds is matched there.
 */
export function fuzzyScore(query: string, path: string): number | undefined {
  const q = query.toLowerCase();
  if (q === '') return 0;
  const p = path.toLowerCase();
  const nameStart = p.lastIndexOf('/') + 1;
  const best = subsequenceScore(q, p, nameStart, nameStart) ?? subsequenceScore(q, p, 0, nameStart);
  return best === undefined ? undefined : best - p.length / 100;
}

/** The files that match `query` best, at most `limit`, best first (shorter paths win a tie). */
export function fuzzyFiles(query: string, files: readonly string[], limit = 20): string[] {
  const scored: [string, number][] = [];
  for (const f of files) {
    const s = fuzzyScore(query, f);
    if (s !== undefined) scored.push([f, s]);
  }
  return scored.sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0])).slice(0, limit).map(([f]) => f);
}
