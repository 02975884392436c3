import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { startLoopbackUpstream, type LoopbackUpstream } from '../fixtures/loopbackUpstream';
import type { RunState } from '../../src/presentation/runState';
import { clearSettings, configure, fakeServerSettings, smcsApi } from './helpers';
import { PanelDocument } from './panelDocument';

const MODELS = ['alpha-coder', 'beta-coder'];

/**
 * Secrets in what the extension attaches besides files (issue 34, point 1): Ask About Selection's selection, the
 * current file, a problem's message and the terminal's output each carry planted values; none may reach the loopback
 * server, and the run's notes name what was redacted, file by file.
 */
describe('secrets in the editor context never reach a model', () => {
  let fake: LoopbackUpstream;

  beforeEach(async () => {
    fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
    await configure(fakeServerSettings(fake, MODELS, { k: 1, n: 1 }));
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('smcs.cancel');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clearSettings();
    await fake.close();
  });

  const sentSoFar = () => fake.requests.map((r) => JSON.stringify(r.body)).join('\n');

  async function write(relative: string, lines: string[]): Promise<vscode.Uri> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the test window has a workspace folder');
    const uri = vscode.Uri.joinPath(folder, ...relative.split('/'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(lines.join('\n')));
    return uri;
  }

  it('Ask About Selection: a YAML password, a URL password and a bearer token are redacted in place and named', async () => {
    const yaml = await write('config/database.yml', ['production:', '  adapter: postgresql', '  username: shop', '  password: YmlSelPw9Kt4', '  url: postgres://shop:UrlSelPw3Qz@db.internal/shop', '  api_auth: "Authorization: Bearer SelBearer7Xq2Lm9Vz4"', '  host: db.internal', '']);
    const editor = await vscode.window.showTextDocument(yaml);
    editor.selection = new vscode.Selection(0, 0, 6, 100);
    try {
      const run = await vscode.commands.executeCommand<RunState | undefined>('smcs.askAboutSelection', 'How does production connect to the database?');
      assert.equal(run?.status, 'done', `run ended ${run?.status}: ${run?.error?.message ?? ''}`);
      const sent = sentSoFar();
      for (const value of ['YmlSelPw9Kt4', 'UrlSelPw3Qz', 'SelBearer7Xq2Lm9Vz4']) {
        assert.ok(!sent.includes(value), `${value} reached the server`);
        assert.ok(!JSON.stringify(run?.selection ?? {}).includes(value), `${value} is kept in the run, where a follow-up would send it again`);
      }
      assert.match(sent, /password: «redacted: password»/, 'the selection is still sent, its values redacted');
      assert.deepEqual(run?.selection?.items.map((i) => [i.path, i.startLine, i.endLine]), [['config/database.yml', 1, 7]]);
      assert.equal((run?.contextReport ?? []).filter((c) => c.source === 'selection').length, 1, 'the selection is reported once, as an item');
      // One note per value withheld, where it is from, never the value; the same note only once.
      const notes = run?.contextNotes ?? [];
      for (const note of ['config/database.yml line 4 (password) left out: redacted in place', 'config/database.yml line 5 (database password) left out: redacted in place', 'config/database.yml line 6 (bearer token) left out: redacted in place']) {
        assert.equal(notes.filter((n) => n === note).length, 1, `${note} once in ${JSON.stringify(notes)}`);
      }
    } finally {
      await vscode.workspace.fs.delete(yaml);
    }
  });

  it('the current file and a problem\'s message: values redacted, each file named', async () => {
    const current = await write('src/settings.py', ['import os', '', 'API_KEY = "Sh0rtCurK3y"', 'DATABASE_URL = "postgres://shop:CurDbPw7Xq2@db.internal:5432/shop"', 'POOL = int(os.environ.get("POOL", "5"))', '']);
    const diagnostics = vscode.languages.createDiagnosticCollection('it-secrets');
    diagnostics.set(current, [new vscode.Diagnostic(new vscode.Range(3, 0, 3, 10), 'connection refused: postgres://shop:PrbDbPw5Lq8@db.internal:5432/shop', vscode.DiagnosticSeverity.Error)]);
    await vscode.window.showTextDocument(current);
    try {
      const run = await vscode.commands.executeCommand<RunState | undefined>('smcs.ask', 'Why does this file fail to connect? #problems');
      assert.equal(run?.status, 'done', `run ended ${run?.status}: ${run?.error?.message ?? ''}`);
      const sent = sentSoFar();
      for (const value of ['Sh0rtCurK3y', 'CurDbPw7Xq2', 'PrbDbPw5Lq8']) assert.ok(!sent.includes(value), `${value} reached the server`);
      assert.deepEqual((run?.contextReport ?? []).map((c) => c.source).sort(), ['currentFile', 'problems']);
      // One note for the file: its own two values, and the problem's message with the lines around it (both again).
      const notes = run?.contextNotes ?? [];
      for (const note of ['src/settings.py line 3 (API key) left out: redacted in place', 'src/settings.py line 4 (database password) left out: redacted in place']) assert.ok(notes.includes(note), `${note} in ${JSON.stringify(notes)}`);
    } finally {
      diagnostics.dispose();
      await vscode.workspace.fs.delete(current);
    }
  });

  it('#terminal: a secret the last command printed is redacted and the terminal named', async () => {
    await smcsApi();
    const terminal = vscode.window.createTerminal({ name: 'it-secrets', shellPath: '/bin/bash' });
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
      // The value is printed in two halves, so the command line (sent too, its own header value redacted) does not hold it whole.
      integration.executeCommand('sleep 1; printf "connecting with Authorization: Bearer TrmBearer%s\\nerror: 401 from api.shop.example\\n" 7Xq2Lm9Vz4Kp; false');
      await ended;
      const run = await vscode.commands.executeCommand<RunState | undefined>('smcs.ask', 'Why does my deploy fail? #terminal');
      assert.equal(run?.status, 'done', `run ended ${run?.status}: ${run?.error?.message ?? ''}`);
      assert.ok(!sentSoFar().includes('TrmBearer7Xq2Lm9Vz4Kp'), 'the token reached the server');
      assert.match(sentSoFar(), /Authorization: Bearer «redacted: bearer token»/);
      const notes = run?.contextNotes ?? [];
      for (const note of ['terminal it-secrets line 1 (bearer token) left out: redacted in place', 'terminal it-secrets line 2 (bearer token) left out: redacted in place']) assert.ok(notes.includes(note), `${note} in ${JSON.stringify(notes)}`);
    } finally {
      terminal.dispose();
    }
  });
});

