/** A workbench of plain data for the context providers' tests: an editor, files, diagnostics, a terminal, a modal's answer. */
import { hashMentionsIn } from '../../../core/retrieval/hashMentions';
import type { Problem } from '../../../core/context/problems';
import type { ContextRequest } from '../contextProvider';
import type { EditorView, Position, TerminalCommand, Workbench } from '../workbench';

/** An editor on `path` holding `text`; `selected` are [start, end] positions (0-based, as VS Code's). */
export function editor(path: string, text: string, options: { selected?: [Position, Position][]; cursor?: Position; languageId?: string; isFile?: boolean; problems?: Problem[] } = {}): EditorView {
  const lines = text.split('\n');
  const slice = (start: Position, end: Position): string => {
    if (start.line === end.line) return (lines[start.line] ?? '').slice(start.character, end.character);
    return [(lines[start.line] ?? '').slice(start.character), ...lines.slice(start.line + 1, end.line), (lines[end.line] ?? '').slice(0, end.character)].join('\n');
  };
  const cursor = options.cursor ?? { line: 0, character: 0 };
  const selected = options.selected ?? [];
  return {
    path,
    isFile: options.isFile ?? true,
    languageId: options.languageId ?? 'python',
    lineCount: lines.length,
    text: () => text,
    selections: selected.length > 0
      ? selected.map(([start, end]) => ({ start, end, isEmpty: start.line === end.line && start.character === end.character, text: () => slice(start, end) }))
      : [{ start: cursor, end: cursor, isEmpty: true, text: () => '' }],
    cursor: selected.at(-1)?.[1] ?? cursor,
    problems: () => options.problems ?? [],
  };
}

export interface FakeWorkbench extends Workbench {
  /** The modals shown, as their messages. */
  readonly warnings: string[];
}

export function workbench(state: {
  editor?: EditorView;
  currentFile?: boolean;
  trusted?: boolean;
  files?: Record<string, string>;
  problems?: Record<string, Problem[]>;
  terminal?: { name: string; last?: TerminalCommand };
  /** The button the user presses in a modal (undefined: closes it). */
  answer?: string;
  /** The languages an installed extension checks (default: every one). */
  checkedLanguages?: string[];
}): FakeWorkbench {
  const warnings: string[] = [];
  const files = state.files ?? {};
  return {
    warnings,
    questionEditor: () => state.editor,
    currentFileEnabled: () => state.currentFile ?? true,
    trusted: () => state.trusted ?? true,
    hasWorkspace: () => true,
    readFile: async (path) => files[path],
    workspaceProblems: () => Object.entries(state.problems ?? {}).map(([path, problems]) => ({ path, problems, read: async () => files[path] })),
    languageChecked: (languageId) => state.checkedLanguages?.includes(languageId) ?? true,
    activeTerminal: () => (state.terminal ? { name: state.terminal.name, last: state.terminal.last } : undefined),
    warn: async (message) => {
      warnings.push(message);
      return state.answer;
    },
  };
}

/** A context request for `question` as the panel makes it (trusted, nothing dropped or added, unless said). */
export function request(question: string, overrides: Partial<ContextRequest> = {}): ContextRequest {
  return { question, mentions: hashMentionsIn(question), trusted: true, withoutCurrentFile: false, wholeCurrentFile: false, withoutSelection: false, addedFiles: [], selectionGiven: false, ...overrides };
}
