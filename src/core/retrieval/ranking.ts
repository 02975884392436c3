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
import type { CodeGraph } from './codeGraph';
import { fileKind, isAsidePath, isTestDefinition, isTestPath, type FileKind } from './fileKinds';
import { namesFileIn, pathMatches, type Mentions } from './mentions';
import { codeSpecificity, specificity } from './specificity';
import { languageOf, type Language } from './languages';
import { questionParts } from './questionCode';
import { countOf, hash, termCounts, termsIn, type TermCounts } from './terms';

/** What the ranking knows of an indexed chunk. */
export interface ChunkRef {
  path: string;
  startLine: number;
  endLine: number;
  symbols: readonly string[];
  /** The names it uses and does not define, when a parser read its file: the definitions it calls are brought beside it. */
  references?: readonly string[];
  /** Its estimated tokens, when known: a definition cut into pieces goes whole when they fit WHOLE_DEFINITION_TOKENS. */
  tokens?: number;
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
  /** A piece past the start of a definition too long to go whole: the definition's lines and name, so its signature goes too. */
  partOf?: { startLine: number; endLine: number; name: string };
}

export interface Ranking<C extends ChunkRef = ChunkRef> {
  /** In the order they are to be sent: the best file's chosen chunks, then each other chosen file's best chunk, then what the chosen chunks call, then further chunks. */
  chunks: RankedChunk<C>[];
  /** Why nothing was chosen, when nothing was. */
  note?: string;
}

/**
 * The stages of retrieval, each of which can be switched on or off to measure what it brings (`smcs eval context
 * --stages`): `lexical`, BM25F over the files' paths, names and text; `vectors`, the embedder's similarity; `symbols`,
 * exact lookup of the definitions, files and identifiers the question names; `graph`, expansion to the files the
 * chosen ones use (core/retrieval/codeGraph); `evidence`, the decision whether to search at all
 * (core/retrieval/searchEvidence — without it, every question searches).
 */
export interface RetrievalStages {
  lexical: boolean;
  vectors: boolean;
  symbols: boolean;
  graph: boolean;
  evidence: boolean;
}

/**
 * The stages an ask runs. Expansion is off: on the 13 sets measured it reached no gold file the others missed and
 * added 7–37 % to the tokens sent (docs/design-notes.md, "Context from the code base's own evidence").
 */
export const DEFAULT_STAGES: RetrievalStages = { lexical: true, vectors: true, symbols: true, graph: false, evidence: true };

/** What the ranking reads of a question. */
export interface RankQuery {
  /** The stages that run. */
  stages: RetrievalStages;
  mentions: Mentions;
  /** Term ids of the question's words that say something (core/retrieval/specificity), each once. */
  terms: Uint32Array;
  /** Per term: its specificity in (0, 1], which multiplies its idf. */
  weight: Float64Array;
  /** Per term: whether it is distinctive (weight at least DISTINCTIVE_WEIGHT: not a word every code base uses, like "function", "config", "return"). */
  distinctive: readonly boolean[];
  /** The question's word for each term id (for reasons). */
  words: ReadonlyMap<number, string>;
  /** Each named identifier's term id (core/retrieval/ranking#identifierTerm). */
  identifiers: ReadonlyMap<string, number>;
  /** Every term of the question's prose, telling or not ("test" in "the failing test"): what it asks for is read from them (askedKinds), not from its own code's words (`# in index.rst`). */
  everyTerm: Uint32Array;
  /** Per term: whether it is a number of the question's prose (PROSE_NUMBER), which weighs nothing where no file holds it. */
  numeric: readonly boolean[];
}

/**
 * What besides the product's code a question asks for, read from the workspace's own paths rather than from lists of
 * words: a question asks for a kind of file when it holds that kind's own path word in this workspace — a word in the
 * paths of at least half of that kind's files and nearly only theirs ("test" of `tests/`, "docs", "examples",
 * "workflows") — or names such a file. "router" or "static" in the path of a test or two ask for nothing.
 */
export interface AskedKinds {
  /** Prose (documentation, changelogs, community files) and CI files: only when asked for. */
  kinds: ReadonlySet<FileKind>;
  /** Test files, and code beside the product (examples, benchmarks, docs builds, scripts), are not lowered. */
  tests: boolean;
  aside: boolean;
}

/** A kind's own path word: at least this share of the files whose path holds it are of that kind… */
export const KIND_WORD_SHARE = 0.9;
/** …and it is in the paths of at least this share of that kind's files. */
export const KIND_WORD_COVERAGE = 0.5;

