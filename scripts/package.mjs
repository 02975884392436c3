// Builds the production bundles and packages a platform-specific VSIX with @vscode/vsce.
// Usage: npm run package [-- --target linux-x64]   (default: this machine's platform)
// The VSIX holds dist/extension.js, dist/runtime.js, dist/telemetry.js, dist/typeStrip.js, dist/webview.js, dist/katex/,
// dist/parse/ (the tree-sitter grammars), media/, the README with the docs/ pages it links to, and onnxruntime-node with
// only the target's native binary; no sources, tests or other node_modules (see .vscodeignore).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { argValue, repoRoot as root } from './scriptArgs.mjs';

const ORT_TARGETS = { 'linux-x64': 'linux/x64', 'linux-arm64': 'linux/arm64', 'darwin-x64': 'darwin/x64', 'darwin-arm64': 'darwin/arm64', 'win32-x64': 'win32/x64', 'win32-arm64': 'win32/arm64' };

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`package: ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

const target = argValue('--target') ?? `${process.platform}-${process.arch}`;
const ortDir = ORT_TARGETS[target];
if (!ortDir) {
  console.error(`package: unsupported target ${target}; use one of ${Object.keys(ORT_TARGETS).join(', ')}`);
  process.exit(2);
}

run(process.execPath, ['esbuild.mjs', '--production']);

// The base ignore file plus the one onnxruntime binary folder of the target platform.
const keepBinary = `!node_modules/onnxruntime-node/bin/napi-v3/${ortDir}/**`;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'smcs-package-'));
const ignoreFile = path.join(scratch, '.vscodeignore');
writeFileSync(ignoreFile, `${readFileSync(path.join(root, '.vscodeignore'), 'utf8')}\n${keepBinary}\n`);

const manifestPath = path.join(root, 'package.json');
const manifest = readFileSync(manifestPath, 'utf8');
const pkg = JSON.parse(manifest);
const out = path.join(root, `${pkg.name}-${pkg.version}-${target}.vsix`);
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// vsce refuses @types/vscode newer than engines.vscode. The types are 1.104's for the Language Model Chat Provider API,
// which the extension uses only where VS Code has it (src/vscode/languageModel): vsce sees the engine's version.
writeFileSync(manifestPath, `${JSON.stringify({ ...pkg, devDependencies: { ...pkg.devDependencies, '@types/vscode': pkg.engines.vscode.replace(/^\^/, '') } }, null, 2)}\n`);
let packaged;
try {
  // README.md links to the pages of docs/, which the VSIX carries beside it: vsce would rewrite relative links to a
  // repository URL, and refuses to package without one; they stay relative.
  packaged = spawnSync(process.execPath, [vsce, 'package', '--target', target, '--ignoreFile', ignoreFile, '--out', out, '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links'], { cwd: root, stdio: 'inherit' });
} finally {
  writeFileSync(manifestPath, manifest);
  rmSync(scratch, { recursive: true, force: true });
}
if (packaged.status !== 0) {
  console.error(`package: vsce package failed (exit ${packaged.status ?? packaged.signal})`);
  process.exit(1);
}
const mb = statSync(out).size / (1024 * 1024);
console.log(`package: ${path.relative(root, out)} (${mb.toFixed(1)} MB, target ${target})`);
