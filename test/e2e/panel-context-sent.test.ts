/**
 * Issue 42, point 6, and issue 59 in the panel: what reaches the model. Four questions asked through the panel's
 * composer, each in a new chat, with an unrelated file (rich/progress_bar.py) open, against the recording loopback
 * server: a question naming a class of the workspace carries the file that defines it; one about the workspace in plain
 * words carries the file its words find, and the run says on what evidence it searched; an exercise that brings its own Python code and a
 * plain question carry nothing of the workspace, nothing of the open file, and no request of theirs is more than 1.2×
 * the largest request to the same model for the same question asked in a workbench whose folder is empty. No turn
 * shows the withheld files' line: none of these questions is about the secret files (issue 67 item 5). Every failure
 * is listed at once.
 */
import * as assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { DEFINING_LINE, EXERCISE, PLAIN_QUESTION, PLAIN_WORDS_QUESTION, PLANTED, SECRET_FILES, WORKSPACE_QUESTION, chatRequests, ownLines, requestText, richFiles, type RecordedRequest } from './askedWorkspace';
import { withWorkbench, type Workbench } from './workbench';

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

/** Asks each question in a new chat of the panel and keeps the chat requests it made and the withheld line it shows. */
async function askEach(wb: Workbench): Promise<Record<Asked, Turn>> {
  const turns: Partial<Record<Asked, Turn>> = {};
  for (const [name, question] of Object.entries(QUESTIONS) as [Asked, string][]) {
    if ((await wb.byTestId('run').count()) > 0) {
      await wb.byTestId('new-chat').click();
      await wb.byTestId('empty').waitFor({ state: 'visible' });
    }
    const before = wb.fake.requests.length;
    await wb.askInPanel(question);
    const run = wb.panel().locator('[data-testid="run"][data-status="done"]');
    await run.waitFor({ timeout: 240_000 });
    const line = run.locator('[data-testid="withheld-line"]');
    const withheld = (await line.count()) > 0 && (await line.isVisible()) ? await run.locator('[data-testid="withheld-count"]').innerText() : undefined;
    const notes = run.locator('[data-testid="context-notes"]');
    turns[name] = { requests: chatRequests(wb.fake.requests.slice(before)), withheld, notes: (await notes.count()) > 0 && (await notes.isVisible()) ? await notes.innerText() : '' };
  }
  return turns as Record<Asked, Turn>;
}

/** The largest request to each model. */
function largestByModel(requests: readonly RecordedRequest[]): Map<string, number> {
  const largest = new Map<string, number>();
  for (const r of requests) largest.set(r.model ?? '', Math.max(largest.get(r.model ?? '') ?? 0, sizeOf(r)));
  return largest;
}

test('through the panel, a workspace question carries its defining file, and one in plain words the file its words find, saying why; an exercise and a plain question carry nothing of the workspace or the open file, at most 1.2× their size without one', async (t: TestContext) => {
  let alone: Record<Asked, Turn> | undefined;
  await withWorkbench('panel context sent, no workspace', { files: {} }, async (wb) => {
    await wb.openPanel();
    alone = await askEach(wb);
  });
  assert.ok(alone);
  const baseline = alone;

  const workspace = { ...richFiles(), ...SECRET_FILES };
  await withWorkbench('panel context sent', { files: workspace }, async (wb) => {
    await wb.runPaletteEntry('View: Show Explorer');
    await wb.page.locator('.explorer-folders-view .monaco-list-row', { has: wb.page.locator('.label-name', { hasText: /^rich$/ }) }).first().click();
    await wb.openFile(OPEN_FILE);
    await wb.openPanel();
    await wb.panel().locator('[data-testid="context-chip-current"]', { hasText: 'progress_bar.py' }).waitFor();
    const turns = await askEach(wb);

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
      const sizes = requests.map(sizeOf);
      t.diagnostic(`${name}: ${requests.length} requests, largest ${Math.max(0, ...sizes)} characters (without a workspace ${Math.max(0, ...baseline[name].requests.map(sizeOf))}); withheld line: ${turn.withheld ?? 'none'}`);
    }
    if (!/searched: its words are this code base's own: rich\/highlighter\.py holds /.test(turns.plainWords.notes)) problems.push(`plainWords: the notes read "${turns.plainWords.notes}"`);
    if (!/not searched: /.test(turns.plain.notes)) problems.push(`plain: the notes read "${turns.plain.notes}"`);
    for (const name of ['workspace', 'plainWords', 'exercise', 'plain'] as const) if (turns[name].withheld !== undefined) problems.push(`${name}: a turn not about the secret files shows "${turns[name].withheld}"`);
    assert.deepEqual(problems, []);
  });
});
