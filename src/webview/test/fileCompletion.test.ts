import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { installDom } from '../../../test/fixtures/panelDom';
import { FileCompletion } from '../fileCompletion';

let window: ReturnType<typeof installDom>;

before(() => {
  window = installDom();
  // take() tells the box its text changed with an `input` event of the box's own window.
  Object.assign(globalThis, { Event: window.Event });
});

const CODEBASE = { name: 'codebase', description: 'search the workspace for this question' };

/** A question box holding `text` with the caret at its end, its completion, and the queries it asked the host for. */
function box(text: string): { input: HTMLTextAreaElement; completion: FileCompletion; asked: string[] } {
  const input = document.createElement('textarea');
  document.body.replaceChildren(input);
  const asked: string[] = [];
  const completion = new FileCompletion(input, (q) => asked.push(q));
  input.value = text;
  input.setSelectionRange(text.length, text.length);
  completion.onInput();
  return { input, completion, asked };
}

const key = (name: string): KeyboardEvent => new window.KeyboardEvent('keydown', { key: name, cancelable: true });
const options = (c: FileCompletion): string[] => [...c.el.querySelectorAll('li')].map((li) => li.dataset.keyword !== undefined ? `#${li.dataset.keyword}` : (li.dataset.file ?? ''));

test('`#co` lists #codebase above the files; Enter takes the highlighted keyword and is not left to send the question', () => {
  const { input, completion, asked } = box('How are rows read? #co');
  assert.deepEqual(asked, ['co']);
  completion.show('co', [CODEBASE], ['src/config.ts']);
  assert.equal(completion.el.hidden, false);
  assert.deepEqual(options(completion), ['#codebase', 'src/config.ts']);
  assert.equal(completion.el.querySelector('[aria-selected="true"]')?.textContent, '#codebasesearch the workspace for this question');
  const enter = key('Enter');
  assert.equal(completion.onKey(enter), true, 'the completion handles Enter');
  assert.equal(enter.defaultPrevented, true);
  assert.equal(input.value, 'How are rows read? #codebase ');
  assert.equal(completion.el.hidden, true);
  assert.equal(completion.onKey(key('Enter')), false, 'with the list closed Enter is the box\'s again (it sends)');
});

test('↓ then Tab takes the file below the keyword; `#file:` lists files only; a late answer for another query is ignored', () => {
  const { input, completion } = box('#co');
  completion.show('co', [CODEBASE], ['src/config.ts']);
  window.HTMLElement.prototype.scrollIntoView = () => undefined;
  completion.onKey(key('ArrowDown'));
  completion.onKey(key('Tab'));
  assert.equal(input.value, '#file:src/config.ts ');
  const files = box('#file:co');
  files.completion.show('co', [CODEBASE], ['src/config.ts']);
  assert.deepEqual(options(files.completion), ['src/config.ts']);
  const moved = box('#cod');
  moved.completion.show('co', [CODEBASE], []);
  assert.equal(moved.completion.el.hidden, true);
});
