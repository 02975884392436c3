import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../test/fixtures/repo';

interface LockEntry {
  hasInstallScript?: boolean;
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(join(REPO, file), 'utf8'));

/** The package name of a lockfile key such as `node_modules/a/node_modules/@scope/b`. */
const packageName = (key: string): string => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);

test('every locked package with an install script is approved or denied in allowScripts, so npm ci warns about none', () => {
  const lock = readJson('package-lock.json') as { packages: Record<string, LockEntry> };
  const pkg = readJson('package.json') as { allowScripts?: Record<string, boolean> };
  const decided = new Set(Object.keys(pkg.allowScripts ?? {}).map((entry) => entry.replace(/(.)@[^@]*$/, '$1')));
  const withScripts = Object.entries(lock.packages)
    .filter(([key, entry]) => key !== '' && entry.hasInstallScript === true)
    .map(([key]) => packageName(key));
  assert.ok(withScripts.length > 0, 'the lockfile lists packages with install scripts');
  assert.deepEqual(withScripts.filter((name) => !decided.has(name)), []);
});
