/**
 * The signature of a definition too long to send whole (core/retrieval/ranking wholeDefinitions): the lines from the
 * one that names it (after its comments and decorators) to the one that opens its body — `def get_default(self, ctx,
 * call=True):`, a Go `func (c *Command) Execute() error {`, a signature spread over a few lines of parameters.
 */

/** A signature spans at most this many lines; past them the first line alone stands for it. */
export const MAX_SIGNATURE_LINES = 6;

/** A line that opens a body: it ends in `:` (Python), `{`, `=>`, `=` or `do` (Ruby), comments aside. */
const OPENS_BODY = /(:|\{|=>|=|\bdo)\s*(#.*|\/\/.*)?$/;

/** A comment line, which may name the definition without being it ("// Execute runs the command."). */
const COMMENT = /^\s*(#|\/\/|\/\*|\*|--)/;

/**
 * 0-based indexes of the first and last line of `name`'s signature in `lines` (the definition's lines), or undefined
 * when no line names it as a whole word.
 */
export function signatureLines(lines: readonly string[], name: string): { first: number; last: number } | undefined {
  const word = new RegExp(`(?<![\\w$])${name.replace(/[$]/g, '\\$&')}(?![\\w$])`);
  const first = lines.findIndex((l) => !COMMENT.test(l) && word.test(l));
  if (first < 0) return undefined;
  for (let i = first; i < Math.min(lines.length, first + MAX_SIGNATURE_LINES); i++) if (OPENS_BODY.test(lines[i] as string)) return { first, last: i };
  return { first, last: first };
}
