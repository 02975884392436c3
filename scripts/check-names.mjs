// One name, one module: lists files under src/ that share a base name (a trailing "s" ignored, so literal.ts and
// literals.ts collide), except index, errors, types and main, and the CLI's command files (named after their
// commands). Tests count by their subject (`rps.test.ts` is `rps`'s test), so only modules are compared.
// Run by `npm run lint`; `node scripts/check-names.mjs DIR` checks another tree (its tests do).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SHARED_NAMES = new Set(['index', 'errors', 'error', 'types', 'type', 'main', 'README']);

/** Collisions in `srcDir`: [key, files[]] for every base name held by two or more modules. */
export function nameCollisions(srcDir) {
  const byKey = new Map();
  for (const entry of readdirSync(srcDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|mts|mjs)$/.test(entry.name) || entry.name.endsWith('.d.ts')) continue;
    const file = path.relative(srcDir, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/');
    if (file.split('/').includes('test') || file.startsWith('cli/commands/')) continue;
    const base = entry.name.replace(/\.(ts|mts|mjs)$/, '');
    const key = base.replace(/s$/, '').toLowerCase();
    if (SHARED_NAMES.has(base) || SHARED_NAMES.has(key)) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), file]);
  }
  return [...byKey]
    .filter(([, files]) => files.length > 1)
    .map(([key, files]) => [key, [...files].sort()])
    .sort(([a], [b]) => a.localeCompare(b));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src'));
  const collisions = nameCollisions(dir);
  for (const [key, files] of collisions) console.error(`two modules named "${key}": ${files.join(', ')} — one concept, one module (or a name that tells them apart)`);
  process.exit(collisions.length > 0 ? 1 : 0);
}
