/**
 * How well workspace context finds the code a question is about (`smcs eval context`): for questions whose gold files
 * are known (the files a real fix changed), how often a gold file is among the first k files of what an ask sends,
 * how much it sends and how much of that is prose — beside a plain BM25 over the code files, the baseline any ranking
 * should beat. Questions without gold files are not about the workspace: they measure what it adds to their requests,
 * plain questions and exercises that bring their own code (core/retrieval/questionCode) apart.
 */
import { bm25 } from '../retrieval/terms';
import { fileKind, isTestPath } from '../retrieval/fileKinds';
import { questionParts } from '../retrieval/questionCode';
import { percentile } from '../util/arrays';

export const RECALL_AT = [1, 3, 5, 10] as const;
/** Share of questions with a gold file among the first k files, for each k of RECALL_AT. */
export type Recall = Record<`at${(typeof RECALL_AT)[number]}`, number>;

export interface ContextEvalQuestion {
  question: string;
  /** What kind of question it is, as the set says (`bug`, `plain`, `named`, `unrelated`…): the report gives each kind apart. */
  kind?: string;
  /** Workspace-relative paths of the files the answer is in; none for a plain question. */
  gold: readonly string[];
  /** What the ask sends, in the order it is sent, with the lines each item holds. */
  sent: readonly { path: string; tokens: number; startLine?: number; endLine?: number }[];
  /** The definitions that answer the question, when the set names them (`definitions` of a plain-words row). */
  definitions?: readonly GoldDefinition[];
  /** The ask's decision line: whether it searched and why (core/retrieval/contextDecision). */
  decision?: string;
  /** Bytes of the user message the ask sends, and of the same question sent without a workspace. */
  bytes: number;
  bareBytes: number;
  /** Time to gather the context (the index already built). */
  ms: number;
  /** Code files ranked by the plain BM25, best first. */
  baseline: readonly string[];
}

/** A definition that answers a question: its file and lines, signature to last line. */
export interface GoldDefinition {
  path: string;
  startLine: number;
  endLine: number;
}

/**
 * A gold definition reached the models when what was sent of its file holds its first line (the signature) and at
 * least this share of its lines: the code that answers, not only its file.
 */
export const DEFINITION_SHARE = 0.5;

function definitionReached(sent: ContextEvalQuestion['sent'], definition: GoldDefinition): boolean {
  const lines = new Set<number>();
  for (const s of sent) {
    if (s.path !== definition.path || s.startLine === undefined || s.endLine === undefined) continue;
    for (let l = Math.max(s.startLine, definition.startLine); l <= Math.min(s.endLine, definition.endLine); l++) lines.add(l);
  }
  return lines.has(definition.startLine) && lines.size >= DEFINITION_SHARE * (definition.endLine - definition.startLine + 1);
}

/** What a workspace added to the requests of questions that are not about it. */
export interface NotAboutWorkspace {
  questions: number;
  /** How many of them carried anything of the workspace. */
  carried: number;
  sizeRatioMedian: number;
  sizeRatioMax: number;
  tokensMedian: number;
}

export interface ContextEvalRow {
  question: string;
  kind?: string;
  gold: readonly string[];
  /** The distinct files sent, in send order. */
  files: string[];
  /** Each item sent as `path:startLine-endLine`, in send order. */
  items: string[];
  /** 1-based rank of the first gold file among `files`; null when none was sent. */
  rank: number | null;
  baselineRank: number | null;
  tokens: number;
  /** Whether one of the answering definitions reached the models (null when the set names none). */
  definitionReached: boolean | null;
  decision?: string;
  /** Bytes of the request's user message with the workspace divided by those without it. */
  sizeRatio: number;
  ms: number;
}

export interface ContextEvalReport {
  /** Questions with gold files. */
  questions: number;
  recall: Recall;
  /** Share of questions with a gold file anywhere in what is sent. */
  reached: number;
  /** Of the questions whose answering definitions the set names, how many there are and the share where one reached the models. */
  definitions: { questions: number; reached: number };
  tokens: { median: number; p90: number };
  /** Share of the sent tokens (all questions with gold files together) that are prose: docs, templates, community files. */
  proseShare: number;
  /** Share of the same tokens that are test files. */
  testShare: number;
  msMedian: number;
  /** The plain BM25 over code files. */
  baseline: Recall;
  /** Questions without gold files and without code: what the workspace added to their requests. */
  plain: NotAboutWorkspace | null;
  /** Questions without gold files that bring their own code (exercises, snippets to fix), likewise. */
  exercises: NotAboutWorkspace | null;
  /** The same figures for each kind of question the set names (rows without a kind are left out). */
  byKind: Record<string, KindReport>;
  rows: ContextEvalRow[];
}

/** One kind's figures: recall beside BM25 for questions with gold files, what was added for those without. */
export interface KindReport {
  questions: number;
  /** How many of them have gold files (the rest are not about the workspace). */
  withGold: number;
  recall: Recall;
  reached: number;
  definitions: { questions: number; reached: number };
  baseline: Recall;
  tokensMedian: number;
  /** Questions without gold files: how many carried anything of the workspace. */
  carried: number;
}

/** 1-based rank of the first of `gold` in `ranked`, or null. */
function firstRank(ranked: readonly string[], gold: readonly string[]): number | null {
  const i = ranked.findIndex((f) => gold.includes(f));
  return i < 0 ? null : i + 1;
}

function recallOf(ranks: readonly (number | null)[]): Recall {
  const share = (k: number) => (ranks.length === 0 ? 0 : ranks.filter((r) => r !== null && r <= k).length / ranks.length);
  return { at1: share(1), at3: share(3), at5: share(5), at10: share(10) };
}