/** The question's file mentions that name files of the workspace (core/retrieval/mentions namesFileIn). */
function namedFiles(files: readonly RankableFile[], mentions: Mentions): string[] {
  if (mentions.files.length === 0) return [];
  const paths = files.map((f) => f.path);
  return mentions.files.filter((m) => namesFileIn(paths, m));
}

/** What the question asks for besides the product's code; `named`: its mentions that name files here (namedFiles). */
export function askedKinds(files: readonly RankableFile[], query: RankQuery, named: readonly string[]): AskedKinds {
  const categoryOf = (f: FileFields): 'prose' | 'ci' | 'test' | 'aside' | 'product' => (f.kind === 'prose' || f.kind === 'ci' ? f.kind : f.test ? 'test' : f.aside ? 'aside' : 'product');
  const asked = new Set<string>(named.flatMap((m) => files.filter((f) => pathMatches(f.path, m)).map((f) => categoryOf(f.fields))));
  const sizes = new Map<string, number>();
  for (const f of files) sizes.set(categoryOf(f.fields), (sizes.get(categoryOf(f.fields)) ?? 0) + 1);
  for (const id of query.everyTerm) {
    const counts = new Map<string, number>();
    let total = 0;
    for (const f of files) {
      if (countOf(f.fields.path, id) === 0) continue;
      const c = categoryOf(f.fields);
      counts.set(c, (counts.get(c) ?? 0) + 1);
      total++;
    }
    for (const [c, n] of counts) if (c !== 'product' && n >= KIND_WORD_SHARE * total && n >= KIND_WORD_COVERAGE * (sizes.get(c) ?? 0)) asked.add(c);
  }
  return { kinds: new Set([...asked].filter((c): c is FileKind => c === 'prose' || c === 'ci')), tests: asked.has('test'), aside: asked.has('aside') };
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
/**
 * A file earns its place with something the question names, or with distinctive words of the question (each counted
 * by its weight, core/retrieval/specificity) weighing this much together…
 */
export const DISTINCTIVE_TERMS = 1.5;
/**
 * …or this much in its path or among the names it defines, or half of it anywhere and a common word there
 * (`config.py` for "how is the config loaded?"), or half of it in a word that hardly any file holds ("nonce"): at most
 * this share of the files, and at least one.
 */
const DISTINCTIVE_IN_NAME = 0.5;
export const RARE_SHARE = 0.01;
/** A file goes when its score is at least this share of the best file's. */
export const FILE_FLOOR = 0.45;
/** At most this many files go. */
export const MAX_FILES = 10;
/** A further chunk of a chosen file goes when its score is at least this share of the file's best chunk… */
export const CHUNK_FLOOR = 0.45;
/** …and the file has fewer chunks chosen than this: five for the best file (the definition that answers is often not its best-matching one), two for the next two, one for the rest. */
const CHUNKS_PER_FILE = [5, 2, 2, 1] as const;
/**
 * The best file must match at least this share of the question's term weight (idf; a word found nowhere weighs as
 * much as the average found one), or something the question names.
 */
export const CONVINCING_COVERAGE = 0.2;


/** A number of the question's prose that is searched for as a word is: three digits or more, standing alone (not a part of a version, `2.0.100`, or of an address, `127.0.0.1`, or of a name, `x405`). */
const PROSE_NUMBER = /(?<![\w.])\d{3,}(?!\w|\.\d)/g;

/** At most this many of a question's terms are searched for: its most telling ones. */
export const MAX_QUERY_TERMS = 64;

/** A distinctive term weighs at least this much (core/retrieval/specificity): a word rare in ordinary prose and code. */
export const DISTINCTIVE_WEIGHT = 0.5;

/**
 * The question as the ranking reads it: each word and identifier part once, weighed by how rare it is in ordinary
 * writing (core/retrieval/specificity) — words every question and every code base has weigh nothing and are left out;
 * the identifiers the question names weigh in full. A number its prose writes with three digits or more is a term too
 * (PROSE_NUMBER: a status code, a limit — "gives me 404 … shouldn't that be 405" finds gin.go's `default405Body`), after
 * every word when a long question's most telling terms are kept; the numbers of its code (a traceback's line numbers,
 * a snippet's data) and shorter ones (a version's parts) are its data, not what it is about.
 */
export function rankQuery(question: string, mentions: Mentions, stages: RetrievalStages = DEFAULT_STAGES): RankQuery {
  const { prose, said } = questionParts(question);
  const numbers = new Set(prose.match(PROSE_NUMBER) ?? []);
  const identifiers = new Map(mentions.identifiers.map((id) => [id, identifierTerm(id)]));
  const named = new Set(identifiers.values());
  const words = new Map<number, string>();
  const weights = new Map<number, number>();
  const inProse = new Set(termsIn(prose).map(hash));
  const every = new Set<number>();
  const numeric = new Set<number>();
  for (const m of said.matchAll(/[\w$]+/g)) {
    for (const term of termsIn(m[0])) {
      const number = /^\d+$/.test(term);
      if (term.length < 2 || (number && !numbers.has(term))) continue;
      const id = hash(term);
      if (inProse.has(id)) every.add(id);
      if (number) numeric.add(id);
      if (words.has(id)) continue;
      const weight = named.has(id) ? 1 : specificity(id);
      if (weight <= 0) continue;
      words.set(id, m[0]);
      weights.set(id, weight);
    }
  }
  // A pasted log or document brings thousands of words: its most telling ones stand for it (the tables are files × terms).
  const kept = [...words.keys()].map((id, order) => ({ id, order, w: weights.get(id) ?? 0 }));
  const last = (id: number): number => Number(numeric.has(id));
  const telling = kept.length <= MAX_QUERY_TERMS ? kept : kept.sort((a, b) => last(a.id) - last(b.id) || b.w - a.w || a.order - b.order).slice(0, MAX_QUERY_TERMS).sort((a, b) => a.order - b.order);
  const terms = Uint32Array.from(telling, (k) => k.id);
  const weight = Float64Array.from(telling, (k) => k.w);
  const distinctive = Array.from(weight, (w) => w >= DISTINCTIVE_WEIGHT);
  return { stages, mentions, terms, weight, distinctive, words, identifiers, everyTerm: Uint32Array.from(every), numeric: Array.from(terms, (id) => numeric.has(id)) };
}

/** A file's path and name fields: `rich/progress_bar.py` → rich, progress_bar, progress, bar, py; `ProgressBar.update` → progressbar, progress, bar, updat. */
export function fileFields(path: string, chunks: readonly ChunkRef[]): FileFields {
  const names = new Set(chunks.flatMap((c) => c.symbols.map((s) => s.split('.').at(-1) ?? s)));
  return { path: termCounts(path.replace(/[/\\]/g, ' ')), names: termCounts([...names].join(' ')), kind: fileKind(path), test: isTestPath(path), aside: isAsidePath(path) };
}

const lastPart = (symbol: string): string => symbol.split('.').at(-1) ?? symbol;

/** Whether the chunk defines `id` (a symbol of it is `id`, or a member named `id`: `Cells.width` for `width`). */
export const defines = (chunk: ChunkRef, id: string): boolean => chunk.symbols.some((s) => s === id || (s.endsWith(id) && s.charAt(s.length - id.length - 1) === '.'));

/** Every name `defines` finds a symbol by: the symbol and each tail of it that starts after a dot (`a.B.c` → `a.B.c`, `B.c`, `c`). */
export const nameTails = (symbol: string): string[] => symbol.split('.').map((_, i, parts) => parts.slice(i).join('.'));

/**
 * What a chunk's definitions weigh for the question's names: a qualified name as written (`Context.invoke`) twice what a
 * bare name or a part of one does (`invoke`, which `Group.invoke` defines as well, and says more often).
 */
const definitionBoost = (chunk: ChunkRef, identifiers: readonly string[]): number =>
  identifiers.some((id) => id.includes('.') && defines(chunk, id)) ? 2 * BOOST.defines : identifiers.some((id) => defines(chunk, id)) ? BOOST.defines : 0;

/** The term id an identifier is indexed under (its whole lower-cased form, or its stem when it is one word): a chunk whose terms hold it uses it. */
export const identifierTerm = (id: string): number => hash(termsIn(lastPart(id))[0] ?? id.toLowerCase());

/** A file's text as one document: its chunks' term counts summed, kept while the file's chunks are (an index entry's terms). */
const merged = new WeakMap<readonly TermCounts[], TermCounts>();

/** The term counts of a whole file's text (its chunks' sums), computed once per indexed version of the file. */
export function fileText(terms: readonly TermCounts[]): TermCounts {
  let text = merged.get(terms);
  if (text !== undefined) return text;
  const counts = new Map<number, number>();
  let length = 0;
  for (const chunk of terms) {
    length += chunk.length;
    for (let i = 0; i < chunk.ids.length; i++) {
      const id = chunk.ids[i] as number;
      counts.set(id, (counts.get(id) ?? 0) + (chunk.counts[i] as number));
    }
  }
  const ids = Uint32Array.from(counts.keys()).sort();
  text = { ids, counts: Uint16Array.from(ids, (id) => Math.min(65_535, counts.get(id) ?? 0)), length };
  merged.set(terms, text);
  return text;
}

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
function factorOf(fields: FileFields, asked: AskedKinds, named: boolean): number {
  if (named) return 1;
  const { kind } = fields;
  if ((kind === 'prose' || kind === 'ci') && !asked.kinds.has(kind)) return 0;
  return kind === 'other' ? LOWERED.other : 1;
}

/** A test, example, benchmark, fixture or playground the question is not about: it goes only if it defines what the question names. */
const filler = (fields: FileFields, asked: AskedKinds): boolean => (fields.test && !asked.tests) || (fields.aside && !asked.aside);

/** Every file that may come, scored: the stages' signals side by side, and the combined score. */
interface FileScores {
  /** Indexes into `files` of the files that may come (prose and CI only when the question is about them). */
  kept: number[];
  named: (string | undefined)[];
  /** Files × terms: BM25F's combined frequency. */
  tf: Float64Array;
  /** Per term: its idf over the kept files, times its specificity. */
  idf: number[];
  /** Per kept file: its BM25F score (the lexical stage), the boost of what the question names (the symbol stage), the combined score (0: it earns no place). */
  bm25: Float64Array;
  boost: Float64Array;
  score: Float64Array;
  /** The index (into `kept`) of the best scored file. */
  top: number;
  /** The question's term weight: each term's idf, a term found nowhere as much as the average found one. */
  questionWeight: number;
  /** What besides the product's code the question asks for. */
  asked: AskedKinds;
}

/**
 * Every file scored: BM25F of the question's terms over path, names and text (the lexical stage), the best chunk's
 * similarity (the vector stage), boosts for what the question names (the symbol stage), and whether it earns a place.
 * Linear in the workspace's files, with one table per field (files × terms); a file's text is read as one document.
 */
function scoreFiles<C extends ChunkRef>(files: readonly RankableFile<C>[], query: RankQuery): FileScores {
  const { mentions, terms } = query;
  const mentioned = namedFiles(files, mentions);
  const T = terms.length;
  const kept: number[] = [];
  const factor: number[] = [];
  const named: (string | undefined)[] = [];
  const asFiller: boolean[] = [];
  const asked = askedKinds(files, query, mentioned);
  for (let i = 0; i < files.length; i++) {
    const file = files[i] as RankableFile<C>;
    const mention = mentioned.length > 0 ? mentioned.find((m) => pathMatches(file.path, m)) : undefined;
    const f = factorOf(file.fields, asked, mention !== undefined);
    if (f === 0) continue;
    kept.push(i);
    factor.push(f);
    named.push(mention);
    asFiller.push(mention === undefined && filler(file.fields, asked));
  }
  const n = kept.length;
  // The identifiers each file defines, and how many chunks define each (a name defined in many places says less).
  const definedBy = new Array<Set<string> | undefined>(n);
  const definers = new Map<string, number>();
  const textTf = new Float64Array(n * T);
  const pathTf = new Float64Array(n * T);
  const namesTf = new Float64Array(n * T);
  const lengths = { text: new Float64Array(n), path: new Float64Array(n), names: new Float64Array(n) };
  const similarity = new Float64Array(n);
  const usedShare = new Float64Array(n);
  // Per file, how many distinctive terms it holds anywhere, how many in its path or names, and whether a common one is there.
  const distinct = new Float64Array(n);
  const distinctInName = new Float64Array(n);
  const genericInName = new Uint8Array(n);
  const rare = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const file = files[kept[k] as number] as RankableFile<C>;
    const text = fileText(file.terms);
    addFrequencies(text, terms, textTf, k * T);
    let best = -Infinity;
    for (let c = 0; c < file.chunks.length; c++) {
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
      const weight = query.weight[t] as number;
      if (inName) distinctInName[k] = (distinctInName[k] as number) + weight;
      if (inName || (textTf[k * T + t] as number) > 0) distinct[k] = (distinct[k] as number) + weight;
    }
    lengths.text[k] = text.length;
    lengths.path[k] = file.fields.path.length;
    lengths.names[k] = file.fields.names.length;
    similarity[k] = query.stages.vectors ? best : 0;
    if (mentions.identifiers.length > 0) {
      const used = mentions.identifiers.filter((id) => countOf(text, query.identifiers.get(id) ?? 0) > 0).length;
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
  const idf = Array.from(df, (d, t) => (query.weight[t] as number) * Math.log(1 + (n - d + 0.5) / (d + 0.5)));
  const rareDf = Math.max(1, Math.floor(RARE_SHARE * n));
  for (let t = 0; t < T; t++) {
    if (!query.distinctive[t] || (df[t] as number) > rareDf) continue;
    for (let k = 0; k < n; k++) if ((tf[k * T + t] as number) > 0) rare[k] = 1;
  }
  // A term found nowhere weighs as much as the average found term: a question mostly about something absent is not
  // convincing. A number found nowhere is the report's data (an id, a count) and weighs nothing.
  const present = idf.filter((_, t) => (df[t] as number) > 0);
  const absentIdf = present.reduce((a, b) => a + b, 0) / (present.length || 1);
  const questionWeight = idf.reduce((sum, w, t) => sum + ((df[t] as number) > 0 ? w : query.numeric[t] === true ? 0 : absentIdf), 0);
  const bm25 = new Float64Array(n);
  let bestBm25 = 0;
  let bestSimilarity = 0;
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let t = 0; t < T; t++) {
      const x = tf[k * T + t] as number;
      if (x > 0) sum += ((idf[t] as number) * x * (K1 + 1)) / (x + K1);
    }
    bm25[k] = query.stages.lexical ? sum : 0;
    bestBm25 = Math.max(bestBm25, bm25[k] as number);
    bestSimilarity = Math.max(bestSimilarity, similarity[k] as number);
  }
  const boost = new Float64Array(n);
  const score = new Float64Array(n);
  let top = 0;
  for (let k = 0; k < n; k++) {
    const definitions = definedBy[k];
    const defined = definitions && mentions.identifiers.find((id) => definitions.has(id));
    boost[k] = query.stages.symbols
      ? (defined === undefined ? 0 : BOOST.defines / Math.max(1, definers.get(defined) ?? 1)) + (named[k] !== undefined ? BOOST.namedFile : 0) + BOOST.uses * (usedShare[k] as number)
      : 0;
    const text = bestBm25 > 0 ? (bm25[k] as number) / bestBm25 : 0;
    const vector = bestSimilarity > 0 ? Math.max(0, similarity[k] as number) / bestSimilarity : 0;
    const evidence =
      (boost[k] as number) > 0 ||
      (distinct[k] as number) >= DISTINCTIVE_TERMS ||
      (distinctInName[k] as number) >= DISTINCTIVE_IN_NAME ||
      ((distinct[k] as number) >= DISTINCTIVE_IN_NAME && (genericInName[k] === 1 || rare[k] === 1));
    const earns = evidence && (!asFiller[k] || defined !== undefined);
    const lowered = asFiller[k] ? LOWERED.aside : 1;
    score[k] = earns ? lowered * (factor[k] as number) * (text + SIMILARITY_WEIGHT * vector + (boost[k] as number)) : 0;
    if ((score[k] as number) > (score[top] as number)) top = k;
  }
  return { kept, named, tf, idf, bm25, boost, score, top, questionWeight, asked };
}

