/** Whether a file's bytes are text the models can read: one rule for the workspace index, `--file` and the panel. Pure. */

/** A NUL byte in the first 8 KB marks a binary file (git's test). */
const SNIFFED_BYTES = 8192;

/** The bytes as UTF-8 text (a byte-order mark kept, as Node's Buffer reads it), or undefined when they are binary. */
export function textOf(bytes: Uint8Array): string | undefined {
  if (bytes.subarray(0, SNIFFED_BYTES).includes(0)) return undefined;
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}
