/** What a rendered code block's toolbar does: copy, insert, open or apply its code in the editor, wrap its long lines. */
import type { ActionClick, ActionHandlers, CodeBlockAction, PostToHost } from './actions';
import { codeOfBlock } from './markdown';
import type { CodeAction, WebviewToHost } from '../presentation/protocol';

/** Hands the block's code to the editor, naming the run and the candidate it comes from when it has them; false without a block. */
function sendCode({ target, runId }: ActionClick, action: CodeAction, post: PostToHost): boolean {
  const block = codeOfBlock(target);
  if (!block) return false;
  const candidateAttr = target.closest<HTMLElement>('[data-candidate]')?.dataset.candidate;
  const candidate = candidateAttr !== undefined && candidateAttr !== '' ? Number(candidateAttr) : undefined;
  const msg: WebviewToHost = { type: 'code', action, code: block.code };
  if (block.language) msg.language = block.language;
  if (runId) msg.runId = runId;
  if (candidate !== undefined && Number.isInteger(candidate)) msg.candidate = candidate;
  post(msg);
  return true;
}

function flash(button: HTMLElement, text: string): void {
  const original = button.textContent ?? '';
  button.textContent = text;
  setTimeout(() => {
    button.textContent = original;
  }, 1500);
}

export function codeBlockActions(post: PostToHost): ActionHandlers<CodeBlockAction> {
  return {
    'code-copy': (click) => {
      if (sendCode(click, 'copy', post)) flash(click.target, 'Copied');
    },
    'code-insert': (click) => sendCode(click, 'insert', post),
    'code-open': (click) => sendCode(click, 'open', post),
    'code-apply': ({ target, runId }) => {
      const block = codeOfBlock(target);
      if (block && runId) post({ type: 'apply', runId, code: block.code, ...(block.language ? { language: block.language } : {}) });
    },
    'code-wrap': ({ target }) => {
      // Long lines wrap in the block instead of scrolling sideways (a scroll bar that overlays until scrolled is easy to miss).
      const block = target.closest<HTMLElement>('.code-block');
      if (!block) return;
      const wrapped = block.dataset.wrap !== 'true';
      block.dataset.wrap = String(wrapped);
      target.setAttribute('aria-pressed', String(wrapped));
    },
  };
}
