/**
 * Per-model correctness labels, kept apart from the vectors so a label update rewrites one small file, with the
 * tokens of the reply each label came from.
 * In memory: one Int8Array per model in bank order, 1 correct, 0 wrong, -1 unlabelled; tokens one Float32Array per
 * model of three numbers a question (prompt, completion, 1 when estimated from the texts' length), NaN when none.
 * On disk: `{"models": [...], "rows": {"<id>": "10-"}, "tokens": {"<id>": [[120, 340], null, [118, 90, 1]]}}`, one
 * character (and one token entry) per model in `models` order. `tokens` is left out when no label has any, so banks
 * without them read and write as before, and an older version reading a newer file ignores it.
 */
import type { RecordedTokens } from '../../core/contracts/types';
import { setOwn } from '../../core/util/ownKeys';

/** Label columns by model key; every column has one entry per bank question. */
export type LabelColumns = Map<string, Int8Array>;

/** Token columns by model key: prompt, completion, estimated (1/0) for each bank question in turn; NaN = none. */
export type TokenColumns = Map<string, Float32Array>;

/** Numbers per question in a token column. */
export const TOKEN_STRIDE = 3;

/** The tokens of row `i` of a token column, or undefined when none are recorded. */
export function tokensAt(column: Float32Array | undefined, i: number): RecordedTokens | undefined {
  const prompt = column?.[i * TOKEN_STRIDE];
  const completion = column?.[i * TOKEN_STRIDE + 1];
  if (prompt === undefined || completion === undefined || Number.isNaN(prompt) || Number.isNaN(completion)) return undefined;
  return column?.[i * TOKEN_STRIDE + 2] === 1 ? { prompt, completion, estimated: true } : { prompt, completion };
}

/** Writes (or clears, with undefined) the tokens of row `i`. */
export function setTokensAt(column: Float32Array, i: number, tokens: RecordedTokens | undefined): void {
  column.set(tokens ? [tokens.prompt, tokens.completion, tokens.estimated ? 1 : 0] : [Number.NaN, Number.NaN, Number.NaN], i * TOKEN_STRIDE);
}

export const UNLABELLED = -1;

/** Serialises label columns (and their tokens) for the questions `ids` (bank order). Rows without any label are left out. */
export function serializeLabels(columns: LabelColumns, ids: readonly string[], tokenColumns: TokenColumns = new Map()): string {
  const models = [...columns.keys()];
  const cols = models.map((m) => columns.get(m) as Int8Array);
  const rows: Record<string, string> = {};
  const tokens: Record<string, ([number, number] | [number, number, 1] | null)[]> = {};
  for (const [i, id] of ids.entries()) {
    const entries = models.map((m) => {
      const t = tokensAt(tokenColumns.get(m), i);
      return t === undefined ? null : t.estimated ? ([t.prompt, t.completion, 1] as [number, number, 1]) : ([t.prompt, t.completion] as [number, number]);
    });
    if (entries.some((e) => e !== null)) setOwn(tokens, id, entries);
  }
  for (const [i, id] of ids.entries()) {
    let row = '';
    let any = false;
    for (const col of cols) {
      const v = col[i];
      row += v === 1 ? '1' : v === 0 ? '0' : '-';
      if (v !== UNLABELLED) any = true;
    }
    if (any) setOwn(rows, id, row);
  }
  return JSON.stringify(Object.keys(tokens).length > 0 ? { models, rows, tokens } : { models, rows });
}

/** Parses a labels file into label and token columns for a bank whose questions are indexed by `idIndex`. Throws on a malformed file. */
export function parseLabels(text: string, idIndex: ReadonlyMap<string, number>, size: number): { labels: LabelColumns; tokens: TokenColumns } {
  const data = JSON.parse(text) as { models?: unknown; rows?: unknown; tokens?: unknown };
  if (!Array.isArray(data.models) || typeof data.rows !== 'object' || data.rows === null) throw new Error('not a labels file');
  const models = data.models as string[];
  const columns = models.map((model) => [model, new Int8Array(size).fill(UNLABELLED)] as const);
  for (const [id, row] of Object.entries(data.rows as Record<string, string>)) {
    const i = idIndex.get(id);
    if (i === undefined) continue;
    for (const [m, [, col]] of columns.entries()) {
      const c = row[m];
      if (c === '1') col[i] = 1;
      else if (c === '0') col[i] = 0;
    }
  }
  const tokens: TokenColumns = new Map();
  if (typeof data.tokens === 'object' && data.tokens !== null) {
    for (const [id, entries] of Object.entries(data.tokens as Record<string, unknown>)) {
      const i = idIndex.get(id);
      if (i === undefined || !Array.isArray(entries)) continue;
      models.forEach((model, m) => {
        const e: unknown = entries[m];
        if (!Array.isArray(e) || typeof e[0] !== 'number' || typeof e[1] !== 'number') return;
        let column = tokens.get(model);
        if (!column) tokens.set(model, (column = new Float32Array(size * TOKEN_STRIDE).fill(Number.NaN)));
        setTokensAt(column, i, { prompt: e[0], completion: e[1], ...(e[2] === 1 ? { estimated: true } : {}) });
      });
    }
  }
  return { labels: new Map(columns), tokens };
}

/** Token columns for a bank whose rows were filtered: keeps row i when `keep[i]` is true. */
export function filterTokenRows(columns: TokenColumns, keep: Uint8Array, newSize: number): TokenColumns {
  const out: TokenColumns = new Map();
  for (const [model, col] of columns) {
    const next = new Float32Array(newSize * TOKEN_STRIDE).fill(Number.NaN);
    let j = 0;
    keep.forEach((k, i) => {
      if (k) next.set(col.subarray(i * TOKEN_STRIDE, (i + 1) * TOKEN_STRIDE), TOKEN_STRIDE * j++);
    });
    out.set(model, next);
  }
  return out;
}

/** Token columns grown to `newSize` rows; new rows have none. */
export function growTokenRows(columns: TokenColumns, newSize: number): TokenColumns {
  const out: TokenColumns = new Map();
  for (const [model, col] of columns) {
    const next = new Float32Array(newSize * TOKEN_STRIDE).fill(Number.NaN);
    next.set(col.subarray(0, Math.min(col.length, newSize * TOKEN_STRIDE)));
    out.set(model, next);
  }
  return out;
}

/** Columns for a bank whose rows were filtered: keeps row i when `keep[i]` is true. */
export function filterRows(columns: LabelColumns, keep: Uint8Array, newSize: number): LabelColumns {
  const out: LabelColumns = new Map();
  for (const [model, col] of columns) {
    const next = new Int8Array(newSize);
    let j = 0;
    col.forEach((v, i) => {
      if (keep[i]) next[j++] = v;
    });
    out.set(model, next);
  }
  return out;
}

/** Columns grown to `newSize` rows; new rows are unlabelled. */
export function growRows(columns: LabelColumns, newSize: number): LabelColumns {
  const out: LabelColumns = new Map();
  for (const [model, col] of columns) {
    const next = new Int8Array(newSize).fill(UNLABELLED);
    next.set(col.subarray(0, Math.min(col.length, newSize)));
    out.set(model, next);
  }
  return out;
}
