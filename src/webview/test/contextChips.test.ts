import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ContextChips, type ChipsState } from '../contextChips';
import { installDom } from '../../../test/fixtures/panelDom';

before(() => {
  installDom();
});

const current = { path: 'src/parse.ts', startLine: 1, endLine: 40 };
const chipNames = (chips: ContextChips): string[] => [...chips.el.querySelectorAll('.chip-open')].map((b) => b.textContent ?? '');

test('the chips survive a reload of the panel: added files and a dropped current file come back, and one question takes them', () => {
  const saved: ChipsState[] = [];
  const first = new ContextChips(undefined, (s) => saved.push(s));
  first.setEditor(current, null);
  first.add('src/util.ts');
  first.add('README.md');
  first.drop('current');
  assert.deepEqual(saved.at(-1), { added: ['src/util.ts', 'README.md'], dropped: 'src/parse.ts' });

  // The panel was hidden behind the Explorer and reloads with what it saved.
  const reloaded = new ContextChips(saved.at(-1), (s) => saved.push(s));
  reloaded.setEditor(current, null);
  assert.deepEqual(chipNames(reloaded), ['util.ts', 'README.md']);
  assert.deepEqual(reloaded.choice(), { withoutCurrentFile: true, files: ['src/util.ts', 'README.md'] });

  // Another current file is not the dropped one: its chip shows and goes with the question.
  reloaded.setEditor({ path: 'src/other.ts', startLine: 1, endLine: 3 }, null);
  assert.deepEqual(reloaded.choice(), { files: ['src/util.ts', 'README.md'] });
  assert.deepEqual(reloaded.takeForAsk(), { files: ['src/util.ts', 'README.md'] });
  assert.deepEqual(saved.at(-1), { added: [], dropped: null });
  assert.deepEqual(chipNames(reloaded), ['other.ts']);
});

test('a saved state of the wrong shape gives no chips rather than a broken panel', () => {
  const chips = new ContextChips({ added: [3, 'ok.ts'], dropped: 7 } as unknown as ChipsState, () => undefined);
  chips.setEditor(current, null);
  assert.deepEqual(chips.choice(), { files: ['ok.ts'] });
});

test('the selection chip shows its lines and its ✕ keeps it out while it is the selection; a new selection comes back', () => {
  const chips = new ContextChips(undefined, () => undefined);
  const selection = { path: 'src/parse.ts', startLine: 666, endLine: 679 };
  chips.setEditor(current, selection);
  assert.deepEqual(chipNames(chips), ['parse.ts', 'parse.ts 666–679']);
  const drop = chips.el.querySelector<HTMLElement>('[data-testid="context-chip-selection"] .chip-drop');
  assert.equal(drop?.dataset.drop, 'selection');
  chips.drop('selection');
  assert.deepEqual(chipNames(chips), ['parse.ts']);
  assert.deepEqual(chips.choice(), { withoutSelection: true });
  // The editor reports the same selection again (focus came back): still left out, for the next question too.
  chips.setEditor(current, { ...selection });
  assert.deepEqual(chips.takeForAsk(), { withoutSelection: true });
  assert.deepEqual(chips.choice(), { withoutSelection: true });
  // The user selects other lines: that selection goes, and so does the first if it is selected again later.
  chips.setEditor(current, { path: 'src/parse.ts', startLine: 7, endLine: 7 });
  assert.deepEqual(chipNames(chips), ['parse.ts', 'parse.ts 7']);
  assert.deepEqual(chips.choice(), {});
  chips.setEditor(current, selection);
  assert.deepEqual(chips.choice(), {});
  chips.setEditor(current, null);
  assert.deepEqual(chipNames(chips), ['parse.ts']);
});

test('the current file\'s chip shows what part goes; a click on its name sends it whole for one question', () => {
  const chips = new ContextChips(undefined, () => undefined);
  chips.setEditor(current, null);
  const shareText = (): string | null | undefined => chips.el.querySelector('[data-testid="context-chip-share"]')?.textContent;
  assert.equal(shareText(), undefined, 'nothing said before the host answers');
  chips.setShare({ type: 'current-file-share', question: 'q', path: 'src/parse.ts', share: 'lines 12–30 + outline · 840 tokens', whole: 'whole file · 48.0k tokens' });
  assert.equal(shareText(), ' · lines 12–30 + outline · 840 tokens');
  assert.equal(chips.el.querySelector<HTMLElement>('[data-testid="context-chip-share"]')?.title, 'src/parse.ts: lines 12–30 + outline · 840 tokens', 'its tooltip says it in full where the side bar cuts it');
  assert.deepEqual(chipNames(chips), ['parse.ts'], 'the name stays the name');
  const name = chips.el.querySelector<HTMLElement>('[data-testid="context-chip-current"] .chip-open');
  assert.equal(name?.dataset.action, 'whole-context');
  chips.toggleWhole();
  assert.equal(shareText(), ' · whole file · 48.0k tokens');
  assert.deepEqual(chips.choice(), { wholeCurrentFile: true });
  assert.deepEqual(chips.takeForAsk(), { wholeCurrentFile: true });
  assert.deepEqual(chips.choice(), {}, 'for one question');
  chips.toggleWhole();
  chips.toggleWhole();
  assert.deepEqual(chips.choice(), {}, 'a second click gives the choice back');
  chips.setShare({ type: 'current-file-share', question: 'q', path: 'src/other.ts', share: 'not sent: the question does not refer to it', whole: 'whole file · 10 tokens' });
  assert.equal(shareText(), undefined, 'what is said of another file is not shown on this one');
});
