/** The one-line question box of SMCS: Ask and Ask About Selection from the command palette. */
import * as vscode from 'vscode';
import type { PanelProvider } from './panelProvider';

/** The input box's button that moves what was typed to the panel's question box, where a question can span lines. */
const TO_PANEL: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('note'), tooltip: 'Write a longer or multi-line question in the SMCS panel' };

/**
 * Asks for a question in a one-line input box. Without selected code it offers the panel's question box (a title
 * button, and the prompt says so), since a pasted multi-line question loses its line breaks here: `panel` then gets
 * what was typed and the result is undefined.
 */
export async function promptQuestion(title: string, withContext: boolean, panel?: PanelProvider): Promise<string | undefined> {
  const box = vscode.window.createInputBox();
  box.title = title;
  box.prompt = withContext
    ? 'The selected code and its language are sent along.'
    : 'Several models answer; the best synthesis is shown in the SMCS panel. One line here: for a longer or multi-line question use the note button, which opens it in the panel.';
  box.placeholder = 'e.g. Why does this loop never terminate?';
  box.ignoreFocusOut = true;
  if (panel) box.buttons = [TO_PANEL];
  return new Promise<string | undefined>((resolve) => {
    let answer: string | undefined;
    box.onDidAccept(() => {
      answer = box.value;
      box.hide();
    });
    box.onDidTriggerButton(() => {
      const draft = box.value;
      box.hide();
      void panel?.focusInput(draft);
    });
    box.onDidHide(() => {
      box.dispose();
      resolve(answer);
    });
    box.show();
  });
}
