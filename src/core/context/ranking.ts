/**
 * Ranks a workspace for a question: whole files first, then the parts of the chosen files. A file is scored by BM25F
 * over fields that mean something for code — its path (segments and name split: `progress_bar.py` → progress, bar),
 * the names it defines, its text — with one saturation per term, plus the embedder's similarity and the exact matches
 * of what the question names (a definition, a file, an identifier used). Prose, issue templates and CI files enter only
 * when the question is about them. A floor relative to the best file decides which files go, so the budget is a
 * ceiling and not a quota; when no file matches convincingly, nothing goes. Within a chosen file, its best chunks.
 */
import { fileKind, type FileKind } from './fileKinds';
import { pathMatches, type Mentions } from './mentions';
import { countOf, hash, termCounts, termsIn, type TermCounts } from './terms';

/** What the ranking knows of an indexed chunk. */
export interface ChunkRef {
  path: string;
  startLine: number;
  endLine: number;
  symbols: readonly string[];
}

/** The fields of a file besides its text: its path's terms and the terms of the names it defines. */
export interface FileFields {
  path: TermCounts;
  names: TermCounts;
}

/** A file as the ranking reads it: its chunks, each chunk's terms and its similarity to the question's vector. */
export interface RankableFile<C extends ChunkRef = ChunkRef> {
  path: string;
  chunks: readonly C[];
  terms: readonly TermCounts[];
  fields: FileFields;
  /** Per chunk, the cosine of its vector and the question's. */
  similarity: ArrayLike<number>;
}

/** A chunk chosen to be sent, with its score and why it was chosen, in the user's words. */
export interface RankedChunk<C extends ChunkRef = ChunkRef> {
  chunk: C;
  score: number;
  reason: string;
}

export interface Ranking<C extends ChunkRef = ChunkRef> {
  /** In the order they are to be sent: each chosen file's best chunk, best file first, then further chunks. */
  chunks: RankedChunk<C>[];
  /** Why nothing was chosen, when nothing was. */
  note?: string;
}

/** What the ranking reads of a question. */
export interface RankQuery {
  mentions: Mentions;
  /** Term ids of the question's content words (words of asking left out), each once. */
  terms: Uint32Array;
  /** The question's word for each term id (for reasons). */
  words: ReadonlyMap<number, string>;
  /** Kinds of files besides code the question is about (prose: "the docs", "CONTRIBUTING"; CI: "the workflow"). */
  about: ReadonlySet<FileKind>;
  /** The question is about tests ("the failing test"): test files are not lowered. */
  tests: boolean;
  /** The question is about examples, benchmarks, docs or scripts: their code is not lowered. */
  aside: boolean;
}

/** BM25F field weights: a term in a file's path or among the names it defines says more than one in its text. */
export const FIELD_WEIGHT = { text: 1, path: 3, names: 2 } as const;
/** Okapi's constants. */
const K1 = 1.2;
const B = 0.75;
/** The embedder's similarity, divided by the best file's, beside BM25F divided by the best file's. */
export const SIMILARITY_WEIGHT = 0.3;
/** Added for exact matches of what the question names: a definition (shared among its definers), a file, identifiers used. */
export const BOOST = { defines: 1, namedFile: 1, uses: 0.3 } as const;
/**
 * Configuration and data files count this much of their score; so do tests, and examples, benchmarks, documentation
 * builds and scripts, unless the question is about them: a bug report asks for the code that runs.
 */
export const LOWERED = { other: 0.5, test: 0.7, aside: 0.7 } as const;
/** A file goes when its score is at least this share of the best file's. */
export const FILE_FLOOR = 0.45;
/** At most this many files go. */
export const MAX_FILES = 10;
/** A further chunk of a chosen file goes when its score is at least this share of the file's best chunk… */
export const CHUNK_FLOOR = 0.6;
/** …and the file has fewer chunks chosen than this: three for the best file, two for the next two, one for the rest. */
const CHUNKS_PER_FILE = [3, 2, 2, 1] as const;
/**
 * The best file must match at least this share of the question's term weight (idf; a word found nowhere weighs as
 * much as the average found one), or something the question names.
 */
export const CONVINCING_COVERAGE = 0.2;

/**
 * Words of asking, not of the thing asked about (stemmed as terms are): a bug report's "I think I found a bug… which
 * code is responsible?" shares them with every CONTRIBUTING file and issue template, and says nothing of which code.
 */
