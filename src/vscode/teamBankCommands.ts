/**
 * SMCS: Set Team Bank Password and SMCS: Migrate Team Bank Schema, for a `smcs.bank` that names a team bank
 * (a postgres:// URL); and the offer to migrate when the panel finds the schema missing or old.
 */
import * as vscode from 'vscode';
import { isTeamBankUrl } from '../core/bankLocation';
import { bankAccessOf, bankLocation, reportFailure } from './bankCommands';
import type { EngineHolder } from './engineHolder';
import type { Log } from './log';
import { loadRuntime } from './runtime';
import type { VscodeSecrets } from './secrets';

/** The team bank URL the settings name, or undefined after telling the user that `smcs.bank` names none. */
async function teamBankUrl(holder: EngineHolder): Promise<string | undefined> {
  const location = bankLocation(holder);
  if (isTeamBankUrl(location)) return location;
  const pick = await vscode.window.showInformationMessage(
    'SMCS: smcs.bank names a bank folder, not a team bank. Set it to postgres://user@host:5432/database?sslmode=require to use one.',
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
    log.info(`team bank schema: version ${result.from} → ${result.to}`);
    void vscode.window.showInformationMessage(result.from === result.to ? 'SMCS: the team bank schema is up to date.' : `SMCS: the team bank schema was migrated to version ${result.to}.`);
    await holder.bankChanged();
    return result;
  } catch (err) {
    reportFailure(log, 'migrating the team bank schema', err);
    return undefined;
  }
}

/** The schema state the offer was last shown for in this session ('' = none). */
let offered = '';

/** When the panel finds the team bank's schema missing or old, offers (once per bank and session) to migrate it. */
export function offerMigration(err: unknown): void {
  const e = err as { name?: unknown; state?: unknown; message?: unknown };
  if (e.name !== 'BankSchemaError' || (e.state !== 'missing' && e.state !== 'old')) return;
  const key = String(e.message);
  if (key === offered) return;
  offered = key;
  void vscode.window.showWarningMessage(`SMCS: ${key}`, 'Migrate Schema').then(async (pick) => {
    if (pick === 'Migrate Schema') await vscode.commands.executeCommand('smcs.migrateTeamBankSchema');
  });
}
