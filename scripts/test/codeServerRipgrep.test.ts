/** The browser workbench's ripgrep: the install step leaves an executable rg where code-server's search looks for it. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Ripgrep from '../codeServerRipgrep.mjs' with { 'resolution-mode': 'import' };

const load = async (): Promise<typeof Ripgrep> => import('../codeServerRipgrep.mjs');

function withTemp(run: (dir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'smcs-rg-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'ripgrep from @vscode/ripgrep-universal lands in @vscode/ripgrep/bin and lists a workspace’s files (Quick Open’s call)',
  withTemp(async (dir) => {
    const { ensureRipgrep, ripgrepTarget } = await load();
    const vscodeDir = path.join(dir, 'lib', 'vscode');
    const placed = ensureRipgrep(vscodeDir, { system: () => undefined });
    assert.equal(placed.source, 'package');
    assert.equal(placed.path, ripgrepTarget(vscodeDir));
    assert.match(placed.path, /node_modules[/\\]@vscode[/\\]ripgrep[/\\]bin[/\\]rg(\.exe)?$/);
    const workspace = path.join(dir, 'workspace');
    mkdirSync(path.join(workspace, 'src'), { recursive: true });
    writeFileSync(path.join(workspace, 'src', 'router.rs'), 'fn route() {}\n');
    const listed = spawnSync(placed.path, ['--files', '--hidden'], { cwd: workspace, encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual(listed.stdout.trim().split('\n'), [path.join('src', 'router.rs')]);
    assert.equal(ensureRipgrep(vscodeDir).source, 'present', 'a second start keeps the binary it placed');
  }),
);

test(
  'without the package, the system’s rg is copied; with neither, the step says it is missing',
  withTemp(async (dir) => {
    const { ensureRipgrep } = await load();
    const fakeRg = path.join(dir, 'rg');
    writeFileSync(fakeRg, '#!/bin/sh\necho "ripgrep 14.1.0"\n', { mode: 0o755 });
    const noPackage = path.join(dir, 'elsewhere');
    const placed = ensureRipgrep(path.join(dir, 'a'), { root: noPackage, system: () => fakeRg });
    assert.equal(placed.source, 'system');
    assert.equal(spawnSync(placed.path, ['--version'], { encoding: 'utf8' }).stdout.trim(), 'ripgrep 14.1.0');
    assert.equal(ensureRipgrep(path.join(dir, 'b'), { root: noPackage, system: () => undefined }).source, 'missing');
  }),
);