const ASKING = new Set(
  (
    'i me my we our you your it its this that these those there here is are was were be been being am a an the of in on at to ' +
    'for from by with and or but so if then than as do does did done can could would should will shall may might must have has ' +
    'had what which who whom whose why how when where think thought found bug bugs code responsible report reported reporting ' +
    'please help hi hello thank thanks know wonder seem seems seemed happen happens happened anyone someone something somehow ' +
    'wrong expected actually really just also still even some any like them they their such e g ie eg'
  )
    .split(' ')
    .flatMap((w) => termsIn(w)),
);

const PROSE_TOPIC = /\b(docs?|documentation|readme|contributing|contributors?|changelog|change log|release notes?|licen[cs]es?|code of conduct|templates?|faq|guides?|tutorials?|manual|wiki)\b/i;
const CI_TOPIC = /\b(ci|continuous integration|workflows?|github actions?|pipelines?|travis|circleci|pre-commit|dependabot)\b/i;
const TEST_TOPIC = /\b(tests?|testing|spec|specs|test suite|pytest|jest|mocha|vitest|unit tests?)\b/i;
/** Code beside the product: examples, benchmarks, documentation builds, tools and scripts. */
const ASIDE_FILE = /(^|\/)(examples?|samples?|demos?|benchmarks?|bench|docs?|tools|scripts)\//;
const ASIDE_TOPIC = /\b(examples?|samples?|demos?|benchmarks?|docs?|documentation|tools?|scripts?)\b/i;
const TEST_FILE = /(^|\/)(tests?|__tests__|testing|spec)\/|_test\.(go|py)$|(^|\/)test_[^/]+\.py$|\.(test|spec)\.[cm]?[jt]sx?$|Tests?\.(java|kt|cs)$/;

/** The question as the ranking reads it. */
export function rankQuery(question: string, mentions: Mentions): RankQuery {
  const words = new Map<number, string>();
  for (const m of question.matchAll(/[\w$]+/g)) {
    for (const term of termsIn(m[0])) {
      // Numbers in a report are its data (a URL's id, a version), not names of code.
      if (term.length < 2 || ASKING.has(term) || /^\d+$/.test(term)) continue;
      const id = hash(term);
      if (!words.has(id)) words.set(id, m[0]);
    }
  }
  const about = new Set<FileKind>();
  const named = (kind: FileKind) => mentions.files.some((f) => fileKind(f) === kind);
  if (PROSE_TOPIC.test(question) || named('prose')) about.add('prose');
  if (CI_TOPIC.test(question) || named('ci')) about.add('ci');
  return { mentions, terms: Uint32Array.from(words.keys()), words, about, tests: TEST_TOPIC.test(question), aside: ASIDE_TOPIC.test(question) };
}

/** A file's path and name fields: `rich/progress_bar.py` → rich, progress_bar, progress, bar, py; `ProgressBar.update` → progressbar, progress, bar, updat. */
export function fileFields(path: string, chunks: readonly ChunkRef[]): FileFields {
  const names = new Set(chunks.flatMap((c) => c.symbols.map((s) => s.split('.').at(-1) ?? s)));
  return { path: termCounts(path.replace(/[/\\]/g, ' ')), names: termCounts([...names].join(' ')) };
}

const lastPart = (symbol: string): string => symbol.split('.').at(-1) ?? symbol;

/** Whether the chunk defines `id` (a symbol of it is `id`, or a member named `id`: `Cells.width` for `width`). */
export const defines = (chunk: ChunkRef, id: string): boolean => chunk.symbols.some((s) => s === id || lastPart(s) === id);

/** The term id an identifier is indexed under (its whole lower-cased form, or its stem when it is one word). */
const identifierTerm = (id: string): number => hash(termsIn(lastPart(id))[0] ?? id.toLowerCase());

/** Whether a chunk's terms hold the identifier `id` (as a whole word of its text). */
export const usesTerm = (terms: TermCounts, id: string): boolean => countOf(terms, identifierTerm(id)) > 0;

/** The term frequencies of the query terms in a set of term counts, summed. */
function frequencies(counts: readonly TermCounts[], terms: Uint32Array): Float64Array {
  const tf = new Float64Array(terms.length);
  for (const c of counts) for (let t = 0; t < terms.length; t++) tf[t] = (tf[t] as number) + countOf(c, terms[t] as number);
  return tf;
}

