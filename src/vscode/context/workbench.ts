/**
 * What the context providers read of the editor and the workspace, as one interface: `vscodeWorkbench.ts` implements
 * it over the VS Code API, and unit tests over plain data, so the rules of what a question carries are tested without
 * VS Code. Positions are 0-based, as VS Code's.
 */
import type { Problem } from '../../core/context/problems';

export interface Position {
  line: number;
  character: number;
}

export interface EditorSelection {
  start: Position;
  end: Position;
  isEmpty: boolean;
  /** The selected text. */
  text(): string;
}

/** An editor as the question sees it. */
export interface EditorView {
  /** Workspace-relative path with `/` separators (the file name alone outside the workspace). */
  path: string;
  /** A file on disk (not an untitled or virtual document). */
  isFile: boolean;
  languageId: string;
  lineCount: number;
  /** The document's text, unsaved edits included. */
  text(): string;
  /** Every selection, the empty one of a bare cursor included. */
  selections: readonly EditorSelection[];
  /** Where the cursor is (the primary selection's active end). */
  cursor: Position;
  /** The document's diagnostics. */
  problems(): Problem[];
}

/** A command a terminal ran, seen through shell integration. */
export interface TerminalCommand {
  command: string;
  /** What it wrote, as read so far (escape sequences included). */
  output: string;
  exitCode: number | undefined;
}

export interface Workbench {
  /** The editor the question is about: the active one, else the first visible file editor (the panel has focus). */
  questionEditor(): EditorView | undefined;
  /** `smcs.context.currentFile`: the current file goes with a question. */
  currentFileEnabled(): boolean;
  /** The workspace is trusted: an untrusted one gives only what the user attached. */
  trusted(): boolean;
  /** A folder is open. */
  hasWorkspace(): boolean;
  /** A workspace file's text (the open document's, unsaved edits included), or undefined: absent, binary or unreadable. */
  readFile(path: string): Promise<string | undefined>;
  /** The diagnostics of the workspace's files (files outside it left out), each file's text read on demand. */
  workspaceProblems(): { path: string; problems: Problem[]; read(): Promise<string | undefined> }[];
  /**
   * Whether an installed extension with code activates for files of `languageId`: problems come only from such
   * extensions, so without one an error-free file says nothing about the code.
   */
  languageChecked(languageId: string): boolean;
  /** The active terminal and the last command seen in it (undefined when none was seen). */
  activeTerminal(): { name: string; last: TerminalCommand | undefined } | undefined;
  /** A modal warning; resolves to the button chosen, undefined when closed. */
  warn(message: string, detail: string, ...buttons: string[]): Promise<string | undefined>;
}
