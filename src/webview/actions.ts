/**
 * What a click (or a choice) in the panel can ask for: the `data-action` of its element, grouped by the part of the
 * panel whose buttons carry it. One union, so an element with a misspelt action does not compile (`Attrs` in ./dom.ts
 * takes only these), and each part's handler table (./composerActions.ts, ./runViewActions.ts, ./codeBlockActions.ts,
 * ./threadActions.ts, ./bankActions.ts) must handle every one of its actions and no other.
 */
import type { CodeAction, WebviewToHost } from '../presentation/protocol';

/** The question box: sending, and the chips of what goes with the question. */
const COMPOSER_ACTIONS = ['send', 'open-context', 'whole-context', 'drop-context', 'add-file'] as const;
/** A run's card: stopping it, asking again, choosing and comparing replies. */
const RUN_VIEW_ACTIONS = ['stop', 'retry-with', 'retry', 'ask-again-with', 'choose', 'revert', 'use-reference', 'compare', 'compare-with'] as const;
/** A rendered code block's toolbar. */
const CODE_BLOCK_ACTIONS = ['code-copy', 'code-insert', 'code-open', 'code-apply', 'code-wrap'] as const;
/** The conversations: a new one, reopening or deleting one, clearing them all. */
const THREAD_ACTIONS = ['clear-history', 'new-chat', 'open-thread', 'delete-thread'] as const;
/** The Bank section, and the VS Code commands the panel's buttons run (most of them the bank's: import, profile, migrate). */
const BANK_ACTIONS = ['refresh-bank', 'command'] as const;

export const PANEL_ACTIONS = [...COMPOSER_ACTIONS, ...RUN_VIEW_ACTIONS, ...CODE_BLOCK_ACTIONS, ...THREAD_ACTIONS, ...BANK_ACTIONS] as const;

export type ComposerAction = (typeof COMPOSER_ACTIONS)[number];
export type RunViewAction = (typeof RUN_VIEW_ACTIONS)[number];
export type CodeBlockAction = (typeof CODE_BLOCK_ACTIONS)[number];
export type ThreadAction = (typeof THREAD_ACTIONS)[number];
export type BankAction = (typeof BANK_ACTIONS)[number];
export type PanelAction = (typeof PANEL_ACTIONS)[number];

/** A click on an element with a panel action: the element, and the run it belongs to (its own `data-run-id`, else its card's). */
export interface ActionClick {
  target: HTMLElement;
  runId: string | undefined;
}

/** What a part of the panel does for each of its actions: the compiler names an action without a handler, and a handler for no action. */
export type ActionHandlers<A extends PanelAction> = Record<A, (click: ActionClick) => void>;

/** Sends a message to the extension host. */
export type PostToHost = (msg: WebviewToHost) => void;

export const codeActionOf = (action: CodeAction): PanelAction => `code-${action}`;

export function isPanelAction(value: string | undefined): value is PanelAction {
  return (PANEL_ACTIONS as readonly string[]).includes(value ?? '');
}
