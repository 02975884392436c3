import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MAX_TERMINAL_OUTPUT, TerminalProvider } from '../terminalProvider';
import { request, workbench } from './fakeWorkbench';

test('#terminal sends the last command and its output without escape sequences, with its exit code', async () => {
  const output = '\u001b]633;C\u0007\u001b[31mError\u001b[0m: cannot find module\r\nat main.js:3\r\n';
  const provider = new TerminalProvider(workbench({ terminal: { name: 'bash', last: { command: 'node main.js', output, exitCode: 1 } } }));
  const { items, notes } = await provider.gather(request('why does #terminal fail?'));
  assert.deepEqual(notes, []);
  assert.deepEqual(items.map((i) => [i.source, i.path, i.startLine, i.endLine, i.text, i.reason]), [
    ['terminal', 'terminal bash', 1, 3, '$ node main.js\nError: cannot find module\nat main.js:3', 'last command (exit code 1)'],
  ]);
});

test('a long output keeps its end; a command that printed nothing readable says so', async () => {
  const long = `${'x'.repeat(MAX_TERMINAL_OUTPUT)}\nthe end`;
  const kept = await new TerminalProvider(workbench({ terminal: { name: 'zsh', last: { command: 'make', output: long, exitCode: undefined } } })).gather(request('#terminal'));
  assert.ok(kept.items[0]?.text.endsWith('the end'));
  assert.ok((kept.items[0]?.text.length ?? 0) <= MAX_TERMINAL_OUTPUT + '$ make\n'.length);
  assert.equal(kept.items[0]?.reason, 'last command');
  const silent = await new TerminalProvider(workbench({ terminal: { name: 'zsh', last: { command: 'true', output: '\u001b[0m', exitCode: 0 } } })).gather(request('#terminal'));
  assert.equal(silent.items[0]?.text, '$ true\n(no output was captured)');
});

test('no #terminal, no terminal, or no command seen: nothing sent, and the note says which', async () => {
  assert.deepEqual(await new TerminalProvider(workbench({ terminal: { name: 'bash', last: { command: 'ls', output: 'a', exitCode: 0 } } })).gather(request('q')), { items: [], notes: [] });
  assert.deepEqual(await new TerminalProvider(workbench({})).gather(request('#terminal')), { items: [], notes: ['#terminal: no terminal is open'] });
  const unseen = await new TerminalProvider(workbench({ terminal: { name: 'pwsh' } })).gather(request('#terminal'));
  assert.deepEqual(unseen.notes, ['#terminal: no command was seen in "pwsh" (its shell integration is off or nothing ran since SMCS started)']);
});
