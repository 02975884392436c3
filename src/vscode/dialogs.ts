/** The modal questions the host asks before something that cannot be undone or that may cost more than allowed. */
import * as vscode from 'vscode';
import { formatUsd } from '../shared/format';

/** A modal confirmation; true only when the user picked `action`. */
export async function confirmModal(message: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action;
}

/** When a question may cost more than smcs.maxCostPerQuestion: send it, send it with the fast preset, or not at all. */
export async function askOverBudget(estimateUsd: number, limitUsd: number): Promise<'send' | 'cheaper' | 'cancel'> {
  const cheaper = 'Use the Fast Preset (K=3, n=1)';
  const send = 'Send Anyway';
  const choice = await vscode.window.showWarningMessage(
    `This question may cost up to ${formatUsd(estimateUsd)}, above your limit of ${formatUsd(limitUsd)} (smcs.maxCostPerQuestion).`,
    { modal: true, detail: 'The estimate assumes every reply uses the whole output limit; most cost less.' },
    cheaper,
    send,
  );
  return choice === send ? 'send' : choice === cheaper ? 'cheaper' : 'cancel';
}
