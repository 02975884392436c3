/** What the conversations' clicks do: start a new one, reopen or delete one, clear them all. */
import type { ActionHandlers, PostToHost, ThreadAction } from './actions';
import type { Composer } from './composer';

export function threadActions(composer: Composer, post: PostToHost): ActionHandlers<ThreadAction> {
  return {
    'clear-history': () => post({ type: 'clear-history' }),
    'new-chat': () => {
      post({ type: 'new-chat' });
      composer.focus();
    },
    'open-thread': ({ target }) => {
      const threadId = target.dataset.threadId;
      if (threadId) post({ type: 'open-thread', threadId });
    },
    'delete-thread': ({ target }) => {
      const threadId = target.dataset.threadId;
      if (threadId) post({ type: 'delete-thread', threadId });
    },
  };
}
