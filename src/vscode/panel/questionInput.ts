/** The one-line question box of SMCS: Ask and Ask About Selection from the command palette. */
import * as vscode from 'vscode';
import type { PanelProvider } from './panelProvider';
import { withPastedLines } from './pastedLines';

/**
 * How long a paste's clipboard read may take. In a browser workbench the read can wait on a permission prompt, or in a
 * headless one never settle; Enter must not wait on it, so a paste read late is sent as the box shows it.
 */
const CLIPBOARD_WAIT_MS = 1000;

/** The clipboard's text ('' when it cannot be read in time: a browser may refuse, or ask the user and wait). */
async function clipboardText(): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(''), CLIPBOARD_WAIT_MS);
  });
  try {
    return await Promise.race([Promise.resolve(vscode.env.clipboard.readText()).catch(() => ''), late]);
  } finally {
    clearTimeout(timer);
  }
}

const lineCount = (text: string): number => text.split('\n').length;

/** The input box's button that moves what was typed to the panel's question box, where a question can span lines. */
const TO_PANEL: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('note'), tooltip: 'Write a longer or multi-line question in the SMCS panel' };

/**
 * Asks for a question in a one-line input box. A multi-line prompt pasted into it keeps its lines (the box flattens
 * them; they come back from the clipboard, and the prompt says so). Without selected code it also offers the panel's
 * question box (a title button): `panel` then gets what was typed and the result is undefined.
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
  const prompt = box.prompt;
  // The clipboard is read only when the box's text grows by more than a keystroke (a paste), never while typing.
  let pasted: Promise<string> | undefined;
  let previous = '';
  const withLines = async (value: string): Promise<string> => (pasted ? withPastedLines(value, await pasted) : value);
  return new Promise<string | undefined>((resolve) => {
    let answer: string | undefined;
    box.onDidAccept(async () => {
      answer = await withLines(box.value);
      box.hide();
    });
    box.onDidChangeValue(async (value) => {
      if (value.length - previous.length > 1) pasted = clipboardText();
      previous = value;
      // A paste of several lines: say that they are kept, since the box shows them on one line.
      const restored = await withLines(value);
      if (box.value !== value) return;
      box.prompt = restored === value ? prompt : `Pasted ${lineCount(restored)} lines: they are sent with their line breaks (Enter asks).`;
    });
    box.onDidTriggerButton(async () => {
      const draft = await withLines(box.value);
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
