/**
 * What the panel tests of issue 42 ask and in which workspace: modules of rich (test/fixtures/workspaces/rich) with a
 * `.env` and twelve example certificates beside them, a question that names one of its classes, an exercise that
 * brings its own Python code, and a plain question; and the text each model request carried.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Workbench } from './workbench';

/** A request the recording server kept (named through the workbench, wherever the server's module lives). */
export type RecordedRequest = Workbench['fake']['requests'][number];

const RICH = path.resolve(__dirname, '..', 'fixtures', 'workspaces', 'rich');

/** A value planted in the workspace's `.env`: no request may carry it. */
export const PLANTED = 'planted-env-value-42c7d1e9';

/**
 * rich's modules (all, or the ones named) by workspace path (`rich/highlighter.py`); `repo` is the repository's folder
 * when this module is bundled elsewhere (the integration suite's).
 */
export function richFiles(names?: readonly string[], repo?: string): Record<string, string> {
  const rich = repo === undefined ? RICH : path.join(repo, 'test', 'fixtures', 'workspaces', 'rich');
  const all = readdirSync(path.join(rich, 'rich')).filter((f) => f.endsWith('.py'));
  return Object.fromEntries(all.filter((f) => names === undefined || names.includes(f)).map((f) => [`rich/${f}`, readFileSync(path.join(rich, 'rich', f), 'utf8')]));
}

/** The `.env` and twelve example certificates a test suite keeps: thirteen files every search withholds. */
export const SECRET_FILES: Record<string, string> = {
  '.env': `API_TOKEN=${PLANTED}\n`,
  ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`tests/certs/example-${i + 1}.pem`, `-----BEGIN CERTIFICATE-----\nMIIB${'A'.repeat(60)}${i}\n-----END CERTIFICATE-----\n`])),
};

/** A workspace question: it names ReprHighlighter, which rich/highlighter.py defines. */
export const WORKSPACE_QUESTION = 'Why does ReprHighlighter stop highlighting a URL at the @ sign, as in https://mastodon.social/@someone/12345?';
/** A question about the workspace's secrets: every secret file of SECRET_FILES is named as withheld (none is sent). */
export const SECRETS_QUESTION = 'Which environment variables and certificates does the ReprHighlighter test setup need?';
/** The line of rich/highlighter.py that defines the class the workspace question names. */
export const DEFINING_LINE = 'class ReprHighlighter(RegexHighlighter):';

/** An exercise that brings its own code (HumanEval/1): about that code, not the workspace. */
export const EXERCISE = [
  'Write this Python function:',
  '',
  '```python',
  'from typing import List',
  '',
  '',
  'def separate_paren_groups(paren_string: str) -> List[str]:',
  '    """ Input to this function is a string containing multiple groups of nested parentheses. Your goal is to',
  '    separate those group into separate strings and return the list of those.',
  '    Separate groups are balanced (each open brace is properly closed) and not nested within each other',
  '    Ignore any spaces in the input string.',
  "    >>> separate_paren_groups('( ) (( )) (( )( ))')",
  "    ['()', '(())', '(()())']",
  '    """',
  '```',
].join('\n');

export const PLAIN_QUESTION = 'What is the capital of Australia?';
/** A question about rich in plain words: no identifier, no file name; its words find rich/highlighter.py (issue 59). */
export const PLAIN_WORDS_QUESTION = 'How are URLs in printed text picked out and highlighted?';

/** The chat requests among `requests`. */
export const chatRequests = (requests: readonly RecordedRequest[]): RecordedRequest[] => requests.filter((r) => r.path.endsWith('/chat/completions'));

/** Everything a chat request's messages say, as one text (the contents unescaped, parts joined). */
export function requestText(request: RecordedRequest): string {
  const messages = Array.isArray(request.body.messages) ? (request.body.messages as { content?: unknown }[]) : [];
  return messages
    .map((m) => (typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? m.content.map((p: { text?: unknown }) => (typeof p.text === 'string' ? p.text : '')).join('\n') : ''))
    .join('\n');
}

/** The lines of `text` long enough to be its own (at least 30 characters once trimmed): a request holding one carries the file. */
export function ownLines(text: string): string[] {
  return [...new Set(text.split('\n').map((l) => l.trim()).filter((l) => l.length >= 30))];
}
