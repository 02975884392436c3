/**
 * Ranks a workspace for a question: whole files first, then the parts of the chosen files. A file is scored by BM25F
 * over fields that mean something for code — its path (segments and name split: `progress_bar.py` → progress, bar),
 * the names it defines, its text — with one saturation per term, plus the embedder's similarity and the exact matches
 * of what the question names (a definition, a file, an identifier used). Prose, issue templates and CI files enter only
 * when the question is about them; tests, examples, benchmarks, fixtures and playgrounds only when it is about them or
 * they define what it names, never as filler. A file must earn its place by evidence — what the question names, or
 * several of its distinctive words ("function", "config", "error" are no one's) — and a floor relative to the best
 * file decides which files go, so the budget is a ceiling and not a quota; when no file matches convincingly, nothing
 * goes. Within a chosen file, its best chunks, each with evidence of its own.
 */
import { fileKind, isAsidePath, isTestPath, type FileKind } from './fileKinds';
import { pathMatches, type Mentions } from './mentions';
import { countOf, hash, termCounts, termsIn, type TermCounts } from './terms';

/** What the ranking knows of an indexed chunk. */
export interface ChunkRef {
  path: string;
  startLine: number;
  endLine: number;
  symbols: readonly string[];
}

/** The fields of a file besides its text: its path's terms and the terms of the names it defines, and what kind of file it is. */
export interface FileFields {
  path: TermCounts;
  names: TermCounts;
  kind: FileKind;
  /** A test file, by its path. */
  test: boolean;
  /** Code beside the product (examples, benchmarks, documentation builds, tools, scripts), by its path. */
  aside: boolean;
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
  /** Per term: whether it is distinctive (not a word every code base uses, like "function", "config", "return"). */
  distinctive: readonly boolean[];
  /** The question's word for each term id (for reasons). */
  words: ReadonlyMap<number, string>;
  /** Each named identifier's term id (core/retrieval/ranking#identifierTerm). */
  identifiers: ReadonlyMap<string, number>;
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
 * Configuration and data files count this much of their score, and so does a test or example the question is not
 * about when it defines what the question names (it comes, but does not raise the floor over the code that runs).
 */
export const LOWERED = { other: 0.5, aside: 0.7 } as const;
/** A file earns its place with something the question names, or with this many of its distinctive words… */
export const DISTINCTIVE_TERMS = 2;
/**
 * …or with one of them in its path or among the names it defines, or with one anywhere and a generic word there
 * (`config.py` for "how is the config loaded?"), or with one that hardly any file holds ("nonce"): at most this share
 * of the files, and at least one.
 */
const DISTINCTIVE_IN_NAME = 1;
export const RARE_SHARE = 0.01;
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

/**
 * Words every code base and every question about code uses (stemmed as terms are): alone they say nothing of which
 * code is meant ("Explain this function", "Is this config safe?").
 */
const GENERIC = new Set(
  (
    'function functions method methods class classes object objects config configuration configure setting settings option options error errors ' +
    'exception exceptions return returns value values type types variable variables var str string strings int integer float bool boolean list ' +
    'lists dict array arrays map null none nil undefined true false self this def fn func const let public private static void import export ' +
    'file files line lines code explain explanation safe safely work works working make makes need needs want call calls called run runs ' +
    'number numbers data input output result results check problem way thing things new old name names use used using get set ' +
    'add write read show tell correct right fix fixed better best good bad simple easy possible instead why doe print main test'
  )
    .split(' ')
    .flatMap((w) => termsIn(w)),
);

const PROSE_TOPIC = /\b(docs?|documentation|readme|contributing|contributors?|changelog|change log|release notes?|licen[cs]es?|code of conduct|templates?|faq|guides?|tutorials?|manual|wiki)\b/i;
const CI_TOPIC = /\b(ci|continuous integration|workflows?|github actions?|pipelines?|travis|circleci|pre-commit|dependabot)\b/i;
const TEST_TOPIC = /\b(tests?|testing|spec|specs|test suite|pytest|jest|mocha|vitest|unit tests?)\b/i;
const ASIDE_TOPIC = /\b(examples?|samples?|demos?|benchmarks?|bench(es)?|fixtures?|playgrounds?|docs?|documentation|tools?|scripts?)\b/i;

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
  const identifiers = new Map(mentions.identifiers.map((id) => [id, identifierTerm(id)]));
  const terms = Uint32Array.from(words.keys());
  const generic = new Set([...GENERIC].map(hash));
  const distinctive = Array.from(terms, (id) => !generic.has(id));
  return { mentions, terms, distinctive, words, identifiers, about, tests: TEST_TOPIC.test(question), aside: ASIDE_TOPIC.test(question) };
}

