/**
 * Issue 42, point 6, and issue 59 in the panel: what reaches the model (moved from the UI suite: it needs no pixels).
 * Four questions asked through the panel's composer (its own script, test/integration/panelDocument.ts), each in a new
 * chat, with an unrelated file (rich/progress_bar.py) open, against the recording loopback server: a question naming a
 * class of the workspace carries the file that defines it; one about the workspace in plain words carries the file its
 * words find, and the run says on what evidence it searched; an exercise that brings its own Python code and a plain
 * question carry nothing of the workspace, nothing of the open file, and no request of theirs is more than 1.2× the
 * largest request to the same model for the same question asked while the workspace folder is empty. No turn shows
 * the withheld files' line: none of these questions is about the secret files (issue 67 item 5). Every failure is
 * listed at once.
 */
import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../fixtures/loopbackUpstream';
import { DEFINING_LINE, EXERCISE, PLAIN_QUESTION, PLAIN_WORDS_QUESTION, PLANTED, SECRET_FILES, WORKSPACE_QUESTION, chatRequests, ownLines, requestText, richFiles } from '../e2e/askedWorkspace';
import { activeExtension, clearSettings, configure, fakeServerSettings } from './helpers';
import { PanelDocument } from './panelDocument';

const MODELS = ['alpha-coder', 'beta-coder', 'gamma-coder'];
const QUESTIONS = { workspace: WORKSPACE_QUESTION, plainWords: PLAIN_WORDS_QUESTION, exercise: EXERCISE, plain: PLAIN_QUESTION } as const;
type Asked = keyof typeof QUESTIONS;
/** The open file, unrelated to every question. */
const OPEN_FILE = 'rich/progress_bar.py';
/** How much larger than without a workspace a request of a question not about it may be. */
const MAX_GROWTH = 1.2;

/** What a request sends, in characters: its messages as JSON. */
const sizeOf = (r: RecordedRequest): number => JSON.stringify(r.body.messages ?? []).length;

interface Turn {
  requests: RecordedRequest[];
  /** The turn's withheld line, or undefined when it shows none. */
  withheld: string | undefined;
  /** The context notes the run shows (what decided, what was left out). */
  notes: string;
}

/** The largest request to each model. */
function largestByModel(requests: readonly RecordedRequest[]): Map<string, number> {
  const largest = new Map<string, number>();
  for (const r of requests) largest.set(r.model ?? '', Math.max(largest.get(r.model ?? '') ?? 0, sizeOf(r)));
  return largest;
}

