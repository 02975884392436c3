// The tree-sitter runtime, the grammars of src/parse/grammars.json and the tags queries, copied from the pinned packages
// and src/parse/queries/ into dist/parse/ at build time, with each package's licence: the engine's and the CLI's
// bundles find them there, beside themselves (src/parse/grammars.ts). Only the languages the table lists are copied, so
// only they ship.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Writes the wasm files and the queries into `target` (dist/parse/ by default); returns the number of files copied. */
export function copyParseAssets(root, target = path.join(root, 'dist', 'parse')) {
  const require = createRequire(path.join(root, 'package.json'));
  const table = JSON.parse(readFileSync(path.join(root, 'src', 'parse', 'grammars.json'), 'utf8'));
  mkdirSync(path.join(target, 'queries'), { recursive: true });
  const wasm = [table.runtime, ...table.languages.map((l) => l.grammar)];
  for (const spec of wasm) copyFileSync(require.resolve(spec), path.join(target, path.basename(spec)));
  const queries = readdirSync(path.join(root, 'src', 'parse', 'queries')).filter((f) => f.endsWith('.scm'));
  for (const q of queries) copyFileSync(path.join(root, 'src', 'parse', 'queries', q), path.join(target, 'queries', q));
  const packages = [...new Set(wasm.map((spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/')))];
  const licences = packages.map((p) => `LICENSE-${p.replace('@', '').replace('/', '-')}`);
  packages.forEach((p, i) => copyFileSync(require.resolve(`${p}/LICENSE`), path.join(target, licences[i])));
  // Files of an earlier build that the table no longer names are removed (after the copy: a running bundle keeps its files).
  const kept = new Set([...wasm.map((spec) => path.basename(spec)), ...licences, 'queries', ...queries.map((q) => path.join('queries', q))]);
  for (const f of readdirSync(target, { recursive: true }).map(String)) if (!kept.has(f)) rmSync(path.join(target, f), { recursive: true, force: true });
  return wasm.length + queries.length + licences.length;
}