/** A file's path and name fields: `rich/progress_bar.py` → rich, progress_bar, progress, bar, py; `ProgressBar.update` → progressbar, progress, bar, updat. */
export function fileFields(path: string, chunks: readonly ChunkRef[]): FileFields {
  const names = new Set(chunks.flatMap((c) => c.symbols.map((s) => s.split('.').at(-1) ?? s)));
  return { path: termCounts(path.replace(/[/\\]/g, ' ')), names: termCounts([...names].join(' ')), kind: fileKind(path), test: isTestPath(path), aside: isAsidePath(path) };
}

const lastPart = (symbol: string): string => symbol.split('.').at(-1) ?? symbol;

/** Whether the chunk defines `id` (a symbol of it is `id`, or a member named `id`: `Cells.width` for `width`). */
export const defines = (chunk: ChunkRef, id: string): boolean => chunk.symbols.some((s) => s === id || (s.endsWith(id) && s.charAt(s.length - id.length - 1) === '.'));

/**
 * What a chunk's definitions weigh for the question's names: a qualified name as written (`Context.invoke`) twice what a
 * bare name or a part of one does (`invoke`, which `Group.invoke` defines as well, and says more often).
 */
const definitionBoost = (chunk: ChunkRef, identifiers: readonly string[]): number =>
  identifiers.some((id) => id.includes('.') && defines(chunk, id)) ? 2 * BOOST.defines : identifiers.some((id) => defines(chunk, id)) ? BOOST.defines : 0;

/** The term id an identifier is indexed under (its whole lower-cased form, or its stem when it is one word): a chunk whose terms hold it uses it. */
export const identifierTerm = (id: string): number => hash(termsIn(lastPart(id))[0] ?? id.toLowerCase());

/** Adds the counts of the query terms in `counts` to `into` from `offset` on (one row of a files × terms table). */
function addFrequencies(counts: TermCounts, terms: Uint32Array, into: Float64Array, offset: number): void {
  for (let t = 0; t < terms.length; t++) {
    const f = countOf(counts, terms[t] as number);
    if (f > 0) into[offset + t] = (into[offset + t] as number) + f;
  }
}

interface FileScore<C extends ChunkRef> {
  file: RankableFile<C>;
  /** Per query term: the file's combined, length-normalised frequency (BM25F's tf~). */
  tf: Float64Array;
  boost: number;
  /** The mention that names the file, when one does. */
  named: string | undefined;
  score: number;
}

/** How a file is weighed: what it is, whether the question is about such files, whether it names it; 0: not at all. */
function factorOf(fields: FileFields, query: RankQuery, named: boolean): number {
  if (named) return 1;
  const { kind } = fields;
  if ((kind === 'prose' || kind === 'ci') && !query.about.has(kind)) return 0;
  return kind === 'other' ? LOWERED.other : 1;
}

/** A test, example, benchmark, fixture or playground the question is not about: it goes only if it defines what the question names. */
const filler = (fields: FileFields, query: RankQuery): boolean => (fields.test && !query.tests) || (fields.aside && !query.aside);

/**
 * Files ranked and their chunks chosen: every file scored (BM25F of the question's terms over path, names and text,
 * the best chunk's similarity, boosts), those above the floor kept, best first, and within each its best chunks.
 * Linear in the workspace's chunks, with one table per field (files × terms) rather than arrays per file.
 */
