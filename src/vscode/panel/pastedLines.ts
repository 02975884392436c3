/**
 * A multi-line prompt pasted into a one-line input box (SMCS: Ask from the palette) loses its line breaks there — the
 * box turns each into a space or drops it — so its doctest examples and code would never be found. The clipboard still
 * holds the text as it was: where the box holds that text flattened, it is put back with its lines. Pure.
 */

const isSpace = (c: string): boolean => /\s/.test(c);

/**
 * `typed` with the clipboard's multi-line text in place of its flattened copy (typed words before and after it kept),
 * or `typed` unchanged when the clipboard holds no line break, the box has its own, or the paste is not in it.
 */
export function withPastedLines(typed: string, clipboard: string): string {
  const pasted = clipboard.trim();
  if (!pasted.includes('\n') || typed.includes('\n')) return typed;
  // The two compared without whitespace: where the box put spaces for the breaks, or nothing, the rest is the same.
  const squeezedPaste = [...pasted].filter((c) => !isSpace(c)).join('');
  if (squeezedPaste === '') return typed;
  const positions: number[] = [];
  let squeezed = '';
  for (let i = 0; i < typed.length; i++) {
    const c = typed[i] as string;
    if (isSpace(c)) continue;
    positions.push(i);
    squeezed += c;
  }
  const at = squeezed.indexOf(squeezedPaste);
  if (at < 0) return typed;
  // The spaces the box made of the clipboard's leading and trailing breaks go with it; the user's own stay.
  const lead = clipboard.length - clipboard.trimStart().length;
  const trail = clipboard.length - clipboard.trimEnd().length;
  let start = positions[at] as number;
  let end = (positions[at + squeezedPaste.length - 1] as number) + 1;
  for (let n = 0; n < lead && start > 0 && isSpace(typed[start - 1] as string); n++) start--;
  for (let n = 0; n < trail && end < typed.length && isSpace(typed[end] as string); n++) end++;
  return `${typed.slice(0, start)}${pasted}${typed.slice(end)}`;
}
