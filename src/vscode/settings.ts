/**
 * Reads the `smcs.*` settings into a validated `SmcsConfig`, watches them, and reports an invalid
 * setting with one notification naming it (with an "Open Settings" button).
 */
import * as vscode from 'vscode';
import { ConfigError, parseConfig, type SmcsConfig } from '../core/contracts/config';
import { settingForConfigField, settingsToConfigInput } from './settingsMapping';

export interface SettingProblem {
  /** Full setting id, e.g. `smcs.endpoints`. */
  setting: string;
  message: string;
}

export interface SettingsState {
  config?: SmcsConfig;
  problem?: SettingProblem;
  /** `smcs.endpoints` lists at least one entry (even when the settings are invalid). */
  hasEndpoints: boolean;
  learnFromChoices: boolean;
}

/** The value a user set explicitly in any scope (folder, workspace, user), else undefined. */
function explicitValue(section: vscode.WorkspaceConfiguration, key: string): unknown {
  const info = section.inspect(key);
  if (!info) return undefined;
  return info.workspaceFolderValue ?? info.workspaceValue ?? info.globalValue;
}

/** Reads and validates the settings now. */
export function readSettings(): SettingsState {
  const section = vscode.workspace.getConfiguration('smcs');
  const endpoints = section.get<unknown>('endpoints');
  const state: SettingsState = {
    hasEndpoints: Array.isArray(endpoints) && endpoints.length > 0,
    learnFromChoices: section.get<boolean>('learnFromChoices', true),
  };
  try {
    state.config = parseConfig(settingsToConfigInput((key) => explicitValue(section, key)));
  } catch (err) {
    if (err instanceof ConfigError) state.problem = { setting: settingForConfigField(err.field), message: err.message };
    else throw err;
  }
  return state;
}

/** Opens the Settings editor filtered to a setting (or to all SMCS settings). */
export async function openSettings(setting?: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', setting ?? '@ext:smcs.smcs');
}

/** Keeps the current settings state, notifies listeners on change, and shows each new problem once. */
export class SettingsWatcher implements vscode.Disposable {
  private state: SettingsState;
  private lastShownProblem: string | undefined;
  private readonly emitter = new vscode.EventEmitter<SettingsState>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.emitter.event;

  constructor(private readonly onProblem: (problem: SettingProblem) => void) {
    this.state = readSettings();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('smcs')) return;
      this.state = readSettings();
      this.emitter.fire(this.state);
      this.reportProblem();
    });
  }

  get current(): SettingsState {
    return this.state;
  }

  /** Shows the current problem as a notification, unless the same one was already shown. */
  reportProblem(): void {
    const problem = this.state.problem;
    const key = problem ? `${problem.setting}\u0000${problem.message}` : undefined;
    if (key === this.lastShownProblem) return;
    this.lastShownProblem = key;
    if (!problem) return;
    this.onProblem(problem);
    void vscode.window.showErrorMessage(`SMCS: invalid setting ${problem.setting} — ${problem.message}`, 'Open Settings').then((choice) => {
      if (choice === 'Open Settings') void openSettings(problem.setting);
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
