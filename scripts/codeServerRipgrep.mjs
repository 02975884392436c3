// Puts an executable ripgrep where code-server's search looks for it (`lib/vscode/node_modules/@vscode/ripgrep/bin/rg`):
// `@vscode/ripgrep`'s own install step downloads the binary from GitHub, which fails offline and leaves Quick Open
// (Ctrl+P) and Search finding nothing. The binary comes from `@vscode/ripgrep-universal` (a devDependency, installed by
// `npm ci` from the registry with every platform's binary inside, no install script); the system's `rg` is the fallback.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './scriptArgs.mjs';

/** Where code-server's `@vscode/ripgrep` module says its binary is, under code-server's `lib/vscode`. */
export function ripgrepTarget(vscodeDir) {
  const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';
  return path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', exe);
}

/** The binary `@vscode/ripgrep-universal` ships for this platform, or undefined when it is not installed here. */
function packagedRipgrep(root) {
  const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';
  const binary = path.join(root, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${process.platform}-${process.arch}`, exe);
  return existsSync(binary) ? binary : undefined;
}

/** The `rg` on PATH, or undefined. */
function systemRipgrep() {
  const found = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' });
  const where = found.status === 0 ? found.stdout.trim() : '';
  return where ? where : undefined;
}

/**
 * Copies ripgrep into code-server's `@vscode/ripgrep/bin` unless an executable one is there already; a copy, not a link,
 * because the code-server cache is shared by every checkout and outlives this one's node_modules.
 * @returns {{path: string, source: 'present' | 'package' | 'system'} | {path: string, source: 'missing'}}
 */
export function ensureRipgrep(vscodeDir, { root = repoRoot, system = systemRipgrep } = {}) {
  const target = ripgrepTarget(vscodeDir);
  if (runs(target)) return { path: target, source: 'present' };
  const packaged = packagedRipgrep(root);
  const fromSystem = packaged ? undefined : system();
  const source = packaged ?? fromSystem;
  if (!source) return { path: target, source: 'missing' };
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(source, target);
  chmodSync(target, 0o755);
  return { path: target, source: packaged ? 'package' : 'system' };
}

/** Whether `binary` exists and answers `--version`. */
function runs(binary) {
  return existsSync(binary) && spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}