/**
 * Files ranked and their chunks chosen: every file scored (BM25F of the question's terms over path, names and text,
 * the best chunk's similarity, boosts), those above the floor kept, best first, and within each its best chunks.
 */
export function rankWorkspace<C extends ChunkRef>(files: readonly RankableFile<C>[], query: RankQuery, graph?: CodeGraph): Ranking<C> {
  const scored = scoreFiles(files, query);
  const { kept, tf, idf, boost, score, top, questionWeight } = scored;
  const T = query.terms.length;
  if (kept.length === 0) return { chunks: [], note: 'nothing in the workspace to search' };
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
  for (let k = 0; k < kept.length; k++) {
    if ((score[k] as number) <= 0 || (score[k] as number) < FILE_FLOOR * bestScore) continue;
    chosen.push({ file: files[kept[k] as number] as RankableFile<C>, tf: tf.subarray(k * T, (k + 1) * T), boost: boost[k] as number, named: scored.named[k], score: score[k] as number });
  }
  chosen.sort((a, b) => b.score - a.score);
  const taken = chosen.slice(0, MAX_FILES);
  const chunks = wholeDefinitions(chooseChunks(taken, query, idf, scored.asked), taken);
  if (graph === undefined || !query.stages.graph || taken.length === 0) return { chunks };
  // Last, so what the question's words chose keeps its place and the budget cuts what the structure added first.
  return { chunks: [...chunks, ...expansion(files, taken, graph, scored.asked)] };
}

