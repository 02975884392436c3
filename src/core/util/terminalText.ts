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
