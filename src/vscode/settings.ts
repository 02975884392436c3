/**
 * The one reader and writer of settings in the extension host (lint forbids `getConfiguration` elsewhere): the
 * `smcs.*` settings into a validated `SmcsConfig`, watched, with an invalid one reported in one notification naming it
 * (with an "Open Settings" button); the host's own settings, typed; the writes the host makes; and the few settings of
 * VS Code itself it follows (exclude globs, the simple file dialog).
 */
import * as vscode from 'vscode';
import { ConfigError, parseConfig, type SmcsConfig } from '../core/contracts/config';
import { HOST_SETTINGS, settingForConfigField, settingsToConfigInput, type ConfigSettingKey, type HostSettings } from './settingsMapping';

/** A `smcs.*` setting's key without the prefix, as `package.json` declares it. */
export type SettingKey = ConfigSettingKey | keyof HostSettings;

const smcs = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('smcs');

/** A setting the host reads itself, as the user set it or as declared. */
export function hostSetting<K extends keyof HostSettings>(key: K): HostSettings[K] {
  return smcs().get<HostSettings[K]>(key, HOST_SETTINGS[key] as HostSettings[K]);
}

/** A setting's value in each scope (undefined when not set there). */
export function inspectSetting<T>(key: SettingKey): { globalValue?: T; workspaceValue?: T; workspaceFolderValue?: T } | undefined {
  return smcs().inspect<T>(key);
}

/** A setting's value read leniently, as it stands (for reads that must work while the settings are invalid). */
export function rawSetting(key: SettingKey): unknown {
  return smcs().get<unknown>(key);
}

/** Writes a `smcs.*` setting in the given scope. */
export async function writeSetting(key: SettingKey, value: unknown, target: vscode.ConfigurationTarget): Promise<void> {
  await smcs().update(key, value, target);
}

/** Calls `listener` when the setting `smcs.<key>` changes. */
export function onSettingChange(key: SettingKey, listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`smcs.${key}`)) listener();
  });
}

/** The globs VS Code's `files.exclude` and `search.exclude` turn on (gitignore syntax is the same for these). */
export function excludedGlobs(): string[] {
  const globs: string[] = [];
  for (const key of ['files.exclude', 'search.exclude']) {
    const setting = vscode.workspace.getConfiguration().get<Record<string, unknown>>(key) ?? {};
    for (const [glob, on] of Object.entries(setting)) if (on === true) globs.push(glob);
  }
  return [...new Set(globs)];
}

/** `files.simpleDialog.enable`: VS Code's own open dialog, which picks files and folders at once. */
export function simpleDialogEnabled(): boolean {
  return vscode.workspace.getConfiguration('files').get<boolean>('simpleDialog.enable') === true;
}

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
  const section = smcs();
  const endpoints = section.get<unknown>('endpoints');
  const state: SettingsState = {
    hasEndpoints: Array.isArray(endpoints) && endpoints.length > 0,
    learnFromChoices: section.get<boolean>('learnFromChoices', HOST_SETTINGS.learnFromChoices),
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
