/**
 * "Use this reply" adds the question to the bank as feedback: the first time, a notification says so, with Forget This
 * Choice (the question is removed again, and the notice closes); it is said once, not at every choice. Moved from the
 * UI suite (it needs no pixels): the reply is chosen in the panel's own script (panelDocument.ts), the notification is
 * recorded where the extension shows it (windowScript.ts), the bank read from disk as the extension wrote it. How the
 * notice looks is in the UI suite's `apply-accepted-notices` screenshot (test/e2e/panel-apply.test.ts).
 */
import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { startLoopbackUpstream, type LoopbackUpstream, type RecordedRequest } from '../fixtures/loopbackUpstream';
import { feedbackQuestionsIn } from '../e2e/bankFeedback';
import { clearSettings, configure, fakeServerSettings, waitUntil } from './helpers';
import { PanelDocument } from './panelDocument';
import { scriptWindow, type WindowScript } from './windowScript';

const MODELS = ['alpha-coder', 'beta-coder', 'gamma-coder'];
const [ALPHA = '', BETA = '', GAMMA = ''] = MODELS;
const NOTICE = 'SMCS added this question to your bank';

const isAggregation = (request: RecordedRequest): boolean => /reference:/.test(JSON.stringify(request.body));

describe('learning from the reply a person chose', () => {
  let fake: LoopbackUpstream;
  let shown: WindowScript;
  let panel: PanelDocument | undefined;

  beforeEach(async () => {
    fake = await startLoopbackUpstream({ models: MODELS.map((id) => ({ id })) });
    // References that share no words with the candidates, so every referencer gets a label (wrong) from a choice.
    let candidates = 0;
    fake.script(ALPHA, {
      reply: (request) => {
        if (!isAggregation(request)) return `Alpha reference: ${'use slicing '.repeat(20)}`;
        candidates += 1;
        return `Candidate ${candidates} answer.`;
      },
    });
    fake.script(BETA, { reply: `Beta reference: ${'call reversed '.repeat(20)}` });
    fake.script(GAMMA, { reply: `Gamma reference: ${'use list reverse '.repeat(20)}` });
    await configure(fakeServerSettings(fake, MODELS, { k: 3, n: 2, seed: 1 }));
    shown = scriptWindow();
  });

  afterEach(async () => {
    panel?.close();
    shown.restore();
    await vscode.commands.executeCommand('smcs.cancel');
    await clearSettings();
    await fake.close();
  });

  const bank = (): string => String(vscode.workspace.getConfiguration('smcs').get('bank'));

  /** Asks in the panel, then uses the candidate that did not win as the reply. */
  async function askAndChoose(doc: PanelDocument, question: string): Promise<void> {
    await doc.ask(question);
    const run = await doc.run('done', question);
    const winner = Number(run.querySelector('[data-testid="candidate"][data-winner="true"]')?.getAttribute('data-index'));
    doc.click(await doc.element(`[data-testid="candidate"][data-index="${winner === 0 ? 1 : 0}"] [data-testid="use-reply"]`, 'the other candidate\'s Use this reply', run));
  }

  it('"Use this reply" says once that the question went into the bank, and Forget This Choice takes it out again', async () => {
    panel = await PanelDocument.open();
    const doc = panel;
    await doc.newChat();
    const first = 'How do I reverse a list in Python?';
    await askAndChoose(doc, first);
    const notice = await shown.next('progress', NOTICE);
    assert.match(notice.text, /3 referencers labelled by how close their reply is to the one you chose/);
    assert.deepEqual(await feedbackQuestionsIn(bank()), [first]);

    assert.doesNotMatch(notice.text, /\[Undo\]/, 'no bare Undo: the link says what it undoes');
    const forget = /\[Forget This Choice\]\(command:([\w.]+)\)/.exec(notice.text);
    assert.ok(forget?.[1], `the notice offers Forget This Choice: ${notice.text}`);
    await vscode.commands.executeCommand(forget[1]);
    await shown.next('info', 'SMCS: the bank forgot this choice; it is as it was before.');
    assert.deepEqual(await feedbackQuestionsIn(bank()), []);
    await shown.ended(notice);

    // The next choice is learned without a word.
    const second = 'How do I sort a list of tuples in Python?';
    await askAndChoose(doc, second);
    // Asked in the same conversation, it is learned after the question before it (issue 27 item 8), never alone.
    await waitUntil(async () => (await feedbackQuestionsIn(bank())).some((q) => q.endsWith(second)), 'the second choice was learned');
    await doc.until(() => doc.all('bank-headline').some((h) => doc.shown(h) && /^Question bank: 1 question\b/.test(doc.text(h))), 'the Bank section counts the question');
    assert.equal(shown.all('progress', NOTICE).length, 1, 'the notice is shown once');
  });
});
