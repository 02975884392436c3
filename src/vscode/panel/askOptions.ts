/**
 * The engine's options for an ask from the editor: the earlier turns, the gathered context and the Stop signal — what
 * the panel's asks and the chat's `@smcs` both prepare and run with. Free of `vscode`.
 */
import type { Turn } from '../../core/ask/conversation';
import type { AskOptions } from '../../engine/types';
import type { GatheredContext } from '../context/questionContext';

/** The options for an ask after `history` with `gathered` context; `include` adds referencers (an ask again with more models). */
export function askOptions(history: Turn[], gathered: GatheredContext, signal: AbortSignal, include?: readonly string[]): AskOptions {
  return {
    signal,
    history,
    ...(include && include.length > 0 ? { include } : {}),
    ...(gathered.attachments.length > 0 || gathered.workspace ? { attachments: gathered.attachments } : {}),
    ...(gathered.workspace ? { workspace: gathered.workspace } : {}),
    ...(gathered.editor ? { editor: gathered.editor } : {}),
  };
}
