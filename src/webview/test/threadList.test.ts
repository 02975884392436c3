import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ThreadSummary } from '../../presentation/threads';
import { ThreadList, threadMeta } from '../threadList';
import { installDom } from '../../../test/fixtures/panelDom';

before(() => {
  installDom();
});

const LONG = `How do I cache the results of an expensive Python function when memory is limited and recent keys repeat? ${'More detail. '.repeat(10)}`;

const threads = (): ThreadSummary[] => [
  { id: 't2', title: 'And in Rust?', turns: 1, startedAt: 3, updatedAt: 3, costUsd: null },
  { id: 't1', title: LONG, turns: 3, startedAt: 1, updatedAt: 2, costUsd: 0.0123 },
];

const rows = (list: ThreadList): HTMLElement[] => [...list.el.querySelectorAll<HTMLElement>('[data-testid="thread"]')];

test('each conversation: its first question, turns and cost when priced; the one shown is marked', () => {
  const list = new ThreadList(true, () => undefined);
  list.update(threads(), 't1');
  assert.equal(list.el.querySelector('[data-testid="threads-toggle"]')?.textContent, 'Conversations (2)');
  assert.deepEqual(
    rows(list).map((r) => [r.dataset.threadId, r.querySelector('[data-testid="thread-title"]')?.textContent, r.querySelector('[data-testid="thread-meta"]')?.textContent, r.getAttribute('aria-current')]),
    [
      ['t2', 'And in Rust?', '1 turn', null],
      ['t1', LONG, '3 turns · $0.0123', 'true'],
    ],
  );
  const open = rows(list)[1]!.querySelector<HTMLElement>('[data-testid="thread-open"]')!;
  assert.deepEqual([open.dataset.action, open.dataset.threadId, open.title], ['open-thread', 't1', LONG]);
  assert.equal(threadMeta({ turns: 2, costUsd: 0 }), '2 turns · $0');
});

test('a delete button per conversation, named after it (a long question cut in the name, whole in the tooltip)', () => {
  const list = new ThreadList(true, () => undefined);
  list.update(threads(), 't1');
  const buttons = rows(list).map((r) => r.querySelector<HTMLButtonElement>('[data-testid="thread-delete"]')!);
  assert.deepEqual(buttons.map((b) => [b.dataset.action, b.dataset.threadId]), [['delete-thread', 't2'], ['delete-thread', 't1']]);
  assert.equal(buttons[0]!.getAttribute('aria-label'), 'Delete conversation: And in Rust?');
  const label = buttons[1]!.getAttribute('aria-label') ?? '';
  assert.ok(label.startsWith('Delete conversation: How do I cache') && label.endsWith('…') && label.length <= 'Delete conversation: '.length + 80, label);
});

test('New chat is disabled while a new chat is shown; the section hides when there is no conversation', () => {
  const list = new ThreadList(false, () => undefined);
  list.update(threads(), undefined);
  const newChat = list.el.querySelector<HTMLButtonElement>('[data-testid="new-chat"]')!;
  assert.equal(newChat.dataset.action, 'new-chat');
  assert.equal(newChat.disabled, true);
  assert.equal(rows(list).some((r) => r.hasAttribute('aria-current')), false);
  list.update(threads(), 't2');
  assert.equal(newChat.disabled, false);
  list.update([], undefined);
  assert.equal(list.el.hidden, true);
});

test('the disclosure opens and closes the list and reports it (kept across reloads by the panel)', () => {
  const seen: boolean[] = [];
  const list = new ThreadList(false, (open) => seen.push(open));
  list.update(threads(), 't1');
  const toggle = list.el.querySelector<HTMLButtonElement>('[data-testid="threads-toggle"]')!;
  const ul = list.el.querySelector<HTMLElement>('[data-testid="thread-list"]')!;
  assert.equal(ul.hidden, true);
  assert.equal(toggle.getAttribute('aria-expanded'), 'false');
  toggle.click();
  assert.equal(ul.hidden, false);
  assert.equal(toggle.getAttribute('aria-expanded'), 'true');
  toggle.click();
  assert.deepEqual(seen, [true, false]);
});

test('keyboard focus stays in the list when it is rebuilt: a deleted row hands it to the row now in its place', () => {
  const list = new ThreadList(true, () => undefined);
  document.body.append(list.el);
  list.update([...threads(), { id: 't0', title: 'Oldest', turns: 1, startedAt: 0, updatedAt: 0, costUsd: null }], 't1');
  rows(list)[1]!.querySelector<HTMLButtonElement>('[data-testid="thread-delete"]')!.focus();
  list.update(threads().slice(0, 1).concat({ id: 't0', title: 'Oldest', turns: 1, startedAt: 0, updatedAt: 0, costUsd: null }), 't2');
  const focused = document.activeElement as HTMLElement;
  assert.equal(focused.dataset.testid, 'thread-delete');
  assert.equal(focused.dataset.threadId, 't0');
  list.el.remove();
});
