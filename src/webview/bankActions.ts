/** What the Bank section's Refresh does, and the buttons that run one of the panel's VS Code commands (`data-command`). */
import { isPanelCommand } from '../presentation/protocol';
import type { ActionHandlers, BankAction, PostToHost } from './actions';

export function bankActions(post: PostToHost): ActionHandlers<BankAction> {
  return {
    'refresh-bank': () => post({ type: 'refresh-bank' }),
    command: ({ target }) => {
      const command = target.dataset.command;
      if (isPanelCommand(command)) post({ type: 'command', command });
    },
  };
}
