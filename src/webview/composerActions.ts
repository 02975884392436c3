/** What the question box's clicks do: send the question, open, widen or drop what a chip sends, add a file. */
import type { ActionHandlers, ComposerAction, PostToHost } from './actions';
import type { Composer } from './composer';

export function composerActions(composer: Composer, post: PostToHost): ActionHandlers<ComposerAction> {
  return {
    send: () => composer.submit(),
    'open-context': ({ target }) => {
      if (target.dataset.path) post({ type: 'open-file', path: target.dataset.path, line: Number(target.dataset.line ?? '1') || 1 });
    },
    'whole-context': () => composer.toggleWholeFile(),
    'drop-context': ({ target }) => composer.dropContext(target.dataset.drop),
    'add-file': () => post({ type: 'add-file' }),
  };
}
