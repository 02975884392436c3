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

/** `name` as a whole word of code (`get_default`, not inside `get_defaults`; `$` is part of a word). */
const wholeWord = (name: string): RegExp => new RegExp(`(?<![\\w$])${name.replace(/[$]/g, '\\$&')}(?![\\w$])`);

/**
 * 0-based indexes of the first and last line of `name`'s signature in `lines` (the definition's lines), or undefined
 * when no line names it as a whole word.
 */
export function signatureLines(lines: readonly string[], name: string): { first: number; last: number } | undefined {
  const word = wholeWord(name);
  const first = lines.findIndex((l) => !COMMENT.test(l) && word.test(l));
  if (first < 0) return undefined;
  for (let i = first; i < Math.min(lines.length, first + MAX_SIGNATURE_LINES); i++) if (OPENS_BODY.test(lines[i] as string)) return { first, last: i };
  return { first, last: first };
}

const indentOf = (line: string): number => (/^\s*/.exec(line)?.[0] ?? '').length;

/**
 * The signature of the definition that holds a member by indentation — the `impl fmt::Display for ErrorKind {` of a
 * Rust method, the `class SecureCookieSessionInterface(SessionInterface):` of a Python one — so a method sent without
 * the rest of its type still says whose it is and which trait it implements. `above` is the file's lines before the
 * member's piece and `first` the piece's first line that is not blank: the nearest line above indented less than it
 * opens what holds it, and the signature is there when that line, or one of the MAX_SIGNATURE_LINES − 1 lines before
 * it (a Rust `where` clause, parameters spread over lines), names `container`. 0-based indexes into `above`;
 * undefined for a member at the left margin (a Go method beside its type) or one whose enclosing line names another.
 */
export function enclosingSignature(above: readonly string[], first: string, container: string): { first: number; last: number } | undefined {
  const depth = indentOf(first);
  if (depth === 0 || container === '') return undefined;
  let opens = above.length - 1;
  while (opens >= 0 && ((above[opens] as string).trim() === '' || indentOf(above[opens] as string) >= depth)) opens--;
  if (opens < 0) return undefined;
  const word = wholeWord(container);
  for (let i = opens; i > opens - MAX_SIGNATURE_LINES && i >= 0; i--) {
    const line = above[i] as string;
    if (!COMMENT.test(line) && word.test(line)) return { first: i, last: opens };
  }
  return undefined;
}
