/**
 * Per-model correctness labels, kept apart from the vectors so a label update rewrites one small file.
 * In memory: one Int8Array per model in bank order, 1 correct, 0 wrong, -1 unlabelled.
 * On disk: `{"models": [...], "rows": {"<id>": "10-"}}`, one character per model in `models` order.
 */

/** Label columns by model key; every column has one entry per bank question. */
export type LabelColumns = Map<string, Int8Array>;

export const UNLABELLED = -1;

/** Serialises label columns for the questions `ids` (bank order). Rows without any label are left out. */
export function serializeLabels(columns: LabelColumns, ids: readonly string[]): string {
  const models = [...columns.keys()];
  const cols = models.map((m) => columns.get(m) as Int8Array);
  const rows: Record<string, string> = {};
  for (const [i, id] of ids.entries()) {
    let row = '';
    let any = false;
    for (const col of cols) {
      const v = col[i];
      row += v === 1 ? '1' : v === 0 ? '0' : '-';
      if (v !== UNLABELLED) any = true;
    }
    if (any) rows[id] = row;
  }
  return JSON.stringify({ models, rows });
}

/** Parses a labels file into columns for a bank whose questions are indexed by `idIndex`. Throws on a malformed file. */
export function parseLabels(text: string, idIndex: ReadonlyMap<string, number>, size: number): LabelColumns {
  const data = JSON.parse(text) as { models?: unknown; rows?: unknown };
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
  return new Map(columns);
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