/** A definition the chunker cut into pieces (it did not fit one chunk) goes whole when its pieces come to at most this many tokens. */
export const WHOLE_DEFINITION_TOKENS = 2_000;

/**
 * Selection of whole definitions: a chosen piece of a definition that was cut into pieces (neighbouring chunks naming
 * the same definition) becomes the whole definition when it fits WHOLE_DEFINITION_TOKENS, so a method does not go
 * without its last lines; two chosen pieces of one definition go once. A longer one goes as its best pieces, each past
 * the first marked `partOf` the definition, whose signature then goes with it (core/retrieval/signature).
 */
function wholeDefinitions<C extends ChunkRef>(ranked: readonly RankedChunk<C>[], taken: readonly FileScore<C>[]): RankedChunk<C>[] {
  const byPath = new Map(taken.map((s) => [s.file.path, s.file.chunks]));
  const sameDefinition = (a: ChunkRef, b: ChunkRef): boolean => a.symbols.length > 0 && a.symbols.join('\n') === b.symbols.join('\n');
  const seen = new Set<string>();
  const out: RankedChunk<C>[] = [];
  for (const r of ranked) {
    const chunks = byPath.get(r.chunk.path) ?? [];
    const at = chunks.indexOf(r.chunk);
    let first = at;
    let last = at;
    while (first > 0 && sameDefinition(chunks[first - 1] as C, r.chunk)) first--;
    while (at >= 0 && last < chunks.length - 1 && sameDefinition(chunks[last + 1] as C, r.chunk)) last++;
    const run = chunks.slice(first, last + 1);
    const tokens = run.reduce((n, c) => n + (c.tokens ?? Infinity), 0);
    const whole = run.length > 1 && tokens <= WHOLE_DEFINITION_TOKENS ? ({ ...(run[0] as C), endLine: (run.at(-1) as C).endLine, tokens } as C) : r.chunk;
    const key = `${whole.path}:${whole.startLine}:${whole.endLine}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const name = lastPart(r.chunk.symbols[0] ?? '');
    if (whole === r.chunk && first < at && name !== '') out.push({ ...r, partOf: { startLine: (run[0] as C).startLine, endLine: (run.at(-1) as C).endLine, name } });
    else out.push(whole === r.chunk ? r : { ...r, chunk: whole });
  }
  return out;
}

/** A file the chosen ones use is brought in when its rank reaches this share of the best chosen file's… */
export const EXPAND_SHARE = 0.25;
/** …at most this many of them, each by the chunk that defines what they use. */
export const MAX_EXPANDED = 2;

/**
 * The expansion stage: the files the chosen ones lean on (core/retrieval/codeGraph, personalised PageRank seeded by the
 * chosen files' scores), each by its chunk that defines the most of the names the chosen files use from it. Only code
 * that runs is brought in this way; a file already chosen is not brought again.
 */
function expansion<C extends ChunkRef>(files: readonly RankableFile<C>[], taken: readonly FileScore<C>[], graph: CodeGraph, asked: AskedKinds): RankedChunk<C>[] {
  const rank = graph.rank(new Map(taken.map((s) => [s.file.path, s.score])));
  const top = Math.max(...taken.map((s) => rank.get(s.file.path) ?? 0));
  const chosen = new Set(taken.map((s) => s.file.path));
  const byPath = new Map(files.map((f) => [f.path, f]));
  const out: RankedChunk<C>[] = [];
  const candidates = [...rank].filter(([p, r]) => !chosen.has(p) && r >= EXPAND_SHARE * top).sort((a, b) => b[1] - a[1]);
  for (const [p, r] of candidates) {
    const file = byPath.get(p);
    if (file === undefined || file.fields.kind !== 'code' || filler(file.fields, asked)) continue;
    const users = taken.map((s) => ({ from: s.file.path, names: graph.namesBetween(s.file.path, p) })).filter((u) => u.names.length > 0);
    const names = new Set(users.flatMap((u) => u.names));
    let best = -1;
    let most = 0;
    file.chunks.forEach((c, i) => {
      const n = c.symbols.filter((s) => names.has(s.split('.').at(-1) ?? s)).length;
      if (n > most) [best, most] = [i, n];
    });
    const chunk = file.chunks[best];
    const user = users[0];
    if (chunk === undefined || user === undefined) continue;
    const defined = chunk.symbols.map((s) => s.split('.').at(-1) ?? s).filter((s) => names.has(s));
    out.push({ chunk, score: Math.round((1000 * r) / top) / 1000, reason: `defines ${defined.slice(0, 2).join(', ')}, which ${user.from} uses` });
    if (out.length >= MAX_EXPANDED) break;
  }
  return out;
}

/** What the words of a question find in a workspace, before any vector: the decision to search reads it (core/retrieval/searchEvidence). */
export interface LexicalMatch {
  /** How strongly the words point at the best code file: its BM25F score over the square root of the question's term weight (longer questions find more by chance); 0 when no file earns a place. */
  strength: number;
  /** That file, and the question's words it holds, most telling first. */
  path?: string;
  words: string[];
  /** The specificity (core/retrieval/specificity) of the question's terms that file holds, summed: how many telling words agree on it. */
  wordsHeld: number;
  /**
   * The same, each term's specificity times how much it tells a code base from the code of the workspace's languages
   * (codeSpecificity with `languages`): how much of what agrees on the file is this code base's rather than every code
   * base's — "merge", "date" and "objects" are every code base's words; "slice" and "struct", rare in code in general,
   * every Go code base's.
   */
  ownInLanguageHeld: number;
  /** The workspace's languages (languagesOf), by which `ownInLanguageHeld` was weighed. */
  languages: Language[];
}

/** The best code file for the question's words alone (no vectors, nothing named counted twice): what retrieval's evidence is made of. */
export function lexicalMatch(files: readonly RankableFile[], query: RankQuery): LexicalMatch {
  const scored = scoreFiles(files, query);
  const T = query.terms.length;
  let top = -1;
  // Code that runs: data, assets, tests and examples share words with anything ("Fe", "Pb" in a logo's SVG).
  const counts = (k: number): boolean => {
    const { fields } = files[scored.kept[k] as number] as RankableFile;
    return (scored.score[k] as number) > 0 && fields.kind === 'code' && !fields.test && !fields.aside;
  };
  for (let k = 0; k < scored.kept.length; k++) if (counts(k) && (top < 0 || (scored.bm25[k] as number) > (scored.bm25[top] as number))) top = k;
  const languages = languagesOf(files);
  if (top < 0 || scored.questionWeight <= 0) return { strength: 0, words: [], wordsHeld: 0, ownInLanguageHeld: 0, languages };
  const held: { word: string; weight: number }[] = [];
  let wordsHeld = 0;
  let ownInLanguageHeld = 0;
  for (let t = 0; t < T; t++) {
    if ((scored.tf[top * T + t] as number) <= 0) continue;
    const term = query.terms[t] as number;
    wordsHeld += query.weight[t] as number;
    ownInLanguageHeld += (query.weight[t] as number) * codeSpecificity(term, languages);
    held.push({ word: query.words.get(term) ?? '', weight: scored.idf[t] as number });
  }
  held.sort((a, b) => b.weight - a.weight);
  return {
    strength: (scored.bm25[top] as number) / Math.sqrt(scored.questionWeight),
    path: (files[scored.kept[top] as number] as RankableFile).path,
    words: [...new Set(held.map((h) => h.word.toLowerCase()))],
    wordsHeld,
    ownInLanguageHeld,
    languages,
  };
}

/** A language is the code base's when at least this share of its code files are written in it. */
export const LANGUAGE_SHARE = 0.2;

const languagesKept = new WeakMap<readonly RankableFile[], Language[]>();

/**
 * The languages (core/retrieval/languages) of the workspace's code files, each at least LANGUAGE_SHARE of them; counted
 * once per list of files (the evidence matches hundreds of questions against one index's files).
 */
export function languagesOf(files: readonly RankableFile[]): Language[] {
  const known = languagesKept.get(files);
  if (known !== undefined) return known;
  const counts = new Map<Language, number>();
  let code = 0;
  for (const { path, fields } of files) {
    if (fields.kind !== 'code') continue;
    code++;
    const language = languageOf(path);
    if (language !== undefined) counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  const languages = [...counts].filter(([, n]) => n >= LANGUAGE_SHARE * code).map(([language]) => language);
  languagesKept.set(files, languages);
  return languages;
}

const chunkNames = new WeakMap<ChunkRef, TermCounts>();
/**
 * The terms of the names a chunk defines, whole qualified names as terms split them (`load_dotenv` → load_dotenv, load,
 * dotenv; `KeepAliveStream.poll_next` → keepalivestream, keep, alive, stream, poll_next, poll, next): a method is found
 * by its type's words too ("how do server-sent events stay alive"). Computed once per indexed chunk.
 */
function nameTerms(chunk: ChunkRef): TermCounts {
  let names = chunkNames.get(chunk);
  if (names === undefined) chunkNames.set(chunk, (names = termCounts(chunk.symbols.join(' '))));
  return names;
}

/**
 * Within the chosen files (best first): the best file's chunks that earn their place, then each other file's best chunk,
 * then the best file's other chunks near its best (the definition that answers often shares only the question's plainer
 * words: print_number for "how does printing choose how many digits"), then what each chosen file's chosen chunks call,
 * then the other files' further chunks that earn theirs.
 */
function chooseChunks<C extends ChunkRef>(chosen: readonly FileScore<C>[], query: RankQuery, idf: readonly number[], asked: AskedKinds): RankedChunk<C>[] {
  const lengths = chosen.flatMap((s) => s.file.terms.map((t) => t.length));
  const avgChunk = lengths.reduce((a, b) => a + b, 0) / (lengths.length || 1) || 1;
  const firsts: RankedChunk<C>[] = [];
  const near: RankedChunk<C>[] = [];
  const called: RankedChunk<C>[] = [];
  const further: RankedChunk<C>[] = [];
  chosen.forEach((s, rank) => {
    const { file } = s;
    // BM25F of each chunk over its text and the names it defines (the files' idf), divided by the file's best: the
    // definition whose name holds the question's words (`load_dotenv` for "env-file loading") before one that only uses it.
    const text = file.terms.map((terms, i) => {
      const names = nameTerms(file.chunks[i] as ChunkRef);
      let sum = 0;
      query.terms.forEach((id, t) => {
        const x = countOf(terms, id) / (1 - B + (B * terms.length) / avgChunk) + FIELD_WEIGHT.names * countOf(names, id);
        if (x > 0) sum += ((idf[t] as number) * x * (K1 + 1)) / (x + K1);
      });
      return sum;
    });
    const bestText = Math.max(...text);
    const scores = file.chunks.map((chunk, i) => {
      const named = query.stages.symbols ? definitionBoost(chunk, query.mentions.identifiers) : 0;
      // A product file's own tests (a Rust `mod tests`) come as a test file does: when the question is about tests or names them.
      if (named === 0 && !asked.tests && !file.fields.test && isTestDefinition(chunk.symbols)) return 0;
      return (bestText > 0 ? (text[i] as number) / bestText : 0) + named + (query.stages.vectors ? SIMILARITY_WEIGHT * Math.max(0, file.similarity[i] as number) : 0);
    });
    // A further chunk of another file needs evidence of its own: it names what the question names, or holds several of its distinctive words.
    const earns = (i: number): boolean => {
      const terms = file.terms[i] as TermCounts;
      if (query.mentions.identifiers.some((id) => defines(file.chunks[i] as ChunkRef, id) || countOf(terms, query.identifiers.get(id) ?? 0) > 0)) return true;
      return query.terms.reduce((sum, id, t) => sum + (query.distinctive[t] === true && countOf(terms, id) > 0 ? (query.weight[t] as number) : 0), 0) >= DISTINCTIVE_TERMS;
    };
    const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
    const top = scores[order[0] ?? 0] ?? 0;
    const limit = CHUNKS_PER_FILE[Math.min(rank, CHUNKS_PER_FILE.length - 1)] ?? 1;
    const picked: number[] = [];
    order.slice(0, limit).forEach((i, k) => {
      if (k > 0 && (scores[i] as number) < CHUNK_FLOOR * top) return;
      const earned = k === 0 || earns(i);
      if (rank > 0 && !earned) return;
      picked.push(i);
      const chunk = file.chunks[i] as C;
      (k === 0 || (rank === 0 && earned) ? firsts : rank === 0 ? near : further).push({ chunk, score: Math.round(1000 * s.score) / 1000, reason: reasonOf(s.named, chunk, file.terms[i] as TermCounts, query) });
    });
    called.push(...callees(file, picked, scores, s.score));
  });
  return [...firsts, ...near, ...called, ...further];
}

/** Of each chosen file, the definitions its chosen chunks call, at most this many, after every chosen file's best: the function that does the work beside the one whose words the question shares. */
export const MAX_CALLEES = 3;

/**
 * The callee stage: the definitions of a chosen file that its chosen chunks call (their parser-read references), the
 * ones closest to the question first. "How does compression choose an encoding?" finds the middleware, which calls the
 * file's `selectEncoding`; that goes too.
 */
function callees<C extends ChunkRef>(file: RankableFile<C>, picked: readonly number[], scores: readonly number[], score: number): RankedChunk<C>[] {
  const callers = new Map<number, string>();
  for (const i of picked) {
    const caller = file.chunks[i] as C;
    for (const name of caller.references ?? []) {
      const j = file.chunks.findIndex((c, at) => !picked.includes(at) && defines(c, name));
      if (j >= 0 && !callers.has(j)) callers.set(j, `defines ${name}, which ${lastPart(caller.symbols[0] ?? '') || 'the chosen code'} calls`);
    }
  }
  return [...callers]
    .sort((a, b) => (scores[b[0]] as number) - (scores[a[0]] as number))
    .slice(0, MAX_CALLEES)
    .map(([j, reason]) => ({ chunk: file.chunks[j] as C, score: Math.round(1000 * score) / 1000, reason }));
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
