/** The "SMCS" log channel (Show Log). Every line passes through `redact` (core/util/redact). */
import * as vscode from 'vscode';
import { cleanMessage } from '../core/util/redact';

export type LogLevel = 'info' | 'warn' | 'error';

/** Logs to a LogOutputChannel with secrets removed. */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel = vscode.window.createOutputChannel('SMCS', { log: true });

  write(level: LogLevel, message: string): void {
    const clean = cleanMessage(message);
    if (level === 'error') this.channel.error(clean);
    else if (level === 'warn') this.channel.warn(clean);
    else this.channel.info(clean);
  }

  info(message: string): void {
    this.write('info', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  error(message: string): void {
    this.write('error', message);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
