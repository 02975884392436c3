/**
 * A question's text made plain before its examples are read: line ends, invisible and non-breaking spaces, HTML
 * left by a copied page (tags, entities, `<sup>` powers), markdown emphasis and images — what pasting a statement
 * from a browser or a dataset leaves behind. Line structure is kept: samples are read line by line.
 */

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', le: '≤', ge: '≥', minus: '−', times: '×' };

/** Tags that say the text is HTML (a page's source, LeetCode's `content`), not prose that mentions `a < b`. */
const HTML_TAG = /<\/?(?:p|pre|div|br|strong|code|h[1-6]|li|ul|ol|span|var|section|sup|sub|em|b|i|img)\b[^<>]*>/i;

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function htmlToText(text: string): string {
  return decodeEntities(
    text
      .replace(/<img\b[^>]*>/gi, '')
      .replace(/<sup>\s*([^<]*?)\s*<\/sup>/gi, '^$1')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(?:p|pre|div|h[1-6]|li|section|ul|ol)>/gi, '\n')
      .replace(/<(?:p|pre|div|h[1-6]|li|section|ul|ol)\b[^>]*>/gi, '\n')
      .replace(/<[^<>]+>/g, ''),
  );
}

/** Code as pasted, with `\n` line ends, no zero-width characters and plain spaces for non-breaking ones. */
export function plainCode(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\u200b|\u200c|\u200d|\u2060|\ufeff/g, '')
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ');
}

/**
 * The plain text of a statement: `\n` line ends, no zero-width characters, non-breaking and other odd spaces as
 * spaces, HTML turned into text, markdown images removed and bold/italic markers around headings dropped, no trailing
 * spaces. Fenced code is left alone.
 */
export function plainStatement(text: string): string {
  let t = plainCode(text);
  if (HTML_TAG.test(t)) t = htmlToText(t);
  t = t.replace(/!\[[^\]]*\]\([^)]*\)/g, '');
  // "**Example 1:**", "*Output:* 3" → the words alone, so headers read the same in every form (code is read from
  // `plainCode`, where `**` stays a power)
  t = t.replace(/\*\*([^*\n]{1,40}?)\*\*/g, '$1').replace(/(^|\s)\*([A-Za-z][^*\n]{0,30}?:)\*/g, '$1$2');
  return t
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n');
}

/** The lines of `text` without the common leading indentation (a statement pasted inside a list or a code block). */
export function dedent(lines: readonly string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((l) => l.slice(Math.min(common, /^[ \t]*/.exec(l)?.[0].length ?? 0)));
}

/** Removes blank lines at both ends. */
export function trimBlankLines(lines: readonly string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? '').trim() === '') start++;
  while (end > start && (lines[end - 1] ?? '').trim() === '') end--;
  return lines.slice(start, end);
}

/**
 * True when every other line is blank (`6`, ``, `abc`, ``, `acb`): LiveCodeBench's rendering of Codeforces samples
 * doubles every line break, while the tests it runs have single ones.
 */
export function linesDoubled(lines: readonly string[]): boolean {
  if (lines.length < 3 || lines.length % 2 === 0) return false;
  return lines.every((line, i) => (i % 2 === 1 ? line.trim() === '' : line.trim() !== ''));
}

/**
 * A statement kept in comments (a selection of a solution file: `#Sample Input 1` / `#10 1`, `// inputCopy`): runs of
 * three or more commented lines lose their comment marker.
 */
export function uncommented(lines: readonly string[]): string[] {
  const marker = /^\s*(?:#(?!#)|\/\/|\*(?!\*))\s?/;
  const out = [...lines];
  let i = 0;
  while (i < lines.length) {
    let j = i;
    while (j < lines.length && marker.test(lines[j] ?? '')) j++;
    if (j - i >= 3) for (let k = i; k < j; k++) out[k] = (lines[k] ?? '').replace(marker, '');
    i = Math.max(j, i + 1);
  }
  return out;
}
