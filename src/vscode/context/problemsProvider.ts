/**
 * The current file's problems when it is attached; `#problems` adds the workspace's other files with errors or
 * warnings. Each diagnostic with the lines around it.
 */
import * as vscode from 'vscode';
import type { ContextItem } from '../../core/context/contextItem';
import { filesWithProblems, problemsItem, type Problem, type ProblemSeverity } from '../../core/context/problems';
import { secretReason } from '../../core/context/secretFiles';
import { mayGather } from '../../core/context/trust';
import { NOTHING, type ContextProvider, type ContextRequest, type Gathered } from './contextProvider';
import { currentFileEnabled } from './currentFileProvider';
import { fileText, questionEditor, relativeName } from './editorFiles';

const SEVERITY: Readonly<Record<vscode.DiagnosticSeverity, ProblemSeverity>> = { 0: 'error', 1: 'warning', 2: 'information', 3: 'hint' };

/** A diagnostic as core reads it. */
function problemOf(d: vscode.Diagnostic): Problem {
  const source = d.source ? { source: d.source } : {};
  return { line: d.range.start.line + 1, severity: SEVERITY[d.severity], message: d.message, ...source };
}

export class ProblemsProvider implements ContextProvider {
  async gather(request: ContextRequest): Promise<Gathered> {
    const automatic = !request.withoutCurrentFile && currentFileEnabled() && mayGather('currentFile', request.trusted);
    if (!request.mentions.problems && !automatic) return NOTHING;
    const editor = questionEditor();
    const current = editor ? this.currentFileItem(editor) : undefined;
    // With the current file it sends that file's problems; #problems asks for the workspace's too.
    if (!request.mentions.problems) return current ? { items: [current], notes: [] } : NOTHING;
    const others = await this.workspaceItems(editor ? relativeName(editor.document.uri) : undefined);
    const items = [...(current ? [current] : []), ...others];
    return items.length > 0 ? { items, notes: [] } : { items: [], notes: ['#problems: the workspace has no errors or warnings'] };
  }

  private currentFileItem(editor: vscode.TextEditor): ContextItem | undefined {
    const path = relativeName(editor.document.uri);
    const text = editor.document.getText();
    if (secretReason(path, text) !== undefined) return undefined;
    return problemsItem(path, text, vscode.languages.getDiagnostics(editor.document.uri).map(problemOf));
  }

  /** The other workspace files with errors or warnings (core/context/problems#filesWithProblems), read as they are open or on disk. */
  private async workspaceItems(current: string | undefined): Promise<ContextItem[]> {
    const inWorkspace = vscode.languages
      .getDiagnostics()
      .filter(([uri]) => vscode.workspace.getWorkspaceFolder(uri) !== undefined)
      .map(([uri, diagnostics]) => ({ uri, path: relativeName(uri), problems: diagnostics.map(problemOf) }));
    const items = await Promise.all(
      filesWithProblems(inWorkspace, current).map(async (f) => {
        const text = await fileText(f.uri);
        return text === undefined || secretReason(f.path, text) !== undefined ? undefined : problemsItem(f.path, text, f.problems, true);
      }),
    );
    return items.filter((i): i is ContextItem => i !== undefined);
  }
}
