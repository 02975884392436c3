import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import createDOMPurify from 'dompurify';
import { isPanelAction, PANEL_ACTIONS } from '../actions';
import type { Attrs } from '../dom';
import { createMarkdownRenderer } from '../markdown';

test('a misspelt data-action does not type-check', () => {
  // @ts-expect-error 'sned' is not a panel action: the type checker (npm run typecheck) fails if this line compiles.
  const wrong: Attrs = { 'data-action': 'sned' };
  const right: Attrs = { 'data-action': 'send' };
  assert.equal(isPanelAction(String(wrong['data-action'])), false);
  assert.equal(isPanelAction(right['data-action']), true);
});

test('the code toolbar rendered as HTML names only panel actions', () => {
  const window = new JSDOM('<!DOCTYPE html><body></body>').window;
  window.document.body.innerHTML = createMarkdownRenderer(createDOMPurify(window))('```py\nprint(1)\n```');
  const actions = [...window.document.querySelectorAll<HTMLElement>('[data-action]')].map((b) => b.dataset.action);
  assert.deepEqual(actions, ['code-copy', 'code-insert', 'code-open', 'code-wrap']);
  assert.ok(actions.every((a) => isPanelAction(a) && PANEL_ACTIONS.includes(a)));
});
