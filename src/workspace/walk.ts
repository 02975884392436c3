/**
 * The files of a workspace worth reading for context: `.gitignore` files at every level and the user's exclude
 * globs are respected (gitignore semantics through the `ignore` package, the one ESLint and globby use), and
 * vendored and generated folders, lock files, minified bundles, binaries by extension, secret files (by name) and
 * files over 1 MB are left out, each counted under its reason.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { secretByContent, secretFileKind, type SecretKind } from '../core/secrets/secretFiles';

export const MAX_FILE_BYTES = 1024 * 1024;

/** Folders of dependencies, builds, caches and tools: never the user's own code. */
const VENDORED_AND_GENERATED = [
  '.git/', '.hg/', '.svn/', 'node_modules/', 'bower_components/', 'jspm_packages/', 'vendor/', 'third_party/', 'third-party/',
  'dist/', 'build/', 'out/', 'target/', 'coverage/', '.nyc_output/', '__pycache__/', '.venv/', 'venv/', '.tox/', '.nox/',
  '.mypy_cache/', '.pytest_cache/', '.ruff_cache/', 'site-packages/', '.eggs/', '*.egg-info/', '.next/', '.nuxt/', '.svelte-kit/',
  '.gradle/', '.idea/', '.vscode-test/', 'Pods/', '.terraform/', '.cache/', '.parcel-cache/', '.turbo/', '.smcs/',
];
const LOCK_AND_GENERATED_FILES = [
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'Cargo.lock', 'poetry.lock', 'Pipfile.lock',
  'uv.lock', 'pdm.lock', 'composer.lock', 'Gemfile.lock', 'go.sum', 'mix.lock', 'pubspec.lock', 'flake.lock',
  '*.min.js', '*.min.css', '*.map', '*.pb.go', '*_pb2.py', '*_pb2_grpc.py', '*.generated.*', '*.g.dart', '*.designer.cs',
];
const BINARY_EXTENSIONS = [
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'icns', 'webp', 'avif', 'tiff', 'psd', 'pdf', 'zip', 'gz', 'tgz', 'bz2', 'xz', '7z', 'rar', 'tar',
  'jar', 'war', 'class', 'so', 'dylib', 'dll', 'exe', 'o', 'a', 'lib', 'obj', 'pyc', 'pyo', 'whl', 'wasm', 'onnx', 'bin', 'dat', 'db',
  'sqlite', 'sqlite3', 'woff', 'woff2', 'ttf', 'otf', 'eot', 'mp3', 'mp4', 'mov', 'avi', 'wav', 'flac', 'ogg', 'webm', 'mkv',
  'npy', 'npz', 'pt', 'pth', 'ckpt', 'safetensors', 'h5', 'parquet', 'vsix', 'dmg', 'iso', 'deb', 'rpm',
].map((ext) => `*.${ext}`);

export type FileSkipReason = 'ignored' | 'excluded' | 'vendored or generated' | 'lock or generated file' | 'binary' | 'too large' | 'secret';

export interface WorkspaceFile {
  /** Relative to the root, with `/` separators. */
  path: string;
  size: number;
  mtimeMs: number;
}

/** A file left out because its name says it holds secrets, and what it is ("environment file"). */
export interface SecretFile {
  path: string;
  kind: SecretKind;
}

export interface WalkResult {
  files: WorkspaceFile[];
  skipped: Partial<Record<FileSkipReason, number>>;
  /** The files counted under `secret`, named: the user is told what a search could not see. */
  secrets: SecretFile[];
}

export interface WalkOptions {
  /** Globs left out besides `.gitignore` (VS Code's `files.exclude` / `search.exclude` keys, gitignore syntax). */
  exclude?: readonly string[];
  signal?: AbortSignal;
}

/** The rules every walk applies, and why each one leaves a path out. */
export class WorkspaceRules {
  private readonly vendored = ignore().add(VENDORED_AND_GENERATED);
  private readonly lockFiles = ignore().add(LOCK_AND_GENERATED_FILES);
  private readonly binaries = ignore({ ignorecase: true }).add(BINARY_EXTENSIONS);
  private readonly excluded: Ignore;

