/**
 * `#terminal`: the active terminal's last command and its output, as the workbench recorded it through shell
 * integration (vscodeWorkbench.ts). Without shell integration there is nothing to send, and the note says so.
 */
import { contextItem } from '../../core/context/contextItem';
import type { ContextProvider, ContextRequest, Gathered } from './contextProvider';
import { NOTHING } from './contextProvider';
import type { Workbench } from './workbench';

/** Output kept of one command (characters, the end kept): a build log's last screen is what explains it. */
export const MAX_TERMINAL_OUTPUT = 16_000;

/** Escape sequences (colours, cursor moves, OSC titles) that mean nothing to a model. */
const ESC = String.fromCharCode(0x1b);
const BEL = String.fromCharCode(0x07);
const ESCAPES = new RegExp(`${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)|${ESC}\\[[0-9;?]*[ -/]*[@-~]|${ESC}[@-_]`, 'g');

export class TerminalProvider implements ContextProvider {
  constructor(private readonly workbench: Pick<Workbench, 'activeTerminal'>) {}

  async gather(request: ContextRequest): Promise<Gathered> {
    if (!request.mentions.terminal) return NOTHING;
    const terminal = this.workbench.activeTerminal();
    if (!terminal) return { items: [], notes: ['#terminal: no terminal is open'] };
    const recorded = terminal.last;
    if (!recorded) return { items: [], notes: [`#terminal: no command was seen in "${terminal.name}" (its shell integration is off or nothing ran since SMCS started)`] };
    const output = recorded.output.replace(ESCAPES, '').replace(/\r\n?/g, '\n').slice(-MAX_TERMINAL_OUTPUT);
    const exit = recorded.exitCode === undefined ? '' : ` (exit code ${recorded.exitCode})`;
    // VS Code hands over only what a command writes once SMCS reads it: a command that printed at once may show nothing.
    const shown = output.trim() === '' ? '(no output was captured)' : output.trimEnd();
    const text = `$ ${recorded.command}\n${shown}`;
    return { items: [contextItem({ source: 'terminal', path: `terminal ${terminal.name}`, startLine: 1, endLine: text.split('\n').length, text, reason: `last command${exit}` })], notes: [] };
  }
}
