/** The modal questions the host asks before something that cannot be undone or that may cost more than allowed. */
import * as vscode from 'vscode';
import { formatUsd } from '../presentation/format';
import { estimateBasisText, largePromptText } from '../presentation/askNotices';
import type { OverLimit } from '../core/cost/costPolicy';
import type { OverLimitAnswer, PromptSize } from '../core/ask/askLoop';

/** A modal confirmation; true only when the user picked `action`. */
export async function confirmModal(message: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action;
}

/** When a question may cost more than smcs.maxCostPerQuestion: send it, send it with the fast preset, or not at all. */
export async function askOverBudget(over: OverLimit): Promise<OverLimitAnswer> {
  const cheaper = 'Use the Fast Preset (K=3, n=1)';
  const send = 'Send Anyway';
  const worst = over.worstUsd !== null ? ` At worst (every reply at the output limit) ${formatUsd(over.worstUsd)}.` : '';
  const how = over.judged === 'worst' ? 'could cost up to' : 'is expected to cost';
  const choice = await vscode.window.showWarningMessage(
    `This question ${how} ${formatUsd(over.judgedUsd)}, above your limit of ${formatUsd(over.limitUsd)} (smcs.maxCostPerQuestion).`,
    { modal: true, detail: `${estimateBasisText(over.basis)}${worst} Cancel keeps the question in the box.` },
    cheaper,
    send,
  );
  return choice === send ? 'send' : choice === cheaper ? 'cheaper' : 'cancel';
}

/** Before a question of LARGE_PROMPT_TOKENS or more (a large paste) is sent: its size and cost, Send or not. */
export function confirmLargePrompt(size: PromptSize): Promise<boolean> {
  return confirmModal(`${largePromptText(size)} Send it?`, 'Send');
}
