/**
 * The README's command lines run as written from a clean clone (issue 45, item 9): every line of a shell block that
 * starts the CLI starts it as `npx smcs` (the package's `bin`), and each command they use answers `--help`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from '../../../test/fixtures/repo';
import { runCli } from '../../../test/fixtures/cliRun';

/** The lines of the README's fenced blocks. */
function blockLines(markdown: string): string[] {
  const lines: string[] = [];
  let inside = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inside = !inside;
    else if (inside) lines.push(line);
  }
  return lines;
}

test('every CLI line of the README starts it as `npx smcs`, and each command it names answers --help', async () => {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const cli = blockLines(readme).filter((l) => /^(?:smcs|npx smcs|node dist\/cli\.js)\b/.test(l));
  assert.ok(cli.length >= 3, `only ${cli.length} CLI lines found`);
  for (const line of cli) assert.match(line, /^npx smcs /, line);
  assert.doesNotMatch(readme, /node dist\/cli\.js/, 'one way to run the CLI throughout');
  const commands = [...new Set(cli.map((l) => l.split(/\s+/)[2] ?? ''))];
  for (const command of commands) {
    const outcome = await runCli([command, '--help']);
    assert.equal(outcome.code, 0, `npx smcs ${command} --help: ${outcome.stderr}`);
  }
});