export function rankWorkspace<C extends ChunkRef>(files: readonly RankableFile<C>[], query: RankQuery): Ranking<C> {
  const { mentions, terms } = query;
  const T = terms.length;
  const kept: number[] = [];
  const factor: number[] = [];
  const named: (string | undefined)[] = [];
  const asFiller: boolean[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i] as RankableFile<C>;
    const mention = mentions.files.length > 0 ? mentions.files.find((m) => pathMatches(file.path, m)) : undefined;
    const f = factorOf(file.fields, query, mention !== undefined);
    if (f === 0) continue;
    kept.push(i);
    factor.push(f);
    named.push(mention);
    asFiller.push(mention === undefined && filler(file.fields, query));
  }
  const n = kept.length;
  if (n === 0) return { chunks: [], note: 'nothing in the workspace to search' };
  // The identifiers each file defines, and how many chunks define each (a name defined in many places says less).
  const definedBy = new Array<Set<string> | undefined>(n);
  const definers = new Map<string, number>();
  const textTf = new Float64Array(n * T);
  const pathTf = new Float64Array(n * T);
  const namesTf = new Float64Array(n * T);
  const lengths = { text: new Float64Array(n), path: new Float64Array(n), names: new Float64Array(n) };
  const similarity = new Float64Array(n);
  const usedShare = new Float64Array(n);
  // Per file, how many distinctive terms it holds anywhere, how many in its path or names, and whether a generic one is there.
  const distinct = new Uint16Array(n);
  const distinctInName = new Uint16Array(n);
  const genericInName = new Uint8Array(n);
  const rare = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const file = files[kept[k] as number] as RankableFile<C>;
    let length = 0;
    let best = -Infinity;
    for (let c = 0; c < file.chunks.length; c++) {
      const counts = file.terms[c] as TermCounts;
      addFrequencies(counts, terms, textTf, k * T);
      length += counts.length;
      best = Math.max(best, file.similarity[c] as number);
      for (const id of mentions.identifiers) {
        if (!defines(file.chunks[c] as ChunkRef, id)) continue;
        definers.set(id, (definers.get(id) ?? 0) + 1);
        (definedBy[k] ??= new Set()).add(id);
      }
    }
    addFrequencies(file.fields.path, terms, pathTf, k * T);
    addFrequencies(file.fields.names, terms, namesTf, k * T);
    for (let t = 0; t < T; t++) {
      const inName = (pathTf[k * T + t] as number) > 0 || (namesTf[k * T + t] as number) > 0;
      if (!query.distinctive[t]) {
        if (inName) genericInName[k] = 1;
        continue;
      }
      if (inName) distinctInName[k] = (distinctInName[k] as number) + 1;
      if (inName || (textTf[k * T + t] as number) > 0) distinct[k] = (distinct[k] as number) + 1;
    }
    lengths.text[k] = length;
    lengths.path[k] = file.fields.path.length;
    lengths.names[k] = file.fields.names.length;
    similarity[k] = best;
    if (mentions.identifiers.length > 0) {
      const used = mentions.identifiers.filter((id) => file.terms.some((t) => countOf(t, query.identifiers.get(id) ?? 0) > 0)).length;
      usedShare[k] = used / mentions.identifiers.length;
    }
  }
  const average = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / n || 1;
  const avg = { text: average(lengths.text), path: average(lengths.path), names: average(lengths.names) };
  const norm = (length: number, mean: number) => 1 - B + (B * length) / mean;
  // BM25F's combined frequency per file and term, in place of the text table.
  const tf = textTf;
  const df = new Float64Array(T);
  for (let k = 0; k < n; k++) {
    const text = FIELD_WEIGHT.text / norm(lengths.text[k] as number, avg.text);
    const path = FIELD_WEIGHT.path / norm(lengths.path[k] as number, avg.path);
    const names = FIELD_WEIGHT.names / norm(lengths.names[k] as number, avg.names);
    for (let t = 0; t < T; t++) {
      const x = (textTf[k * T + t] as number) * text + (pathTf[k * T + t] as number) * path + (namesTf[k * T + t] as number) * names;
      tf[k * T + t] = x;
      if (x > 0) df[t] = (df[t] as number) + 1;
    }
  }
  const idf = Array.from(df, (d) => Math.log(1 + (n - d + 0.5) / (d + 0.5)));
  const rareDf = Math.max(1, Math.floor(RARE_SHARE * n));
  for (let t = 0; t < T; t++) {
    if (!query.distinctive[t] || (df[t] as number) > rareDf) continue;
    for (let k = 0; k < n; k++) if ((tf[k * T + t] as number) > 0) rare[k] = 1;
  }
  // A term found nowhere weighs as much as the average found term: a question mostly about something absent is not convincing.
  const present = idf.filter((_, t) => (df[t] as number) > 0);
  const absentIdf = present.reduce((a, b) => a + b, 0) / (present.length || 1);
  const questionWeight = idf.reduce((sum, w, t) => sum + ((df[t] as number) > 0 ? w : absentIdf), 0);
  const bm25 = new Float64Array(n);
  let bestBm25 = 0;
  let bestSimilarity = 0;
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let t = 0; t < T; t++) {
      const x = tf[k * T + t] as number;
      if (x > 0) sum += ((idf[t] as number) * x * (K1 + 1)) / (x + K1);
    }
    bm25[k] = sum;
    bestBm25 = Math.max(bestBm25, sum);
    bestSimilarity = Math.max(bestSimilarity, similarity[k] as number);
  }
  const boost = new Float64Array(n);
  const score = new Float64Array(n);
  let top = 0;
  for (let k = 0; k < n; k++) {
    const definitions = definedBy[k];
    const defined = definitions && mentions.identifiers.find((id) => definitions.has(id));
    boost[k] =
      (defined === undefined ? 0 : BOOST.defines / Math.max(1, definers.get(defined) ?? 1)) + (named[k] !== undefined ? BOOST.namedFile : 0) + BOOST.uses * (usedShare[k] as number);
    const text = bestBm25 > 0 ? (bm25[k] as number) / bestBm25 : 0;
    const vector = bestSimilarity > 0 ? Math.max(0, similarity[k] as number) / bestSimilarity : 0;
    const evidence =
      (boost[k] as number) > 0 ||
      (distinct[k] as number) >= DISTINCTIVE_TERMS ||
      (distinctInName[k] as number) >= DISTINCTIVE_IN_NAME ||
      ((distinct[k] as number) >= 1 && (genericInName[k] === 1 || rare[k] === 1));
    const earns = evidence && (!asFiller[k] || defined !== undefined);
    const lowered = asFiller[k] ? LOWERED.aside : 1;
    score[k] = earns ? lowered * (factor[k] as number) * (text + SIMILARITY_WEIGHT * vector + (boost[k] as number)) : 0;
    if ((score[k] as number) > (score[top] as number)) top = k;
  }
  const bestScore = score[top] as number;
  if (bestScore <= 0) return { chunks: [], note: 'nothing in the workspace matches the question beyond words every code base uses' };
  let matched = 0;
  for (let t = 0; t < T; t++) if ((tf[top * T + t] as number) > 0) matched += idf[t] as number;
  const coverage = questionWeight > 0 ? matched / questionWeight : 0;
  const bestFile = files[kept[top] as number] as RankableFile<C>;
  if (boost[top] === 0 && coverage < CONVINCING_COVERAGE) {
    return { chunks: [], note: `nothing in the workspace matches the question convincingly (the best, ${bestFile.path}, shares too few of its words)` };
  }
  const chosen: FileScore<C>[] = [];
  for (let k = 0; k < n; k++) {
    if ((score[k] as number) <= 0 || (score[k] as number) < FILE_FLOOR * bestScore) continue;
    chosen.push({ file: files[kept[k] as number] as RankableFile<C>, tf: tf.subarray(k * T, (k + 1) * T), boost: boost[k] as number, named: named[k], score: score[k] as number });
  }
  chosen.sort((a, b) => b.score - a.score);
  return { chunks: chooseChunks(chosen.slice(0, MAX_FILES), query, idf) };
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
      const named = definitionBoost(chunk, query.mentions.identifiers);
      return (bestText > 0 ? (text[i] as number) / bestText : 0) + named + SIMILARITY_WEIGHT * Math.max(0, file.similarity[i] as number);
    });
    // A further chunk needs evidence of its own: it names what the question names, or holds several of its distinctive words.
    const earns = (i: number): boolean => {
      const terms = file.terms[i] as TermCounts;
      if (query.mentions.identifiers.some((id) => defines(file.chunks[i] as ChunkRef, id) || countOf(terms, query.identifiers.get(id) ?? 0) > 0)) return true;
      return query.terms.filter((id, t) => query.distinctive[t] === true && countOf(terms, id) > 0).length >= DISTINCTIVE_TERMS;
    };
    const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
    const top = scores[order[0] ?? 0] ?? 0;
    const limit = CHUNKS_PER_FILE[Math.min(rank, CHUNKS_PER_FILE.length - 1)] ?? 1;
    order.slice(0, limit).forEach((i, k) => {
      if (k > 0 && ((scores[i] as number) < CHUNK_FLOOR * top || !earns(i))) return;
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
  const used = query.mentions.identifiers.filter((id) => countOf(terms, query.identifiers.get(id) ?? 0) > 0);
  if (used.length > 0) return `uses ${used.slice(0, 2).join(', ')}`;
  const matched = [...query.terms].filter((id) => countOf(terms, id) > 0).map((id) => query.words.get(id) ?? '');
  const words = [...new Set(matched.filter((w) => w !== ''))].slice(0, 3);
  return words.length > 0 ? `matches ${words.join(', ')}` : 'similar to the question';
}
