/**
 * What a click (or a choice) in the panel can ask for: the `data-action` of its element. One union, so an element
 * with a misspelt action does not compile (`Attrs` in ./dom.ts takes only these) and the panel's handler must
 * handle every one (the lint's exhaustive-switch rule).
 */
import type { CodeAction } from '../presentation/protocol';

export const PANEL_ACTIONS = [
  'send',
  'stop',
  'clear-history',
  'new-chat',
  'open-thread',
  'delete-thread',
  'refresh-bank',
  'command',
  'retry-with',
  'retry',
  'ask-again-with',
  'choose',
  'revert',
  'use-reference',
  'compare',
  'compare-with',
  'code-copy',
  'code-insert',
  'code-open',
  'code-apply',
  'code-wrap',
  'open-context',
  'whole-context',
  'drop-context',
  'add-file',
] as const;

export type PanelAction = (typeof PANEL_ACTIONS)[number];

export const codeActionOf = (action: CodeAction): PanelAction => `code-${action}`;

export function isPanelAction(value: string | undefined): value is PanelAction {
  return (PANEL_ACTIONS as readonly string[]).includes(value ?? '');
}
