/**
 * The workspace index as the search evidence reads it (core/retrieval/searchEvidence): the names and files it holds,
 * what a text's words find in its code, and what the unrelated questions find there. Those are scored once per index
 * and again only once its files or chunks have changed by more than RESCORE_SHARE (scoring them took ~7 s on 3,000
 * generated files, `smcs bench --workspace-files`; a saved file moves them by next to nothing), and kept beside the
 * index on disk for the next session (savedCalibration). The code graph (core/retrieval/codeGraph) is kept the same
 * way, in memory.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mentionsIn } from '../core/retrieval/mentions';
import { projectModules } from '../core/retrieval/projectModules';
import { lexicalMatch, rankQuery, type RankableFile } from '../core/retrieval/ranking';
import { calibrationScores, type WorkspaceLookup } from '../core/retrieval/searchEvidence';
import { calibrationOf } from './savedCalibration';
import type { WorkspaceIndex } from './workspaceIndex';

/** The index's files or chunks change by more than this share before what was computed from all of it is computed again. */
export const RESCORE_SHARE = 0.05;

/** Whether an index of `now` files (or chunks) is near enough to one of `was` for what was computed from it to stand. */
const near = (was: number, now: number): boolean => Math.abs(now - was) <= RESCORE_SHARE * Math.max(was, 1);

/** A value computed from a whole index, kept per index until the index has grown or shrunk by more than RESCORE_SHARE. */
export function keptPerIndex<T>(make: (index: WorkspaceIndex) => T): (index: WorkspaceIndex) => T {
  const kept = new WeakMap<WorkspaceIndex, { files: number; chunks: number; value: T }>();
  return (index) => {
    const known = kept.get(index);
    if (known !== undefined && near(known.files, index.fileCount) && near(known.chunks, index.chunkCount)) return known.value;
    const value = make(index);
    kept.set(index, { files: index.fileCount, chunks: index.chunkCount, value });
    return value;
  };
}

/** What a text's words find in the index's code (core/retrieval/ranking lexicalMatch), over the index as it is now. */
function matcher(index: WorkspaceIndex): (text: string) => ReturnType<typeof lexicalMatch> {
  let files: RankableFile[] | undefined;
  return (text) => lexicalMatch((files ??= index.rankable()), rankQuery(text, mentionsIn(text)));
}

/** What the calibration questions find in the index, ascending: saved beside it (savedCalibration), so a new session finds it ready. */
const calibration = keptPerIndex((index) => {
  const match = matcher(index);
  const source = { dir: index.dir, files: index.fileCount, chunks: index.chunkCount, near, score: (question: string) => match(question).strength };
  return calibrationOf(source, () => calibrationScores(match)).sort();
});

/** The manifests that declare a project's own name, and how each says it. */
const MANIFESTS: readonly { file: string; name: RegExp }[] = [
  { file: 'package.json', name: /^\s*"name"\s*:\s*"([^"]+)"/m },
  { file: 'go.mod', name: /^module\s+(\S+)/m },
  { file: 'Cargo.toml', name: /^\s*name\s*=\s*"([^"]+)"/m },
  { file: 'pyproject.toml', name: /^\s*name\s*=\s*"([^"]+)"/m },
  { file: 'setup.cfg', name: /^\[metadata\][^[]*?^\s*name\s*=\s*([\w.-]+)\s*$/m },
  { file: 'setup.py', name: /\bsetup\s*\([^)]*?\bname\s*=\s*["']([\w.-]+)["']/ },
  { file: 'composer.json', name: /^\s*"name"\s*:\s*"([^"]+)"/m },
];

/** The names the workspace's manifests at its root declare (`express`, `github.com/gin-gonic/gin`); a manifest that cannot be read declares none. */
function declaredNames(root: string): string[] {
  return MANIFESTS.flatMap(({ file, name }) => {
    try {
      const found = name.exec(readFileSync(path.join(root, file), 'utf8'))?.[1];
      return found === undefined ? [] : [found];
    } catch {
      return [];
    }
  });
}

const modules = keptPerIndex((index) => projectModules(index.paths(), declaredNames(index.root)));

/**
 * Computes what the decision reads of a whole index — what the unrelated and general questions find in it, the modules
 * it holds — so that it is ready when the index is built or has changed, not computed by the first ask that needs it.
 */
export function calibrate(index: WorkspaceIndex): void {
  calibration(index);
  modules(index);
}

export function evidenceLookup(index: WorkspaceIndex): WorkspaceLookup {
  return {
    definedIn: (name) => [...new Set(index.defining(name).map((chunk) => chunk.path))],
    uses: (id) => index.uses(id),
    hasFile: (mention) => index.hasFile(mention),
    module: (parts) => modules(index).resolve(parts),
    match: matcher(index),
    unrelated: () => calibration(index),
  };
}
