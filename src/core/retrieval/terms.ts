/**
 * The exact-match side of workspace retrieval: a text's terms (words and identifiers, whole and split into their
 * parts — `split_graphemes` counts as `split_graphemes`, `split` and `graphem` — each word and part lightly stemmed,
 * so "rendering", "rendered" and `render` meet) hashed to 32-bit ids with their counts, and BM25 over any set of such
 * documents. Chunks keep their terms, so a file's counts are its chunks' sums.
 */

/** A document's distinct term ids (ascending) with their counts, and its length in terms. */
export interface TermCounts {
  ids: Uint32Array;
  counts: Uint16Array;
  length: number;
}

// ASCII classes run several times faster than Unicode properties over a whole workspace: a run of non-ASCII
// characters is a term of its own (`café` gives `caf` and `é`), which BM25 still matches between question and code.
const WORD = /\w+|[^\p{ASCII}]+/gu;
const PLAIN = /^[a-z0-9]+$/;
// An acronym's plural is one part (`URLs`, `IDs`), not the acronym and a capitalised `Ls`.
const PART = /[A-Z]{2,}s(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+/g;

/** FNV-1a, 32 bits: a term's id. */
export function hash(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) {
    h ^= term.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A light English stemmer (after Porter's first steps): plurals, -ing and -ed, a doubled final consonant and a final
 * e go, so a bug report's "rendering", "styles" and "wrapped" meet the code's `render`, `style` and `wrap`. Words of
 * three letters or fewer are left alone; stems are only ever compared with stems.
 */
export function stem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  let w = word;
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/[^aeiou]ies$/.test(w) || /[^aeiou]ied$/.test(w)) w = `${w.slice(0, -3)}y`;
  else if (/(ch|sh|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (/[^su]s$/.test(w) && !/(is|us)$/.test(w)) w = w.slice(0, -1);
  const suffix = /(ing|ed)$/.exec(w)?.[1];
  if (suffix && w.length - suffix.length >= 3 && /[aeiouy]/.test(w.slice(0, -suffix.length))) {
    w = w.slice(0, -suffix.length);
    if (/([^aeiouslz])\1$/.test(w)) w = w.slice(0, -1);
  }
  return w.length >= 4 && w.endsWith('e') ? w.slice(0, -1) : w;
}

/**
 * A word's terms: itself lower-cased and stemmed, then its parts stemmed when it has more than one
 * (`parseHTTPResponse` → parsehttpresponse, pars, http, respons). A compound keeps its whole form unstemmed: the
 * identifier a question names matches only itself.
 */
function wordTerms(word: string): string[] {
  if (PLAIN.test(word)) return [stem(word)];
  const lower = word.toLowerCase();
  const parts = word.split('_').flatMap((p) => p.match(PART) ?? []);
  return parts.length > 1 ? [lower, ...parts.map((p) => stem(p.toLowerCase()))] : [stem(lower)];
}

/** Every term of a text, in order, lower-cased: each word, then its parts when it has more than one. */
export function termsIn(text: string): string[] {
  return [...text.matchAll(WORD)].flatMap((m) => wordTerms(m[0]));
}

/** A text's term counts; each distinct word is split and hashed once (the index counts every chunk of a workspace). */
export function termCounts(text: string): TermCounts {
  const words = new Map<string, number>();
  for (const m of text.matchAll(WORD)) words.set(m[0], (words.get(m[0]) ?? 0) + 1);
  const counts = new Map<number, number>();
  let length = 0;
  for (const [word, n] of words) {
    for (const term of wordTerms(word)) {
      const id = hash(term);
      counts.set(id, (counts.get(id) ?? 0) + n);
      length += n;
    }
  }
  const ids = Uint32Array.from(counts.keys()).sort();
  return { ids, counts: Uint16Array.from(ids, (id) => Math.min(65_535, counts.get(id) ?? 0)), length };
}

/** How often the term `id` occurs in a document (binary search). */
export function countOf(doc: Pick<TermCounts, 'ids' | 'counts'>, id: number): number {
  let lo = 0;
  let hi = doc.ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = doc.ids[mid] as number;
    if (v === id) return doc.counts[mid] as number;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/**
 * Okapi BM25 (k1 1.2, b 0.75, the non-negative idf) of `lengths.length` documents given the counts of `terms` query
 * terms in each, row by row (`tf[doc * terms + term]`).
 */
export function bm25(tf: ArrayLike<number>, terms: number, lengths: ArrayLike<number>): Float64Array {
  const n = lengths.length;
  const scores = new Float64Array(n);
  if (n === 0) return scores;
  let total = 0;
  for (let d = 0; d < n; d++) total += lengths[d] as number;
  const avg = total / n || 1;
  for (let t = 0; t < terms; t++) {
    let df = 0;
    for (let d = 0; d < n; d++) if ((tf[d * terms + t] as number) > 0) df++;
    if (df === 0) continue;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (let d = 0; d < n; d++) {
      const f = tf[d * terms + t] as number;
      if (f > 0) scores[d] = (scores[d] as number) + (idf * f * 2.2) / (f + 1.2 * (0.25 + (0.75 * (lengths[d] as number)) / avg));
    }
  }
  return scores;
}
