/** The embedding-model download: asking consent (remembered once granted), and showing progress in the status bar. */
import * as vscode from 'vscode';
import type { DownloadProgress } from '../../core/contracts/types';
import { embeddingConsentDetail } from '../../presentation/embeddingConsent';

const consentKey = (modelId: string): string => `smcs.downloadConsent.${modelId}`;

/**
 * Asks once per model whether it may be downloaded; the answer "Download" is remembered. Modal, because whatever
 * needed the model (an import, a question) waits for the answer, and a notification hides itself after a while. With a
 * team server as the engine (`teamServer`), the server's bank routes the questions: the model only searches the
 * workspace on this machine, and the prompt says so.
 */
export async function askDownloadConsent(state: vscode.Memento, modelId: string, teamServer = false): Promise<boolean> {
  if (state.get<boolean>(consentKey(modelId)) === true) return true;
  const choice = await vscode.window.showInformationMessage(
    `SMCS: download the embedding model ${modelId}?`,
    {
      modal: true,
      detail: embeddingConsentDetail(teamServer),
    },
    'Download',
  );
  if (choice !== 'Download') return false;
  await state.update(consentKey(modelId), true);
  return true;
}

/** A status bar item showing download progress; hides itself a moment after the last report. */
export class DownloadReporter implements vscode.Disposable {
  private item: vscode.StatusBarItem | undefined;
  private hideTimer: ReturnType<typeof setTimeout> | undefined;

  report(progress: DownloadProgress): void {
    this.item ??= vscode.window.createStatusBarItem('smcs.download', vscode.StatusBarAlignment.Left, 0);
    this.item.name = 'SMCS model download';
    const pct = progress.percent !== undefined ? ` ${Math.round(progress.percent)}%` : '';
    this.item.text = `$(cloud-download) SMCS: ${progress.file}${pct}`;
    this.item.tooltip = 'Downloading the embedding model (once)';
    this.item.show();
    if (this.hideTimer) clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(() => this.item?.hide(), progress.percent !== undefined && progress.percent >= 100 ? 1500 : 30_000);
  }

  dispose(): void {
    if (this.hideTimer) clearTimeout(this.hideTimer);
    this.item?.dispose();
  }
}
