import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { startLoopbackUpstream, type LoopbackUpstream } from '../fixtures/loopbackUpstream';
import type { RunState } from '../../src/presentation/runState';
import { answerView } from '../../src/presentation/answerView';
import { clearSettings, configure, fakeServerSettings, smcsApi, waitUntil } from './helpers';

const MODELS = ['alpha-coder', 'beta-coder', 'gamma-coder'];

describe('asking against a loopback OpenAI-compatible server', () => {
  let fake: LoopbackUpstream;

  beforeEach(async () => {
    fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
    // Equal priors: seed 1 draws two different subsets of the three replies (a subset drawn twice is aggregated once).
    await configure(fakeServerSettings(fake, MODELS, { k: 3, n: 2, seed: 1 }));
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('smcs.cancel');
    await clearSettings();
    await fake.close();
  });

  const chatRequests = () => fake.requests.filter((r) => r.path.endsWith('/chat/completions'));

  it('answers through smcs.ask and records the run in the history', async () => {
    const api = await smcsApi();
    const before = api.history().length;
    const question = 'How do I reverse a list in Python?';
    const run = await vscode.commands.executeCommand<RunState | undefined>('smcs.ask', question);
    assert.ok(run, 'smcs.ask returned no run');
    assert.equal(run.status, 'done', `run ended ${run.status}: ${run.error?.message ?? ''}`);
    assert.deepEqual(run.referencers.map((r) => r.model).sort(), [...MODELS].sort());
    assert.equal(run.candidates.length, 2);
    assert.ok(run.winner !== undefined && run.winner >= 0 && run.winner < 2, `winner ${run.winner}`);
    assert.equal(answerView(run).text, `Reply from ${MODELS[0]}.`);
    const asked = chatRequests();
    assert.equal(asked.length, 3 + 2, 'three referencer calls and two aggregations');
    const history = api.history();
    assert.equal(history.length, before + 1);
    assert.equal(history[history.length - 1]?.id, run.id);
    assert.equal(history[history.length - 1]?.question, question);
  });

  it('stops a run on smcs.cancel and closes the model connections', async () => {
    for (const model of MODELS) fake.script(model, { reply: 'slow '.repeat(400), chunkDelayMs: 50 });
    const api = await smcsApi();
    const asking = vscode.commands.executeCommand<RunState | undefined>('smcs.ask', 'Explain closures in JavaScript.');
    await waitUntil(() => chatRequests().length >= 1 && api.isRunning(), 'no referencer call started');
    await vscode.commands.executeCommand('smcs.cancel');
    const run = await asking;
    assert.ok(run, 'smcs.ask returned no run');
    assert.equal(run.status, 'cancelled');
    assert.equal(api.isRunning(), false);
    await waitUntil(
      () => chatRequests().every((r) => r.clientClosedAt !== undefined || r.completedAt !== undefined),
      'a model connection stayed open after the cancel',
    );
    assert.ok(chatRequests().some((r) => r.clientClosedAt !== undefined), 'no connection was closed early');
    assert.equal(api.history()[api.history().length - 1]?.status, 'cancelled');
  });

  it('reports invalid endpoints naming the setting, without calling any model', async () => {
    await configure({ endpoints: [{ id: 'broken', provider: 'vllm', baseUrl: 'not a url', models: ['m'] }] });
    const run = await vscode.commands.executeCommand<RunState | undefined>('smcs.ask', 'Anything?');
    assert.ok(run, 'smcs.ask returned no run');
    assert.equal(run.status, 'error');
    assert.match(run.error?.message ?? '', /smcs\.endpoints/);
    assert.equal(chatRequests().length, 0);
  });

  it('Ask About Selection sends the selected lines under their workspace file and lines, that file once, and the definitions they call', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the test window has a workspace folder');
    const file = vscode.Uri.joinPath(folder, 'src', 'cells.py');
    const helper = vscode.Uri.joinPath(folder, 'src', 'widths.py');
    const text = ['from widths import char_width', '', 'def cell_len(text):', '    total = 0', '    for ch in text:', '        total += char_width(ch)', '    return total', ''].join('\n');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
    await vscode.workspace.fs.writeFile(helper, new TextEncoder().encode('def char_width(ch):\n    return 2 if ord(ch) > 0x1100 else 1\n'));
    const editor = await vscode.window.showTextDocument(file);
    editor.selection = new vscode.Selection(3, 0, 5, 100);
    try {
      const run = await vscode.commands.executeCommand<RunState | undefined>('smcs.askAboutSelection', 'Why is the width of an emoji wrong?');
      assert.equal(run?.status, 'done', `run ended ${run?.status}: ${run?.error?.message ?? ''}`);
      const referencer = chatRequests().find((r) => r.model === MODELS[1]);
      const user = JSON.stringify(referencer?.body).replace(/\\n/g, '\n');
      assert.match(user, /src\/cells\.py lines 4–6 \(selected\):\n```python\n {4}total = 0\n/);
      assert.deepEqual((run?.contextReport ?? []).filter((c) => c.source === 'selection').map((c) => [c.path, c.startLine, c.endLine]), [['src/cells.py', 4, 6]], 'the selection is one item, reported once');
      assert.equal(user.split('def cell_len(text):').length - 1, 1, `the whole file is attached once, as the current file: ${user}`);
      // The selection calls char_width, which the attached file imports but does not define: its definition goes too.
      assert.match(user, /def char_width\(ch\):\n {4}return 2 if ord\(ch\) > 0x1100 else 1/);
      assert.deepEqual((run?.contextReport ?? []).filter((c) => c.source === 'retrieved').map((c) => [c.path, c.reason]), [['src/widths.py', 'defines char_width']]);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(file);
      await vscode.workspace.fs.delete(helper);
    }
  });

  it('a question from the command palette carries the current file only when it is about it', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the test window has a workspace folder');
    const file = vscode.Uri.joinPath(folder, 'src', 'grid.py');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('def grid_width(cells):\n    return len(cells) * 2\n'));
    await vscode.window.showTextDocument(file);
    const sent = async (question: string): Promise<string> => {
      const before = chatRequests().length;
      const run = await vscode.commands.executeCommand<RunState | undefined>('smcs.ask', question);
      assert.equal(run?.status, 'done', `run ended ${run?.status}: ${run?.error?.message ?? ''}`);
      return JSON.stringify(chatRequests().slice(before).find((r) => r.model === MODELS[1])?.body);
    };
    try {
      assert.doesNotMatch(await sent('What is the capital of Australia?'), /grid_width/, 'a question not about the file leaves it out');
      assert.match(await sent('Why does this function double the count?'), /def grid_width\(cells\)/);
      assert.match(await sent('Is grid_width right for an empty list?'), /def grid_width\(cells\)/, 'naming what the file defines is asking about it');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(file);
    }
  });

  it('#problems sends the current file\'s problems and the other workspace files\' errors and warnings, each with its lines', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the test window has a workspace folder');
    const write = async (name: string, lines: string[]) => {
      const uri = vscode.Uri.joinPath(folder, 'src', name);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(lines.join('\n')));
      return uri;
    };
    const current = await write('main.py', ['from util import mean', 'print(mean([1, 2]) + undefined_name)', '']);
    const other = await write('util.py', ['def mean(xs):', '    return sum(xs) / len(xz)', '']);
    const hinted = await write('style.py', ['x=1', '']);
    const diagnostics = vscode.languages.createDiagnosticCollection('it-problems');
    diagnostics.set(current, [new vscode.Diagnostic(new vscode.Range(1, 21, 1, 35), '"undefined_name" is not defined', vscode.DiagnosticSeverity.Error)]);
    diagnostics.set(other, [new vscode.Diagnostic(new vscode.Range(1, 27, 1, 29), '"xz" is not defined', vscode.DiagnosticSeverity.Error)]);
    diagnostics.set(hinted, [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 3), 'missing whitespace around operator', vscode.DiagnosticSeverity.Hint)]);
    await vscode.window.showTextDocument(current);
    try {
      const run = await vscode.commands.executeCommand<RunState | undefined>('smcs.ask', 'Why does this crash? #problems');
      assert.equal(run?.status, 'done', `run ended ${run?.status}: ${run?.error?.message ?? ''}`);
      const user = JSON.stringify(chatRequests().find((r) => r.model === MODELS[1])?.body).replace(/\\n/g, '\n').replace(/\\"/g, '"');
      assert.match(user, /line 2, error: "undefined_name" is not defined\n {2}1 \| from util import mean\n> 2 \| print/);
      assert.match(user, /line 2, error: "xz" is not defined\n {2}1 \| def mean\(xs\):\n> 2 \| {5}return sum\(xs\) \/ len\(xz\)/);
      assert.doesNotMatch(user, /missing whitespace/, 'a file with hints only is not sent');
      const reasons = (run?.contextReport ?? []).filter((c) => c.source === 'problems').map((c) => c.reason);
      assert.deepEqual(reasons, ['1 problem', '1 problem in util.py']);
    } finally {
      diagnostics.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const uri of [current, other, hinted]) await vscode.workspace.fs.delete(uri);
    }
  });

  it('#terminal sends the active terminal\'s last command, its output and exit code, seen through shell integration', async () => {
    // SMCS sees the commands that run once it is active (the panel open, or a command run).
    await smcsApi();
    const terminal = vscode.window.createTerminal({ name: 'it-shell', shellPath: '/bin/bash' });
    try {
      terminal.show();
      const integration = terminal.shellIntegration ?? (await new Promise<vscode.TerminalShellIntegration>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('bash in the terminal got no shell integration within 20 s')), 20_000);
        const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => {
          if (e.terminal !== terminal) return;
          clearTimeout(timer);
          sub.dispose();
          resolve(e.shellIntegration);
        });
      }));
      const ended = new Promise<void>((resolve) => {
        const sub = vscode.window.onDidEndTerminalShellExecution((e) => {
          if (e.terminal !== terminal) return;
          sub.dispose();
          resolve();
        });
      });
      // The sleep: VS Code hands an extension only what a command writes after its start event reached the extension,
      // so the output of a command that prints at once can be lost (the item then says so, see below).
      integration.executeCommand('sleep 1; printf "TypeError: cannot read properties of undefined (reading \'width\')\\n"; false');
      await ended;
      const run = await vscode.commands.executeCommand<RunState | undefined>('smcs.ask', 'Why does my build fail? #terminal');
      assert.equal(run?.status, 'done', `run ended ${run?.status}: ${run?.error?.message ?? ''}`);
      const body = chatRequests().find((r) => r.model === MODELS[1])?.body as { messages?: { content?: string }[] } | undefined;
      const user = body?.messages?.at(-1)?.content ?? '';
      // The question reports a failure, so the (empty) workspace is searched too; nothing cut the terminal's item.
      assert.deepEqual((run?.contextNotes ?? []).filter((n) => /terminal/i.test(n)), []);
      assert.match(user, /\$ sleep 1; printf "TypeError[^\n]*; false\nTypeError: cannot read properties of undefined \(reading 'width'\)/);
      const part = (run?.contextReport ?? []).find((c) => c.source === 'terminal');
      assert.equal(part?.path, 'terminal it-shell');
      assert.equal(part?.reason, 'last command (exit code 1)');
    } finally {
      terminal.dispose();
    }
  });
});
