/**
 * The code's own structure as retrieval's expansion stage reads it (after aider's repository map): files linked by the
 * names one uses and another defines, as the parser found them (src/parse), and a personalised PageRank over those
 * links seeded by the files the question's words chose. A file the chosen ones lean on — the helper that does the work
 * (`wrap_text` for `write_usage`), the converter a command calls — gains rank without sharing the question's words.
 */

/** What the index knows of a file's names (src/workspace WorkspaceIndex.fileNames). */
export interface FileNames {
  path: string;
  /** The names its definitions have, qualified or not (`Option.get_default`, `wrap_text`). */
  defines: readonly string[];
  /** The names it uses that it does not define, with how many of its chunks use each. */
  references: readonly { name: string; chunks: number }[];
}

/** A name defined in more files than this (`get`, `run`, `__init__`) links nothing: which one is meant is unknown. */
export const MAX_DEFINERS = 3;
/** The share of rank that follows links at each step (the rest returns to the seeds). */
export const DAMPING = 0.6;
const ITERATIONS = 20;

const lastPart = (name: string): string => name.split('.').at(-1) ?? name;

/** A link: the file used, how strongly, and the names it is used by. */
interface Link {
  to: number;
  weight: number;
  names: string[];
}

export class CodeGraph {
  private readonly index = new Map<string, number>();
  private readonly links: Link[][];

  constructor(private readonly files: readonly FileNames[]) {
    files.forEach((f, i) => this.index.set(f.path, i));
    const definers = new Map<string, number[]>();
    files.forEach((f, i) => {
      for (const name of new Set(f.defines.map(lastPart))) {
        const list = definers.get(name);
        if (list === undefined) definers.set(name, [i]);
        else list.push(i);
      }
    });
    this.links = files.map((f, i) => {
      const byFile = new Map<number, Link>();
      for (const { name, chunks } of f.references) {
        const defining = (definers.get(name) ?? []).filter((j) => j !== i);
        if (defining.length === 0 || defining.length > MAX_DEFINERS) continue;
        for (const j of defining) {
          const link = byFile.get(j) ?? { to: j, weight: 0, names: [] };
          link.weight += chunks / defining.length;
          link.names.push(name);
          byFile.set(j, link);
        }
      }
      const total = [...byFile.values()].reduce((sum, l) => sum + l.weight, 0);
      return [...byFile.values()].map((l) => ({ ...l, weight: l.weight / total }));
    });
  }

  /**
   * Personalised PageRank seeded by `seeds` (path → weight): each file's rank, the seeds' included. A file that links
   * nowhere returns its rank to the seeds.
   */
  rank(seeds: ReadonlyMap<string, number>): Map<string, number> {
    const n = this.files.length;
    const start = new Float64Array(n);
    let total = 0;
    for (const [p, w] of seeds) {
      const i = this.index.get(p);
      if (i !== undefined && w > 0) {
        start[i] = (start[i] as number) + w;
        total += w;
      }
    }
    if (total === 0) return new Map();
    for (let i = 0; i < n; i++) start[i] = (start[i] as number) / total;
    let rank = Float64Array.from(start);
    for (let step = 0; step < ITERATIONS; step++) {
      const next = new Float64Array(n);
      let returned = 0;
      for (let i = 0; i < n; i++) {
        const r = rank[i] as number;
        if (r === 0) continue;
        const out = this.links[i] as Link[];
        if (out.length === 0) returned += DAMPING * r;
        else for (const l of out) next[l.to] = (next[l.to] as number) + DAMPING * r * l.weight;
      }
      for (let i = 0; i < n; i++) next[i] = (next[i] as number) + (1 - DAMPING + returned) * (start[i] as number);
      rank = next;
    }
    const out = new Map<string, number>();
    rank.forEach((r, i) => {
      if (r > 0) out.set((this.files[i] as FileNames).path, r);
    });
    return out;
  }

  /** The names `from` uses that `to` defines (for the reason a file was brought in). */
  namesBetween(from: string, to: string): string[] {
    const i = this.index.get(from);
    const j = this.index.get(to);
    if (i === undefined || j === undefined) return [];
    return (this.links[i] as Link[]).find((l) => l.to === j)?.names ?? [];
  }
}
