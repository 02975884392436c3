/**
 * The workbench the context providers read (workbench.ts), over the VS Code API: the question's editor, the settings
 * and trust, workspace files and diagnostics, and the terminals' last commands, recorded through shell integration as
 * commands run (VS Code 1.95 gives no terminal selection to extensions).
 */
import * as vscode from 'vscode';
import type { Problem, ProblemSeverity } from '../../core/context/problems';
import { hostSetting } from '../settings';
import { readFileText, questionEditor, relativeName } from './editorFiles';
import type { EditorView, TerminalCommand, Workbench } from './workbench';
import { MAX_TERMINAL_OUTPUT } from './terminalProvider';

const SEVERITY: Readonly<Record<vscode.DiagnosticSeverity, ProblemSeverity>> = { 0: 'error', 1: 'warning', 2: 'information', 3: 'hint' };

/** A diagnostic as core reads it. */
function problemOf(d: vscode.Diagnostic): Problem {
  const source = d.source ? { source: d.source } : {};
  return { line: d.range.start.line + 1, severity: SEVERITY[d.severity], message: d.message, ...source };
}

function editorView(editor: vscode.TextEditor): EditorView {
  const document = editor.document;
  return {
    path: relativeName(document.uri),
    isFile: document.uri.scheme === 'file',
    languageId: document.languageId,
    lineCount: document.lineCount,
    text: () => document.getText(),
    selections: editor.selections.map((s) => ({ start: s.start, end: s.end, isEmpty: s.isEmpty, text: () => document.getText(s) })),
    cursor: editor.selection.active,
    problems: () => vscode.languages.getDiagnostics(document.uri).map(problemOf),
  };
}

export class VscodeWorkbench implements Workbench, vscode.Disposable {
  private readonly last = new WeakMap<vscode.Terminal, TerminalCommand>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.window.onDidStartTerminalShellExecution((e) => void this.record(e.terminal, e.execution)),
      vscode.window.onDidEndTerminalShellExecution((e) => {
        const recorded = this.last.get(e.terminal);
        if (recorded) recorded.exitCode = e.exitCode;
      }),
    ];
  }

  private async record(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): Promise<void> {
    const recorded: TerminalCommand = { command: execution.commandLine.value, output: '', exitCode: undefined };
    this.last.set(terminal, recorded);
    for await (const data of execution.read()) recorded.output = (recorded.output + data).slice(-MAX_TERMINAL_OUTPUT * 2);
  }

  questionEditor(): EditorView | undefined {
    const editor = questionEditor();
    return editor ? editorView(editor) : undefined;
  }

  currentFileEnabled(): boolean {
    return hostSetting('context.currentFile');
  }

  trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  hasWorkspace(): boolean {
    return vscode.workspace.workspaceFolders?.[0] !== undefined;
  }

  async readFile(path: string): Promise<string | undefined> {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    return root === undefined ? undefined : readFileText(vscode.Uri.joinPath(root, path));
  }

  languageChecked(languageId: string): boolean {
    return vscode.extensions.all.some((extension) => {
      const manifest = extension.packageJSON as { main?: unknown; browser?: unknown; activationEvents?: unknown };
      const events = Array.isArray(manifest.activationEvents) ? manifest.activationEvents : [];
      return (manifest.main !== undefined || manifest.browser !== undefined) && events.includes(`onLanguage:${languageId}`);
    });
  }

  workspaceProblems(): { path: string; problems: Problem[]; read(): Promise<string | undefined> }[] {
    return vscode.languages
      .getDiagnostics()
      .filter(([uri]) => vscode.workspace.getWorkspaceFolder(uri) !== undefined)
      .map(([uri, diagnostics]) => ({ path: relativeName(uri), problems: diagnostics.map(problemOf), read: () => readFileText(uri) }));
  }

  activeTerminal(): { name: string; last: TerminalCommand | undefined } | undefined {
    const terminal = vscode.window.activeTerminal;
    return terminal ? { name: terminal.name, last: this.last.get(terminal) } : undefined;
  }

  async warn(message: string, detail: string, ...buttons: string[]): Promise<string | undefined> {
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