describe('what a question asked in the panel sends of the workspace', () => {
  let fake: LoopbackUpstream;
  let panel: PanelDocument | undefined;
  const written: vscode.Uri[] = [];

  beforeEach(async () => {
    fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
    await configure(fakeServerSettings(fake, MODELS, { k: 3, n: 2, seed: 1 }));
  });

  afterEach(async () => {
    panel?.close();
    await vscode.commands.executeCommand('smcs.cancel');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of written.splice(0)) await vscode.workspace.fs.delete(uri, { recursive: true });
    await clearSettings();
    await fake.close();
  });

  /** Asks each question in a new chat of the panel and keeps the chat requests it made and the withheld line it shows. */
  async function askEach(doc: PanelDocument): Promise<Record<Asked, Turn>> {
    const turns: Partial<Record<Asked, Turn>> = {};
    for (const [name, question] of Object.entries(QUESTIONS) as [Asked, string][]) {
      await doc.newChat();
      const before = fake.requests.length;
      await doc.ask(question);
      const run = await doc.run('done', question.split('\n')[0]);
      const line = run.querySelector('[data-testid="withheld-line"]');
      const withheld = doc.shown(line) ? doc.text(run.querySelector('[data-testid="withheld-count"]')) : undefined;
      const notes = run.querySelector('[data-testid="context-notes"]');
      turns[name] = { requests: chatRequests(fake.requests.slice(before)), withheld, notes: doc.shown(notes) ? doc.text(notes) : '' };
    }
    return turns as Record<Asked, Turn>;
  }

  it('through the panel, a workspace question carries its defining file, and one in plain words the file its words find, saying why; an exercise and a plain question carry nothing of the workspace or the open file, at most 1.2× their size without one', async function () {
    this.timeout(240_000);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the test window has a workspace folder');
    panel = await PanelDocument.open();
    const baseline = await askEach(panel);
    panel.close();

    const workspace = { ...richFiles(undefined, (await activeExtension()).extensionPath), ...SECRET_FILES };
    for (const [relative, text] of Object.entries(workspace)) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, ...relative.split('/')), new TextEncoder().encode(text));
    written.push(...['rich', 'tests', '.env'].map((top) => vscode.Uri.joinPath(folder, top)));
    // A new engine (its settings anew, a new bank), as a new window has: its first ask walks the workspace as it now is.
    await configure(fakeServerSettings(fake, MODELS, { k: 3, n: 2, seed: 1 }));
    await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, ...OPEN_FILE.split('/')));
    panel = await PanelDocument.open();
    const doc = panel;
    await doc.until(() => doc.all('context-chip-current').some((chip) => doc.text(chip).includes('progress_bar.py')), 'the current-file chip names progress_bar.py');
    const turns = await askEach(doc);

    const problems: string[] = [];
    const openLines = ownLines(workspace[OPEN_FILE] ?? '');
    const highlighterLines = ownLines(workspace['rich/highlighter.py'] ?? '').filter((l) => !openLines.includes(l));
    // A line the open file shares with another file (an import, a licence line) counts as the open file's.
    const others = Object.entries(workspace).filter(([p]) => p !== OPEN_FILE).map(([p, text]) => [p, ownLines(text).filter((l) => !openLines.includes(l))] as const);
    for (const [name, turn] of Object.entries(turns) as [Asked, Turn][]) {
      const { requests } = turn;
      if (requests.length === 0) problems.push(`${name}: no request reached the server`);
      const largest = largestByModel(baseline[name].requests);
      for (const r of requests) {
        const text = requestText(r);
        const who = `${name}: a request to ${r.model}`;
        if (text.includes(PLANTED)) problems.push(`${who} carries the .env value`);
        if (name === 'workspace') {
          if (!text.includes(DEFINING_LINE)) problems.push(`${who} lacks rich/highlighter.py's ReprHighlighter`);
          continue;
        }
        if (name === 'plainWords') {
          if (!highlighterLines.some((l) => text.includes(l))) problems.push(`${who} carries nothing of rich/highlighter.py`);
          continue;
        }
        const open = openLines.filter((l) => text.includes(l)).length;
        if (open > 0) problems.push(`${who} carries ${open} lines of the open file ${OPEN_FILE}`);
        const carried = others.filter(([, lines]) => lines.some((l) => text.includes(l))).map(([p]) => p);
        if (carried.length > 0) problems.push(`${who} carries ${carried.length} other workspace files (${carried.slice(0, 3).join(', ')}${carried.length > 3 ? ', …' : ''})`);
        const without = largest.get(r.model ?? '');
        if (without === undefined) problems.push(`${who}: the model had no request for the question without a workspace`);
        else if (sizeOf(r) > MAX_GROWTH * without) problems.push(`${who} is ${(sizeOf(r) / without).toFixed(1)}× its largest without a workspace (${sizeOf(r)} against ${without} characters)`);
      }
    }
    if (!/searched: its words are this code base's own: rich\/highlighter\.py holds /.test(turns.plainWords.notes)) problems.push(`plainWords: the notes read "${turns.plainWords.notes}"`);
    if (!/not searched: /.test(turns.plain.notes)) problems.push(`plain: the notes read "${turns.plain.notes}"`);
    for (const name of ['workspace', 'plainWords', 'exercise', 'plain'] as const) if (turns[name].withheld !== undefined) problems.push(`${name}: a turn not about the secret files shows "${turns[name].withheld}"`);
    assert.deepEqual(problems, []);
  });
});