/**
 * A key in a reply: a gateway that echoes the Authorization header in its error. Moved from the UI suite (it needs no
 * pixels): the panel is its own script in a document of its own (panelDocument.ts), the log the SMCS output channel.
 */
describe('a key a gateway echoes back', () => {
  // A key of no recognisable shape: only the registry of resolved keys can know it is one.
  const key = 'it-gateway-key-5d4c3b2a1f0e';
  const models = ['alpha-coder', 'beta-coder', 'gamma-coder'];
  const echoing = models[1] ?? '';
  let fake: LoopbackUpstream;
  let panel: PanelDocument | undefined;

  beforeEach(async () => {
    process.env.SMCS_IT_GATEWAY_KEY = key;
    fake = await startLoopbackUpstream({ models: models.map((id) => ({ id })) });
    const settings = fakeServerSettings(fake, models, { k: 3, n: 2, seed: 1 });
    await configure({ ...settings, endpoints: [{ id: 'fake', provider: 'openai', apiKeyEnv: 'SMCS_IT_GATEWAY_KEY', baseUrl: fake.baseUrl, models }] });
  });

  afterEach(async () => {
    panel?.close();
    delete process.env.SMCS_IT_GATEWAY_KEY;
    await vscode.commands.executeCommand('smcs.cancel');
    await clearSettings();
    await fake.close();
  });

  /** The SMCS log as its output channel holds it, once it holds `text`. */
  async function logOnce(text: string): Promise<string> {
    await vscode.commands.executeCommand('smcs.showLog');
    const log = () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && /SMCS/.test(d.uri.path))?.getText() ?? '';
    if (log().includes(text)) return log();
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => (sub.dispose(), reject(new Error(`the SMCS log did not say "${text}" within 15 s`))), 15_000);
      const sub = vscode.workspace.onDidChangeTextDocument(() => {
        if (!log().includes(text)) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(log());
      });
    });
  }

  it('a gateway that echoes the Authorization header: the key reaches neither the panel nor the SMCS log', async () => {
    fake.script(echoing, { echoCredentials: { status: 400 } });
    panel = await PanelDocument.open();
    const doc = panel;
    await doc.newChat();
    await doc.ask('How do I reverse a list in Python?');
    const run = await doc.run('done', 'How do I reverse a list in Python?');
    await doc.element(`[data-testid="referencer"][data-model="${echoing}"]`, `${echoing}'s card`, run);
    assert.ok(fake.requests.some((r) => fake.sentKey(r, key)), 'the key was sent to the server');

    const html = doc.document.documentElement.outerHTML;
    assert.match(html, /Authorization: Bearer \[redacted\]/, 'the echo reached the panel (the failed reference\'s details), without the key');
    assert.ok(!html.includes(key), 'the key is not in the panel');
    assert.ok(!JSON.stringify(doc.received).includes(key), 'the key is in no message the panel was sent');
    const log = await logOnce(`${echoing} failed`);
    assert.match(log, /Authorization: Bearer \[redacted\]/, 'the echo is logged, without the key');
    assert.ok(!log.includes(key), 'the key is not in the log');
  });
});