interface FileScore<C extends ChunkRef> {
  file: RankableFile<C>;
  /** Per query term: the file's combined, length-normalised frequency (BM25F's tf~). */
  tf: Float64Array;
  bm25: number;
  similarity: number;
  boost: number;
  factor: number;
  /** The mention that names the file, when one does. */
  named: string | undefined;
  score: number;
}

/** How a further file of the same kind is weighed: what it is, whether the question is about it, whether it is named. */
function factorOf(path: string, query: RankQuery, named: boolean): number | undefined {
  if (named) return 1;
  const kind = fileKind(path);
  if ((kind === 'prose' || kind === 'ci') && !query.about.has(kind)) return undefined;
  const test = !query.tests && TEST_FILE.test(path) ? LOWERED.test : 1;
  const aside = !query.aside && ASIDE_FILE.test(path) ? LOWERED.aside : 1;
  return (kind === 'other' ? LOWERED.other : 1) * test * aside;
}

/**
 * Files ranked and their chunks chosen: every file scored (BM25F of the question's terms over path, names and text,
 * the best chunk's similarity, boosts), those above the floor kept, best first, and within each its best chunks.
 */
export function rankWorkspace<C extends ChunkRef>(files: readonly RankableFile<C>[], query: RankQuery): Ranking<C> {
  const { mentions, terms } = query;
  const definitions = new Map<string, number>();
  for (const f of files) for (const c of f.chunks) for (const id of mentions.identifiers) if (defines(c, id)) definitions.set(id, (definitions.get(id) ?? 0) + 1);

  const candidates: { file: RankableFile<C>; factor: number; named: string | undefined; text: Float64Array; length: number }[] = [];
  for (const file of files) {
    const named = mentions.files.find((m) => pathMatches(file.path, m));
    const factor = factorOf(file.path, query, named !== undefined);
    if (factor === undefined) continue;
    candidates.push({ file, factor, named, text: frequencies(file.terms, terms), length: file.terms.reduce((n, t) => n + t.length, 0) });
  }
  if (candidates.length === 0) return { chunks: [], note: 'nothing in the workspace to search' };
  const n = candidates.length;
  const average = (lengths: number[]) => lengths.reduce((a, b) => a + b, 0) / n || 1;
  const avgText = average(candidates.map((c) => c.length));
  const avgPath = average(candidates.map((c) => c.file.fields.path.length));
  const avgNames = average(candidates.map((c) => c.file.fields.names.length));
  const df = new Float64Array(terms.length);
  const scored: FileScore<C>[] = candidates.map((c) => {
    const path = frequencies([c.file.fields.path], terms);
    const names = frequencies([c.file.fields.names], terms);
    const norm = (length: number, avg: number) => 1 - B + (B * length) / avg;
    const tf = new Float64Array(terms.length);
    for (let t = 0; t < terms.length; t++) {
      tf[t] =
        (FIELD_WEIGHT.text * (c.text[t] as number)) / norm(c.length, avgText) +
        (FIELD_WEIGHT.path * (path[t] as number)) / norm(c.file.fields.path.length, avgPath) +
        (FIELD_WEIGHT.names * (names[t] as number)) / norm(c.file.fields.names.length, avgNames);
      if ((tf[t] as number) > 0) df[t] = (df[t] as number) + 1;
    }
    let similarity = -Infinity;
    for (let i = 0; i < c.file.chunks.length; i++) similarity = Math.max(similarity, c.file.similarity[i] as number);
    const defined = mentions.identifiers.find((id) => c.file.chunks.some((ch) => defines(ch, id)));
    const used = mentions.identifiers.filter((id) => c.file.terms.some((t) => usesTerm(t, id)));
    const boost =
      (defined === undefined ? 0 : BOOST.defines / Math.max(1, definitions.get(defined) ?? 1)) +
      (c.named !== undefined ? BOOST.namedFile : 0) +
      (mentions.identifiers.length > 0 ? (BOOST.uses * used.length) / mentions.identifiers.length : 0);
    return { file: c.file, tf, bm25: 0, similarity, boost, factor: c.factor, named: c.named, score: 0 };
  });
  const idf = Array.from(df, (d) => Math.log(1 + (n - d + 0.5) / (d + 0.5)));
  // A term found nowhere weighs as much as the average found term: a question mostly about something absent is not convincing.
  const present = idf.filter((_, t) => (df[t] as number) > 0);
  const absentIdf = present.reduce((a, b) => a + b, 0) / (present.length || 1);
  const questionWeight = idf.reduce((sum, w, t) => sum + ((df[t] as number) > 0 ? w : absentIdf), 0);
  let bestBm25 = 0;
  let bestSimilarity = 0;
  for (const s of scored) {
    let sum = 0;
    s.tf.forEach((x, t) => (sum += x > 0 ? ((idf[t] as number) * x * (K1 + 1)) / (x + K1) : 0));
    s.bm25 = sum;
    bestBm25 = Math.max(bestBm25, sum);
    bestSimilarity = Math.max(bestSimilarity, s.similarity);
  }
  for (const s of scored) {
    const text = bestBm25 > 0 ? s.bm25 / bestBm25 : 0;
    const vector = bestSimilarity > 0 ? Math.max(0, s.similarity) / bestSimilarity : 0;
    s.score = s.factor * (text + SIMILARITY_WEIGHT * vector + s.boost);
  }
  scored.sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (best === undefined || best.score <= 0) return { chunks: [], note: 'nothing in the workspace matches the question' };
  const coverage = questionWeight > 0 ? best.tf.reduce((sum, x, t) => sum + (x > 0 ? (idf[t] as number) : 0), 0) / questionWeight : 0;
  if (best.boost === 0 && coverage < CONVINCING_COVERAGE) {
    return { chunks: [], note: `nothing in the workspace matches the question convincingly (the best, ${best.file.path}, shares too few of its words)` };
  }
  const chosen = scored.filter((s) => s.score >= FILE_FLOOR * best.score).slice(0, MAX_FILES);
  return { chunks: chooseChunks(chosen, query, idf) };
}