function definitionRecall(rows: readonly ContextEvalRow[]): { questions: number; reached: number } {
  const named = rows.filter((r) => r.definitionReached !== null);
  return { questions: named.length, reached: named.length === 0 ? 0 : named.filter((r) => r.definitionReached === true).length / named.length };
}

function notAboutWorkspace(rows: readonly ContextEvalRow[]): NotAboutWorkspace | null {
  if (rows.length === 0) return null;
  return {
    questions: rows.length,
    carried: rows.filter((r) => r.tokens > 0).length,
    sizeRatioMedian: percentile(rows.map((r) => r.sizeRatio), 0.5),
    sizeRatioMax: Math.max(...rows.map((r) => r.sizeRatio)),
    tokensMedian: percentile(rows.map((r) => r.tokens), 0.5),
  };
}

export function contextEvalReport(outcomes: readonly ContextEvalQuestion[]): ContextEvalReport {
  const rows = outcomes.map((o): ContextEvalRow => {
    const files = [...new Set(o.sent.map((s) => s.path))];
    return {
      question: o.question,
      ...(o.kind !== undefined ? { kind: o.kind } : {}),
      gold: o.gold,
      files,
      items: o.sent.map((s) => `${s.path}:${s.startLine ?? ''}-${s.endLine ?? ''}`),
      rank: firstRank(files, o.gold),
      baselineRank: firstRank(o.baseline, o.gold),
      tokens: o.sent.reduce((n, s) => n + s.tokens, 0),
      definitionReached: o.definitions === undefined || o.definitions.length === 0 ? null : o.definitions.some((d) => definitionReached(o.sent, d)),
      ...(o.decision !== undefined ? { decision: o.decision } : {}),
      sizeRatio: o.bareBytes > 0 ? o.bytes / o.bareBytes : 1,
      ms: o.ms,
    };
  });
  const withGold = rows.filter((r) => r.gold.length > 0);
  const withoutGold = rows.filter((r) => r.gold.length === 0);
  const bringsCode = (r: ContextEvalRow) => questionParts(r.question).code !== '';
  const sent = outcomes.filter((o) => o.gold.length > 0).flatMap((o) => o.sent);
  const total = sent.reduce((n, s) => n + s.tokens, 0);
  const tokensOf = (keep: (path: string) => boolean) => sent.filter((s) => keep(s.path)).reduce((n, s) => n + s.tokens, 0);
  const ranks = withGold.map((r) => r.rank);
  return {
    questions: withGold.length,
    recall: recallOf(ranks),
    reached: withGold.length === 0 ? 0 : ranks.filter((r) => r !== null).length / withGold.length,
    definitions: definitionRecall(withGold),
    tokens: { median: percentile(withGold.map((r) => r.tokens), 0.5), p90: percentile(withGold.map((r) => r.tokens), 0.9) },
    proseShare: total > 0 ? tokensOf((p) => fileKind(p) === 'prose') / total : 0,
    testShare: total > 0 ? tokensOf(isTestPath) / total : 0,
    msMedian: percentile(rows.map((r) => r.ms), 0.5),
    baseline: recallOf(withGold.map((r) => r.baselineRank)),
    plain: notAboutWorkspace(withoutGold.filter((r) => !bringsCode(r))),
    exercises: notAboutWorkspace(withoutGold.filter(bringsCode)),
    byKind: Object.fromEntries([...new Set(rows.flatMap((r) => (r.kind === undefined ? [] : [r.kind])))].map((kind) => [kind, kindReport(rows.filter((r) => r.kind === kind))])),
    rows,
  };
}

function kindReport(rows: readonly ContextEvalRow[]): KindReport {
  const withGold = rows.filter((r) => r.gold.length > 0);
  const ranks = withGold.map((r) => r.rank);
  return {
    questions: rows.length,
    withGold: withGold.length,
    recall: recallOf(ranks),
    reached: withGold.length === 0 ? 0 : ranks.filter((r) => r !== null).length / withGold.length,
    definitions: definitionRecall(withGold),
    baseline: recallOf(withGold.map((r) => r.baselineRank)),
    tokensMedian: percentile(rows.map((r) => r.tokens), 0.5),
    carried: rows.filter((r) => r.gold.length === 0 && r.tokens > 0).length,
  };
}

/** The words of the plain BM25: lower-cased runs of letters, digits and underscores (`split_graphemes` is one). */
const plainWords = (text: string): string[] => text.toLowerCase().match(/[a-z0-9_]+/g) ?? [];

/**
 * The baseline: Okapi BM25 (k1 1.2, b 0.75) of the question's words over whole files, nothing else — no paths, no
 * names, no vectors. The files ranked, best first, those sharing no word with the question left out; ties keep the
 * order of `files`.
 */
export function plainBm25(files: readonly { path: string; text: string }[], question: string): string[] {
  const terms = [...new Set(plainWords(question))];
  const column = new Map(terms.map((t, i) => [t, i]));
  const tf = new Float64Array(files.length * terms.length);
  const lengths = new Float64Array(files.length);
  files.forEach((f, d) => {
    const words = plainWords(f.text);
    lengths[d] = words.length;
    for (const w of words) {
      const t = column.get(w);
      if (t !== undefined) tf[d * terms.length + t] = (tf[d * terms.length + t] as number) + 1;
    }
  });
  const scores = bm25(tf, terms.length, lengths);
  return files
    .map((f, d) => ({ path: f.path, score: scores[d] as number }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score)
    .map((s) => s.path);
}
