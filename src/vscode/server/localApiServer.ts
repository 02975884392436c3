/**
 * SMCS: Start / Stop Local API Server: the server of `smcs serve` run in the extension host over the panel's engine
 * (same settings, bank and endpoints), on 127.0.0.1 at `smcs.server.port`, with a bearer key kept in SecretStorage, and
 * a status-bar item while it runs (click: Copy URL, Copy Key, Stop). Stopping aborts the requests under way.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/contracts/errors';
import type { RunningServer } from '../../server/server';
import type { EngineHolder } from '../engineHolder';
import type { VscodeSecrets } from '../endpoints/secrets';
import type { Log } from '../log';
import { loadRuntime } from '../loadRuntime';
import { hostSetting, openSettings } from '../settings';

/** The address the extension's server listens on: this machine only. */
export const LOCAL_HOST = '127.0.0.1';
/** Chat requests at once, as `smcs serve`'s default. */
const MAX_CONCURRENT = 4;
const PORT_SETTING = 'smcs.server.port';

/** True for the error Node raises when the port is taken. */
const portInUse = (err: unknown): boolean => typeof err === 'object' && err !== null && 'code' in err && err.code === 'EADDRINUSE';

/** How long the status bar confirms a copy. */
const CONFIRMATION_MS = 4000;

export class LocalApiServer implements vscode.Disposable {
  private running: RunningServer | undefined;
  private starting: Promise<RunningServer | undefined> | undefined;
  private readonly item = vscode.window.createStatusBarItem('smcs.localApiServer', vscode.StatusBarAlignment.Right, 100);

  constructor(
    private readonly engine: EngineHolder,
    private readonly secrets: VscodeSecrets,
    private readonly log: Log,
  ) {
    this.item.name = 'SMCS Local API Server';
    this.item.command = 'smcs.localApiServerActions';
  }

  /** The base URL while the server runs. */
  get url(): string | undefined {
    return this.running?.url;
  }

  /** Starts the server (once; a second start while it runs shows where it is); returns its base URL, undefined when it could not start. */
  async start(): Promise<string | undefined> {
    if (this.running) {
      void vscode.window.showInformationMessage(`SMCS: the local API server is already running at ${this.running.url}.`);
      return this.running.url;
    }
    this.starting ??= this.listen().finally(() => (this.starting = undefined));
    return (await this.starting)?.url;
  }

  private async listen(): Promise<RunningServer | undefined> {
    const port = hostSetting('server.port');
    try {
      const { startServer, generateServerKey } = loadRuntime();
      const apiKey = await this.secrets.serverKey(generateServerKey);
      const engine = await this.engine.get();
      this.running = await startServer({
        engine,
        apiKey,
        host: LOCAL_HOST,
        port,
        maxConcurrent: MAX_CONCURRENT,
        learnFromChecks: hostSetting('server.learnFromChecks'),
        log: (level, message) => this.log.write(level, `local API server: ${message}`),
        keyHint: 'the key is in VS Code: click the SMCS server in the status bar and choose Copy Key',
      });
    } catch (err) {
      const message = portInUse(err)
        ? `SMCS: port ${port} is in use, so the local API server could not start. Choose another port in the setting ${PORT_SETTING}.`
        : `SMCS: the local API server could not start: ${errorMessage(err)}`;
      this.log.error(message);
      void vscode.window.showErrorMessage(message, 'Open Settings').then((choice) => (choice ? openSettings(PORT_SETTING) : undefined));
      return undefined;
    }
    this.log.info(`local API server listening at ${this.running.url} (the key is in SecretStorage: Copy Key from its status-bar item)`);
    this.item.text = `$(radio-tower) SMCS ${this.running.url}`;
    this.item.tooltip = `SMCS local API server at ${this.running.url}: an OpenAI-compatible base URL for other tools. Click for Copy URL, Copy Key, Stop.`;
    this.item.show();
    return this.running;
  }

  /** Stops the server, aborting the requests under way; true when one was running. */
  async stop(): Promise<boolean> {
    await this.starting;
    const server = this.running;
    if (!server) return false;
    this.running = undefined;
    this.item.hide();
    await server.close();
    this.log.info('local API server stopped');
    return true;
  }

  /** The status-bar item's menu; `chosen` (one of its entries, as a command argument) skips the menu. */
  async actions(chosen?: unknown): Promise<void> {
    const url = this.running?.url;
    if (!url) return;
    const entries = ['Copy URL', 'Copy Key', 'Stop'];
    const choice = typeof chosen === 'string' && entries.includes(chosen) ? chosen : await vscode.window.showQuickPick(entries, { title: `SMCS local API server at ${url}` });
    if (choice === 'Copy URL') {
      await vscode.env.clipboard.writeText(url);
      vscode.window.setStatusBarMessage(`$(check) SMCS: ${url} copied to the clipboard`, CONFIRMATION_MS);
    }
    if (choice === 'Copy Key') {
      await vscode.env.clipboard.writeText(await this.secrets.serverKey(loadRuntime().generateServerKey));
      // Says that it was copied, never what: the key stays out of the status bar and of screenshots.
      vscode.window.setStatusBarMessage('$(check) SMCS: API key copied to the clipboard', CONFIRMATION_MS);
    }
    if (choice === 'Stop') await this.stop();
  }

  dispose(): void {
    void this.stop();
    this.item.dispose();
  }
}