/** Within the chosen files (best first): each one's best chunk, then the further chunks that come near it. */
function chooseChunks<C extends ChunkRef>(chosen: readonly FileScore<C>[], query: RankQuery, idf: readonly number[]): RankedChunk<C>[] {
  const lengths = chosen.flatMap((s) => s.file.terms.map((t) => t.length));
  const avgChunk = lengths.reduce((a, b) => a + b, 0) / (lengths.length || 1) || 1;
  const firsts: RankedChunk<C>[] = [];
  const further: RankedChunk<C>[] = [];
  chosen.forEach((s, rank) => {
    const { file } = s;
    // BM25 of each chunk (the files' idf), divided by the file's best; a definition the question names comes first.
    const text = file.terms.map((terms) => {
      let sum = 0;
      query.terms.forEach((id, t) => {
        const f = countOf(terms, id);
        if (f > 0) sum += ((idf[t] as number) * f * (K1 + 1)) / (f + K1 * (1 - B + (B * terms.length) / avgChunk));
      });
      return sum;
    });
    const bestText = Math.max(...text);
    const scores = file.chunks.map((chunk, i) => {
      const named = query.mentions.identifiers.some((id) => defines(chunk, id)) ? BOOST.defines : 0;
      return (bestText > 0 ? (text[i] as number) / bestText : 0) + named + SIMILARITY_WEIGHT * Math.max(0, file.similarity[i] as number);
    });
    const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
    const top = scores[order[0] ?? 0] ?? 0;
    const limit = CHUNKS_PER_FILE[Math.min(rank, CHUNKS_PER_FILE.length - 1)] ?? 1;
    order.slice(0, limit).forEach((i, k) => {
      if (k > 0 && (scores[i] as number) < CHUNK_FLOOR * top) return;
      const chunk = file.chunks[i] as C;
      (k === 0 ? firsts : further).push({ chunk, score: Math.round(1000 * s.score) / 1000, reason: reasonOf(s.named, chunk, file.terms[i] as TermCounts, query) });
    });
  });
  return [...firsts, ...further];
}

/** "defines split_graphemes", "in cells.py, which the question names", "uses Console.print", "matches title, background, panel". */
function reasonOf(named: string | undefined, chunk: ChunkRef, terms: TermCounts, query: RankQuery): string {
  const defined = query.mentions.identifiers.find((id) => defines(chunk, id));
  if (defined !== undefined) return `defines ${defined}`;
  if (named !== undefined) return `in ${named}, which the question names`;
  const used = query.mentions.identifiers.filter((id) => usesTerm(terms, id));
  if (used.length > 0) return `uses ${used.slice(0, 2).join(', ')}`;
  const matched = [...query.terms].filter((id) => countOf(terms, id) > 0).map((id) => query.words.get(id) ?? '');
  const words = [...new Set(matched.filter((w) => w !== ''))].slice(0, 3);
  return words.length > 0 ? `matches ${words.join(', ')}` : 'similar to the question';
}
