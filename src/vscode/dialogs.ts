/** The modal questions the host asks before something that cannot be undone or that may cost more than allowed. */
import * as vscode from 'vscode';
import { formatUsd } from '../presentation/format';

/** A modal confirmation; true only when the user picked `action`. */
export async function confirmModal(message: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action;
}

/** When a question may cost more than smcs.maxCostPerQuestion: send it, send it with the fast preset, or not at all. */
export async function askOverBudget(expectedUsd: number, worstUsd: number | null, limitUsd: number): Promise<'send' | 'cheaper' | 'cancel'> {
  const cheaper = 'Use the Fast Preset (K=3, n=1)';
  const send = 'Send Anyway';
  const worst = worstUsd !== null ? ` At worst (every reply at the output limit) ${formatUsd(worstUsd)}.` : '';
  const choice = await vscode.window.showWarningMessage(
    `This question is expected to cost ${formatUsd(expectedUsd)}, above your limit of ${formatUsd(limitUsd)} (smcs.maxCostPerQuestion).`,
    { modal: true, detail: `Expected from what these models' replies cost on similar questions in the bank.${worst} Cancel keeps the question in the box.` },
    cheaper,
    send,
  );
  return choice === send ? 'send' : choice === cheaper ? 'cheaper' : 'cancel';
}
