/**
 * The panel's conversations: a bar with a "Conversations (N)" disclosure and a New chat button, and the list of
 * threads (title = first question, turns, cost when priced; the one shown marked with aria-current), each reopened
 * by a click and deleted by its own button. Buttons use the panel's `data-action` delegation.
 */
import type { ThreadSummary } from '../presentation/threads';
import { h, setAttr, setText } from './dom';
import { formatQuantity, formatUsd } from '../presentation/format';

/** Longest title an accessible name repeats (the whole question is the row's tooltip). */
const LABEL_CHARS = 80;

const shortTitle = (title: string): string => {
  const line = title.replace(/\s+/g, ' ').trim();
  return line.length <= LABEL_CHARS ? line : `${line.slice(0, LABEL_CHARS - 1)}…`;
};

/** "3 turns · $0.0123" (the cost only when some call had a price). */
export function threadMeta(thread: Pick<ThreadSummary, 'turns' | 'costUsd'>): string {
  const turns = formatQuantity(thread.turns, 'turn');
  return thread.costUsd === null ? turns : `${turns} · ${formatUsd(thread.costUsd)}`;
}

function threadRow(thread: ThreadSummary, active: boolean): HTMLElement {
  const title = shortTitle(thread.title);
  return h(
    'li',
    { class: 'thread', 'data-testid': 'thread', 'data-thread-id': thread.id, 'aria-current': active ? 'true' : undefined },
    h(
      'button',
      {
        type: 'button',
        class: 'thread-open',
        'data-action': 'open-thread',
        'data-thread-id': thread.id,
        'data-testid': 'thread-open',
        title: thread.title,
        'aria-label': `${title}${thread.detail !== undefined ? ` (${thread.detail})` : ''}, ${threadMeta(thread)}${active ? ' (shown)' : ''}`,
      },
      h('span', { class: 'thread-title', 'data-testid': 'thread-title' }, thread.title),
      ...(thread.detail !== undefined ? [h('span', { class: 'thread-detail', 'data-testid': 'thread-detail' }, thread.detail)] : []),
      h('span', { class: 'thread-meta', 'data-testid': 'thread-meta' }, threadMeta(thread)),
    ),
    h('button', { type: 'button', class: 'thread-delete', 'data-action': 'delete-thread', 'data-thread-id': thread.id, 'data-testid': 'thread-delete', 'aria-label': `Delete conversation: ${title}`, title: 'Delete this conversation' }, '✕'),
  );
}

export class ThreadList {
  readonly el: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly newChat = h('button', { type: 'button', class: 'button secondary small', 'data-action': 'new-chat', 'data-testid': 'new-chat', title: 'Start a new conversation (SMCS: New Chat)' }, 'New chat');
  private readonly list = h('ul', { class: 'thread-list', id: 'smcs-thread-list', 'data-testid': 'thread-list', 'aria-label': 'Conversations' });
  private open: boolean;
  private key = '';

  constructor(open: boolean, private readonly onToggle: (open: boolean) => void) {
    this.open = open;
    this.toggle = h('button', { type: 'button', class: 'link-button disclosure threads-toggle', 'aria-controls': 'smcs-thread-list', 'aria-expanded': String(open), 'data-testid': 'threads-toggle' }, 'Conversations');
    this.toggle.addEventListener('click', () => this.setOpen(!this.open));
    this.list.hidden = !open;
    this.el = h('section', { class: 'threads', 'data-testid': 'threads', 'aria-label': 'Conversations' }, h('div', { class: 'threads-bar' }, this.toggle, this.newChat), this.list);
  }

  /** Shows `threads` (most recently used first) with `activeId` marked; the section is hidden while there is none. */
  update(threads: readonly ThreadSummary[], activeId: string | undefined): void {
    this.el.hidden = threads.length === 0;
    setText(this.toggle, `Conversations (${threads.length})`);
    // A new chat is already shown when no thread is.
    this.newChat.toggleAttribute('disabled', activeId === undefined);
    const key = JSON.stringify([threads, activeId]);
    if (key === this.key) return;
    this.key = key;
    const rows = [...this.list.children];
    const focused = rows.findIndex((row) => row.contains(document.activeElement));
    const part = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.testid : undefined;
    this.list.replaceChildren(...threads.map((t) => threadRow(t, t.id === activeId)));
    if (focused >= 0) this.refocus(focused, part);
  }

  /** Keeps keyboard focus in the list when it is rebuilt (a thread reopened or deleted): on the row now at that place. */
  private refocus(index: number, part: string | undefined): void {
    const rows = [...this.list.children];
    const row = rows[Math.min(index, rows.length - 1)];
    const target = row?.querySelector<HTMLElement>(`[data-testid="${part ?? 'thread-open'}"]`) ?? row?.querySelector<HTMLElement>('button') ?? this.toggle;
    target.focus();
  }

  private setOpen(open: boolean): void {
    this.open = open;
    this.list.hidden = !open;
    setAttr(this.toggle, 'aria-expanded', String(open));
    this.onToggle(open);
  }
}
