/**
 * The SMCS side panel (a webview view). Its HTML has a strict CSP with a nonce; resources load only
 * from dist/ and media/; state lives in PanelRuns and is re-sent when the view is recreated
 * (no retainContextWhenHidden). The Bank section's summary comes from the BankSummaryService, read
 * lazily after the panel's `ready` and pushed again whenever it changes.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { isWebviewToHost, type HostToWebview } from '../../presentation/protocol';
import type { PanelRuns } from './panelRuns';
import type { PanelRequest } from './panelMessages';
import type { ComposerContext } from '../context/composerContext';
import type { BankSummaryService } from '../bank/bankSummary';
import type { Log } from '../log';
import { makeNonce, panelHtml } from './panelHtml';
import { errorMessage } from '../../core/contracts/errors';

export const PANEL_VIEW_ID = 'smcs.panel';

/** A connected document of the panel: `receive` its messages; `detach` while it is hidden; `close` when it is gone. */
export interface PanelDocument {
  receive(msg: unknown): void;
  detach(): void;
  close(): void;
}

export class PanelProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  /** The view's document has said `ready` and has not been hidden since (hidden, it is destroyed and loads again). */
  private live = false;
  /** A `focus-input` asked for while the document was not live: sent at its next `ready`. */
  private pendingFocus: HostToWebview | undefined;
  /** A test's document (`connectTestDocument`), while connected. */
  private testDocument: PanelDocument | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runs: Pick<PanelRuns, 'attachView' | 'detachView'>,
    /** Answers the requests the provider does not answer itself (panelMessages.ts). */
    private readonly handle: (msg: PanelRequest) => Promise<void>,
    private readonly log: Log,
    private readonly bank: BankSummaryService,
    private readonly composer: ComposerContext,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.live = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [dist, media] };
    view.webview.html = panelHtml({
      cspSource: view.webview.cspSource,
      nonce: makeNonce(randomBytes),
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
      mathStyleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'katex', 'katex.css')).toString(),
    });
    const post = (msg: HostToWebview): void => {
      void view.webview.postMessage(msg);
    };
    const document = this.connect(post, () => {
      this.live = true;
      if (this.pendingFocus) post(this.pendingFocus);
      this.pendingFocus = undefined;
    });
    const subscription = view.webview.onDidReceiveMessage((msg: unknown) => {
      // A test's document has the panel's runs meanwhile (its `ready` would take them back).
      if (this.testDocument) this.log.info('panel: the view waits while a test document is connected');
      else document.receive(msg);
    });
    // Hidden, the document is gone (no retainContextWhenHidden) and a message posted until the next `ready` would be lost:
    // Ask About File from the Explorer reveals the panel and adds its file while the document is loading again.
    const visibility = view.onDidChangeVisibility(() => {
      if (view.visible) return;
      this.live = false;
      document.detach();
    });
    view.onDidDispose(() => {
      visibility.dispose();
      subscription.dispose();
      document.close();
      if (this.view === view) {
        this.view = undefined;
        this.live = false;
      }
    });
  }

  /**
   * A document of the panel other than the webview's, for the integration tests (the extension exports it only in
   * `ExtensionMode.Test`): it is sent what the webview is sent and its messages are answered as the webview's, so the
   * panel's own script can run in a DOM without a workbench (test/integration/panelDocument.ts). While it is connected
   * the webview waits; it loads again when next shown.
   */
  connectTestDocument(post: (msg: HostToWebview) => void): PanelDocument {
    this.testDocument?.close();
    const document = this.connect(post, () => undefined);
    const connected: PanelDocument = {
      receive: (msg) => document.receive(msg),
      detach: () => document.detach(),
      close: () => {
        document.close();
        if (this.testDocument === connected) this.testDocument = undefined;
      },
    };
    this.testDocument = connected;
    return connected;
  }

  /**
   * Connects a document whose messages `receive` is given and which is sent messages through `post`: from its `ready`
   * on it gets the runs, the editor's context and the Bank section; `onReady` runs after each `ready`.
   */
  private connect(post: (msg: HostToWebview) => void, onReady: () => void): PanelDocument {
    let bankSubscription: { dispose(): void } | undefined;
    const detach = (): void => {
      this.runs.detachView(post);
      this.composer.detach(post);
    };
    const receive = (msg: unknown): void => {
      if (!isWebviewToHost(msg)) {
        this.log.warn('panel: ignored a malformed message from the webview');
        return;
      }
      if (msg.type === 'ready') {
        this.runs.attachView(post);
        this.composer.attach(post);
        onReady();
        bankSubscription ??= this.bank.onDidChange((bank) => post({ type: 'bank-summary', bank }));
        const current = this.bank.current;
        if (current) post({ type: 'bank-summary', bank: current });
        this.bank.ensure();
      }
      if (msg.type === 'refresh-bank') {
        void this.bank.refresh();
        return;
      }
      if (msg.type === 'find-files' || msg.type === 'file-share' || msg.type === 'open-file' || msg.type === 'add-file') {
        this.composer.handle(msg).catch((err: unknown) => this.log.error(`panel: ${msg.type} failed: ${errorMessage(err)}`));
        return;
      }
      if (msg.type === 'compare') {
        // The command opens the diff from the runs it reads.
        vscode.commands.executeCommand('smcs.compareCandidates', msg.runId, msg.left, msg.right).then(undefined, (err: unknown) => this.log.error(`panel: compare failed: ${errorMessage(err)}`));
        return;
      }
      if (msg.type === 'apply') {
        vscode.commands.executeCommand('smcs.applyCode', msg.runId, msg.code, msg.language).then(undefined, (err: unknown) => this.log.error(`panel: apply failed: ${errorMessage(err)}`));
        return;
      }
      this.handle(msg).catch((err: unknown) => {
        const message = errorMessage(err);
        this.log.error(`panel: ${msg.type} failed: ${message}`);
        void vscode.window.showErrorMessage(`SMCS: ${message}`);
      });
    };
    return {
      receive,
      detach,
      close: () => {
        bankSubscription?.dispose();
        detach();
      },
    };
  }

  /** Shows the panel (creating it if needed). */
  async reveal(preserveFocus: boolean): Promise<void> {
    if (this.view) this.view.show(preserveFocus);
    else await vscode.commands.executeCommand(`${PANEL_VIEW_ID}.focus`);
  }

  /** Moves keyboard focus to the panel's question box; `text` (when given and not empty) replaces what it holds. */
  async focusInput(text?: string): Promise<void> {
    await this.reveal(false);
    const msg: HostToWebview = { type: 'focus-input', ...(text ? { text } : {}) };
    if (this.view && this.live) void this.view.webview.postMessage(msg);
    else this.pendingFocus = msg;
  }
}
