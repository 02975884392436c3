/**
 * SMCS: Set Team Bank Password and SMCS: Migrate Team Bank Schema, for a `smcs.bank` that names a team bank
 * (a postgres:// URL).
 */
import * as vscode from 'vscode';
import { isTeamBankUrl } from '../../core/contracts/bankLocation';
import { bankAccessOf, bankLocation, reportFailure } from './bankCommands';
import type { EngineHolder } from '../engineHolder';
import type { Log } from '../log';
import { loadRuntime } from '../loadRuntime';
import type { VscodeSecrets } from '../endpoints/secrets';

/** The team bank URL the settings name, or undefined after telling the user that `smcs.bank` names none. */
export async function teamBankUrl(holder: EngineHolder): Promise<string | undefined> {
  const location = bankLocation(holder);
  if (isTeamBankUrl(location)) return location;
  const pick = await vscode.window.showInformationMessage(
    'SMCS: smcs.bank names a folder. To use a team bank, set it to a postgres:// URL.',
    'Open Settings',
  );
  if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'smcs.bank');
  return undefined;
}

/** SMCS: Set Team Bank Password — stores it in SecretStorage under the bank's URL (an empty entry removes it). */
export async function setTeamBankPassword(holder: EngineHolder, secrets: VscodeSecrets, log: Log): Promise<boolean> {
  try {
    const url = await teamBankUrl(holder);
    if (url === undefined) return false;
    const password = await vscode.window.showInputBox({
      title: 'SMCS: Set Team Bank Password',
      prompt: `Password of the team bank ${url} (kept in VS Code's secret storage; empty = remove it and use PGPASSWORD or ~/.pgpass)`,
      password: true,
      ignoreFocusOut: true,
    });
    if (password === undefined) return false;
    if (password === '') await secrets.deleteBankPassword(url);
    else await secrets.setBankPassword(url, password);
    log.info(`team bank password ${password === '' ? 'removed' : 'stored'} for ${url}`);
    await holder.bankChanged();
    void vscode.window.showInformationMessage(`SMCS: the team bank password was ${password === '' ? 'removed' : 'stored'}.`);
    return true;
  } catch (err) {
    reportFailure(log, 'setting the team bank password', err);
    return false;
  }
}

/** SMCS: Migrate Team Bank Schema — creates or upgrades the schema (needs a role that may create tables). */
export async function migrateTeamBankSchema(holder: EngineHolder, log: Log): Promise<{ from: number; to: number } | undefined> {
  try {
    const url = await teamBankUrl(holder);
    if (url === undefined) return undefined;
    const result = await loadRuntime().migrateBankSchema(url, bankAccessOf(holder));
    if (result.extension !== undefined) log.info(`team bank: ${result.extension}`);
    log.info(`team bank schema: version ${result.from} → ${result.to}`);
    const done = result.from === result.to ? 'the team bank schema is up to date.' : `the team bank schema was migrated to version ${result.to}.`;
    void vscode.window.showInformationMessage(`SMCS: ${result.extension === undefined ? '' : `${result.extension}; `}${done}`);
    await holder.bankChanged();
    return result;
  } catch (err) {
    reportFailure(log, 'migrating the team bank schema', err);
    return undefined;
  }
}