  constructor(exclude: readonly string[] = []) {
    this.excluded = ignore().add(exclude.map((glob) => glob.replace(/^\.\//, '')));
  }

  /** Why a folder (relative, no trailing slash) is left out, if it is. */
  folder(rel: string): FileSkipReason | undefined {
    if (this.vendored.ignores(`${rel}/`)) return 'vendored or generated';
    return this.excluded.ignores(`${rel}/`) ? 'excluded' : undefined;
  }

  /** Why a file (relative) is left out by its name, if it is. */
  file(rel: string): FileSkipReason | undefined {
    return this.notRead(rel) ?? (secretFileKind(rel) !== undefined ? 'secret' : undefined);
  }

  /** Why a file is left out by its name besides secrecy, if it is: excluded, a lock file, a binary. */
  notRead(rel: string): FileSkipReason | undefined {
    if (this.excluded.ignores(rel)) return 'excluded';
    if (this.lockFiles.ignores(rel)) return 'lock or generated file';
    return this.binaries.ignores(rel) ? 'binary' : undefined;
  }
}

/** Whether a package-manager config whose name may hold a token does (unreadable or too large: taken to). */
async function holdsToken(file: string, rel: string): Promise<boolean> {
  try {
    const info = await stat(file);
    if (info.size > MAX_FILE_BYTES) return true;
    return secretFileKind(rel, await readFile(file, 'utf8')) !== undefined;
  } catch {
    return true;
  }
}

/** A `.gitignore` and the folder it applies to (relative; '' for the root). */
interface GitIgnore {
  base: string;
  rules: Ignore;
}

const ignoredBy = (stack: readonly GitIgnore[], rel: string, isDir: boolean): boolean =>
  stack.some((g) => {
    const inner = g.base === '' ? rel : rel.slice(g.base.length + 1);
    return g.rules.ignores(isDir ? `${inner}/` : inner);
  });

async function gitignoreIn(dir: string, base: string): Promise<GitIgnore | undefined> {
  try {
    return { base, rules: ignore().add(await readFile(path.join(dir, '.gitignore'), 'utf8')) };
  } catch {
    return undefined;
  }
}

/** Every file of `root` worth reading, in path order; symbolic links are not followed. */
export async function walkWorkspace(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const rules = new WorkspaceRules(options.exclude);
  const files: WorkspaceFile[] = [];
  const secrets: SecretFile[] = [];
  const skipped: Partial<Record<FileSkipReason, number>> = {};
  const skip = (reason: FileSkipReason) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  const visit = async (rel: string, stack: readonly GitIgnore[]): Promise<void> => {
    options.signal?.throwIfAborted();
    const dir = path.join(root, rel);
    const own = await gitignoreIn(dir, rel);
    const here = own ? [...stack, own] : stack;
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const wanted: string[] = [];
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        const reason = rules.folder(child) ?? (ignoredBy(here, child, true) ? 'ignored' : undefined);
        if (reason) skip(reason);
        else await visit(child, here);
      } else if (entry.isFile()) {
        const ignored = (): FileSkipReason | undefined => (ignoredBy(here, child, false) ? 'ignored' : undefined);
        let reason = rules.file(child) ?? ignored();
        // An `.npmrc` is a credential only when it holds one: one without a token is indexed as any configuration.
        if (reason === 'secret' && secretByContent(child) && !(await holdsToken(path.join(root, child), child))) reason = rules.notRead(child) ?? ignored();
        if (reason) skip(reason);
        else wanted.push(child);
        const kind = reason === 'secret' ? secretFileKind(child) : undefined;
        if (kind !== undefined) secrets.push({ path: child, kind });
      }
    }
    // A folder's files are looked at together: a refresh of a large workspace is mostly waiting for stat.
    const infos = await Promise.all(wanted.map((child) => stat(path.join(root, child))));
    wanted.forEach((child, i) => {
      const info = infos[i];
      if (info === undefined) return;
      if (info.size > MAX_FILE_BYTES) skip('too large');
      else files.push({ path: child, size: info.size, mtimeMs: info.mtimeMs });
    });
  };
  await visit('', []);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped, secrets };
}

