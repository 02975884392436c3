/**
 * The command lines of the README and of docs/ run as written from a clean clone (issue 45, item 9): every line of a
 * shell block that starts the CLI starts it as `npx smcs` (the package's `bin`), and each command they use answers `--help`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from '../../../test/fixtures/repo';
import { runCli } from '../../../test/fixtures/cliRun';

/** The lines of a markdown text's fenced blocks. */
function blockLines(markdown: string): string[] {
  const lines: string[] = [];
  let inside = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inside = !inside;
    else if (inside) lines.push(line);
  }
  return lines;
}

/** README.md and every page of docs/, by their paths in the repository. */
function userDocs(): { file: string; text: string }[] {
  const pages = readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  return ['README.md', ...pages].map((file) => ({ file, text: readFileSync(path.join(REPO, file), 'utf8') }));
}

test('every CLI line of the README and docs/ starts it as `npx smcs`, and each command it names answers --help', async () => {
  const cli: string[] = [];
  for (const { file, text } of userDocs()) {
    cli.push(...blockLines(text).filter((l) => /^(?:smcs|npx smcs|node dist\/cli\.js)\b/.test(l)));
    assert.doesNotMatch(text, /node dist\/cli\.js/, `${file}: one way to run the CLI throughout`);
  }
  assert.ok(cli.length >= 3, `only ${cli.length} CLI lines found`);
  for (const line of cli) assert.match(line, /^npx smcs /, line);
  const commands = [...new Set(cli.map((l) => l.split(/\s+/)[2] ?? ''))];
  for (const command of commands) {
    const outcome = await runCli([command, '--help']);
    assert.equal(outcome.code, 0, `npx smcs ${command} --help: ${outcome.stderr}`);
  }
});
