/** A reply's text cut into the pieces a stream sends (`smcs serve`'s chunks, the parts of VS Code's chat). */

/**
 * The winner's text in pieces a client can render as a stream: lines, long ones cut every `size` code points (never
 * inside a surrogate pair, which clients outside JavaScript cannot decode alone).
 */
export function textPieces(text: string, size = 96): string[] {
  const pieces: string[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    const points = Array.from(line);
    for (let i = 0; i < points.length; i += size) pieces.push(points.slice(i, i + size).join(''));
  }
  return pieces;
}
