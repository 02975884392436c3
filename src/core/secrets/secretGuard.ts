/**
 * The last look at the context before a message is built from it: every item's exact text is screened again
 * (core/secrets/secretFiles), whatever the index or a provider decided earlier — a file may have changed since —
 * so what is about to be sent is what is judged. Secret files and texts of credentials are left out, secret values
 * redacted in place, and each is named once (where it is from, never its value). The selection is an item like the others (a text of its file:
 * `password: …` in a YAML selection is found); the extension screens it with this function too before it keeps it
 * for a follow-up or a retry, and the redacted text screens clean here.
 */
import { contextItem, type ContextItem } from '../context/contextItem';
import { redactionNotes, screenNotes, screenText } from './secretFiles';

export interface GuardedContext {
  items: ContextItem[];
  /** One per item withheld: "settings.py line 3 (database password) left out: redacted in place", "deploy/app-secrets.yaml left out: secrets file". */
  notes: string[];
}

/**
 * `items` as they may be sent. An attachment the user chose to send as it is passes untouched; any other attachment is
 * redacted but never left out (the user named it); the rest are left out or redacted as their text requires.
 */
export function guardContext(items: readonly ContextItem[]): GuardedContext {
  const kept: ContextItem[] = [];
  const redacted: string[] = [];
  const leftOut = new Map<string, string[]>();
  for (const item of items) {
    if (item.sendSecrets === true) {
      kept.push(item);
      continue;
    }
    const screened = screenText(item.path, item.text, item.source === 'file');
    if (screened.leftOut !== undefined) {
      if (!leftOut.has(item.path)) leftOut.set(item.path, screenNotes(item.path, screened));
      continue;
    }
    if (screened.finds.length === 0) {
      kept.push(item);
      continue;
    }
    redacted.push(...redactionNotes(item.path, screened.finds, item.startLine));
    const { tokens: _tokens, ...rest } = item;
    kept.push(contextItem({ ...rest, text: screened.text }));
  }
  const notes = [...[...leftOut.values()].flat(), ...redacted];
  return { items: kept, notes };
}
