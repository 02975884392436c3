/** `#problems` (and the current file's problems when it is attached): its diagnostics, each with the lines around it. */
import * as vscode from 'vscode';
import { problemsItem, type Problem, type ProblemSeverity } from '../../core/context/problems';
import { secretReason } from '../../core/context/secretFiles';
import { mayGather } from '../../core/context/trust';
import { NOTHING, type ContextProvider, type ContextRequest, type Gathered } from './contextProvider';
import { currentFileEnabled } from './currentFileProvider';
import { questionEditor, relativeName } from './editorFiles';

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
    if (!editor) return request.mentions.problems ? { items: [], notes: ['#problems: no file is open'] } : NOTHING;
    const path = relativeName(editor.document.uri);
    const text = editor.document.getText();
    if (secretReason(path, text) !== undefined) return NOTHING;
    const item = problemsItem(path, text, vscode.languages.getDiagnostics(editor.document.uri).map(problemOf));
    if (item === undefined) return request.mentions.problems ? { items: [], notes: [`#problems: ${path} has no problems`] } : NOTHING;
    return { items: [item], notes: [] };
  }
}
