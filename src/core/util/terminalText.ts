/**
 * Removes what would drive a terminal instead of being read: ANSI/VT escape sequences (colours, cursor moves, window
 * titles, OSC 52 clipboard writes) and the other control characters, keeping tabs and line breaks. Server error text
 * and model output are untrusted; printed raw, they could rewrite the user's clipboard or hide a line. Pure: no I/O.
 */

/** ESC or CSI (0x9b) sequences: CSI `ESC [ … final`, OSC/DCS/PM/APC strings up to BEL or ST, and two-byte escapes. */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's purpose
const ESCAPE_SEQUENCE = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b[\]PX^_][\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[ -/]*[0-~]/g;
/** C0 controls but tab and line feed, a lone carriage return (it rewrites the line), DEL and the C1 controls. */
// eslint-disable-next-line no-control-regex -- as above
const CONTROL = /\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** `text` without escape sequences and control characters; `\t`, `\n` and `\r\n` stay. */
export function stripTerminalControls(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/** A sequence begun and not yet ended: a CSI before its final byte, or ESC with nothing but intermediate bytes after it. */
// eslint-disable-next-line no-control-regex -- as above
const UNFINISHED_SEQUENCE = /^(?:(?:\u001b\[|\u009b)[0-?]*[ -/]*|\u001b[ -/]*)$/;
/** The start of an OSC/DCS/PM/APC string, and what ends one. */
// eslint-disable-next-line no-control-regex -- as above
const STRING_START = /^\u001b[\]PX^_]/;
// eslint-disable-next-line no-control-regex -- as above
const STRING_END = /[\u0007\u009c]|\u001b\\/;

/** Where the escape sequence that the end of `text` may still be part of begins (text.length when there is none). */
function unfinishedFrom(text: string): number {
  for (let at = 0; at < text.length; at++) {
    const c = text[at];
    if (c !== '\u001b' && c !== '\u009b') continue;
    const tail = text.slice(at);
    if (UNFINISHED_SEQUENCE.test(tail) || (STRING_START.test(tail) && !STRING_END.test(tail.slice(2)))) return at;
  }
  return text.length;
}

/**
 * stripTerminalControls over text that arrives in pieces (an answer as a model writes it): an end that may still
 * become part of an escape sequence, or a carriage return a line feed may follow, waits for the next piece, so that the
 * pieces given out, joined, are exactly stripTerminalControls of the whole text.
 */
export class TerminalTextStream {
  /** Received, not yet given out: an unfinished escape sequence. */
  private pending = '';
  /** A carriage return (escape sequences removed) whose next character decides whether it stays. */
  private carriageReturn = '';

  /** What of the text so far can be given out now. */
  push(text: string): string {
    const all = this.pending + text;
    const ready = unfinishedFrom(all);
    this.pending = all.slice(ready);
    const cleaned = this.carriageReturn + all.slice(0, ready).replace(ESCAPE_SEQUENCE, '');
    this.carriageReturn = cleaned.endsWith('\r') ? '\r' : '';
    return cleaned.slice(0, cleaned.length - this.carriageReturn.length).replace(CONTROL, '');
  }

  /** The text has ended: the rest of it. */
  end(): string {
    const rest = (this.carriageReturn + this.pending.replace(ESCAPE_SEQUENCE, '')).replace(CONTROL, '');
    this.pending = '';
    this.carriageReturn = '';
    return rest;
  }
}
