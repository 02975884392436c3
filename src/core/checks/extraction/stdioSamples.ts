/**
 * Input/output samples of whole programs, as the judges publish them:
 * - AtCoder ("Sample Input 1" / "Sample Output 1", also "入力例 1" / "出力例 1"; each output may be followed by its
 *   explanation after a blank line), as LiveCodeBench renders it (`\r\n` inside samples) and as a copied page;
 * - Codeforces as LiveCodeBench renders it ("Sample Input 1:" with every line break doubled, then "Note");
 * - Codeforces (and CodeChef) pages copied from a browser: "Examples" then "input"/"inputCopy" and
 *   "output"/"outputCopy" blocks.
 */
import type { StdioCheck } from '../../contracts/checks';
import { dedent, linesDoubled, trimBlankLines, uncommented } from './statementText';

type SampleKind = 'input' | 'output';

interface Header {
  kind: SampleKind;
  line: number;
  /** The sample's number when the header gives one. */
  number?: number;
  label: string;
}

const SAMPLE_HEADER =
  /^\s*(?:#{1,6}\s*)?-*\s*((?:sample|example)\s+(input|output)|(input|output)\s+example|(入力|出力)例|样例(输入|输出)|(输入|输出)样例)\s*#?\s*(\d+)?\s*[:：]?\s*-*\s*(?:copy)?\s*$/i;

/** Lines that end a sample's block: the next sample, a statement section, a markdown heading. */
const SECTION_HEADER =
  /^\s*(?:#{1,6}\s+.*|(?:note|notes|explanation|(?:sample\s+)?explanation\s*\d*|constraints?|input|output|examples?|hints?|follow[- ]?up|scoring|subtasks?|入力|出力|制約|注意|解説|問題文)\s*:?\s*|(?:example|sample)\s*\d+\s*:?\s*)$/i;

/** Words that explanations are made of and program outputs rarely are. */
const FUNCTION_WORDS = new Set([
  'the', 'is', 'are', 'of', 'to', 'and', 'so', 'we', 'if', 'in', 'this', 'that', 'it', 'be', 'can', 'by', 'for', 'with',
  'as', 'print', 'answer', 'therefore', 'thus', 'here', 'there', 'which', 'not', 'an', 'he', 'she', 'they', 'you', 'at',
  'from', 'because', 'since', 'then', 'case', 'output', 'should', 'must', 'will',
]);

/**
 * A line that reads as an explanation rather than output: a few words, two of them the words sentences are made of
 * ("The average size of birds of type", "If he performs the operation zero times, he…"). A list of words printed
 * by a program ("apple banana cherry") does not read so.
 */
function readsAsProse(line: string): boolean {
  const words = line.trim().toLowerCase().split(/\s+/).map((w) => w.replace(/[,.:;!?()]+$/g, ''));
  return words.length >= 3 && words.filter((w) => FUNCTION_WORDS.has(w)).length >= 2;
}

function sampleHeader(line: string, index: number): Header | null {
  const m = SAMPLE_HEADER.exec(line);
  if (!m) return null;
  const word = (m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? '').toLowerCase();
  const kind: SampleKind = word === 'input' || word === '入力' || word === '输入' ? 'input' : 'output';
  const label = line.trim().replace(/^#+\s*/, '').replace(/-+/g, '').replace(/\s*copy$/i, '').replace(/\s*:$/, '').trim();
  const header: Header = { kind, line: index, label };
  if (m[7] !== undefined) header.number = Number(m[7]);
  return header;
}

/** A block's lines, dedented, blank ends removed. */
function blockLines(block: readonly string[]): string[] {
  return trimBlankLines(dedent(block));
}

/** The program input of a block, doubled line breaks undone (an input never holds an explanation). */
function inputText(lines: readonly string[]): string | null {
  const kept = linesDoubled(lines) ? lines.filter((l) => l.trim() !== '') : lines;
  return kept.length === 0 ? null : `${kept.join('\n')}\n`;
}

/**
 * The expected output of a block: up to the first blank line (what follows is the sample's explanation) or an
 * explanation that starts right under it (a bullet, a sentence). Doubled line breaks are undone only when the
 * sample's input had them too and no line reads as an explanation: "3", "", "The answer is 3." is an output and
 * its explanation.
 */
function outputText(lines: readonly string[], inputDoubled: boolean): string | null {
  if (inputDoubled && linesDoubled(lines) && !lines.some(readsAsProse)) return `${lines.filter((l) => l.trim() !== '').join('\n')}\n`;
  const kept: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') break;
    if (kept.length > 0 && (/^\s*[•・*]\s/.test(line) || (readsAsProse(line) && !kept.some(readsAsProse)))) break;
    kept.push(line);
  }
  return kept.length === 0 ? null : `${kept.join('\n')}\n`;
}

/** The lines after `start` up to the next header or section. */
function blockAfter(lines: readonly string[], start: number, isHeader: (line: string) => boolean): string[] {
  const block: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    // AtCoder's copy button leaves a "Copy" line under the header
    if (block.length === 0 && /^\s*copy\s*$/i.test(line)) continue;
    if (isHeader(line)) break;
    block.push(line);
  }
  return block;
}

const isAnyHeader = (line: string): boolean => SAMPLE_HEADER.test(line) || SECTION_HEADER.test(line);

/** "Sample Input k" / "Sample Output k" pairs (AtCoder, LiveCodeBench's AtCoder and Codeforces renderings). */
function numberedSamples(lines: readonly string[]): StdioCheck[] {
  const headers = lines.flatMap((line, i) => sampleHeader(line, i) ?? []);
  const checks: StdioCheck[] = [];
  headers.forEach((header, h) => {
    if (header.kind !== 'input') return;
    const output = headers.slice(h + 1).find((o) => o.kind === 'output' && (o.number === header.number || o.number === undefined || header.number === undefined));
    const nextInput = headers.slice(h + 1).find((o) => o.kind === 'input');
    if (!output || (nextInput && nextInput.line < output.line)) return;
    const inputLines = blockLines(blockAfter(lines, header.line, isAnyHeader));
    const input = inputText(inputLines);
    const expected = outputText(blockLines(blockAfter(lines, output.line, isAnyHeader)), linesDoubled(inputLines));
    if (input === null || expected === null) return;
    checks.push({ kind: 'stdio', source: 'question', label: header.label, input, expected });
  });
  return checks;
}

const EXAMPLES_HEADING = /^\s*(?:#{1,6}\s*)?(?:examples?|sample tests?|samples?)\s*:?\s*$/i;
const COPY_BLOCK = /^\s*(?:#{1,6}\s*)?(input|output)\s*(?:copy)?\s*:?\s*$/i;

/** A Codeforces page copied from a browser: "Examples", then "input"/"inputCopy" and "output"/"outputCopy" blocks. */
function copiedExamples(lines: readonly string[]): StdioCheck[] {
  const start = lines.findIndex((l) => EXAMPLES_HEADING.test(l));
  if (start < 0) return [];
  const checks: StdioCheck[] = [];
  const isEnd = (line: string): boolean => COPY_BLOCK.test(line) || (SECTION_HEADER.test(line) && !COPY_BLOCK.test(line));
  let pendingInput: { text: string; doubled: boolean } | null = null;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = COPY_BLOCK.exec(line);
    if (!m) {
      if (SECTION_HEADER.test(line) || SAMPLE_HEADER.test(line)) break;
      continue;
    }
    const block = blockLines(blockAfter(lines, i, isEnd));
    if ((m[1] ?? '').toLowerCase() === 'input') {
      const text = inputText(block);
      pendingInput = text === null ? null : { text, doubled: linesDoubled(block) };
    } else if (pendingInput !== null) {
      const expected = outputText(block, pendingInput.doubled);
      if (expected !== null) checks.push({ kind: 'stdio', source: 'question', label: `Example ${checks.length + 1}`, input: pendingInput.text, expected });
      pendingInput = null;
    }
  }
  return checks;
}

/**
 * Every input/output sample of a statement (plain text, see `plainStatement`), in order, duplicates removed. Fences
 * around a sample are not part of it; fences tagged `input1` / `output1` (a markdown rendering of AtCoder) are its
 * headers.
 */
export function stdioSamples(statement: string): StdioCheck[] {
  // LiveCodeBench's Codeforces text glues the first header to the last sentence: "…a positive answer).Sample Input 1:"
  const unglued = statement.replace(/([^\n])[ \t]*((?:Sample|Example)\s+(?:Input|Output)\s*\d*\s*:[ \t]*\n)/g, '$1\n$2');
  const lines = uncommented(unglued.split('\n')).map((line) => {
    const tagged = /^\s*(?:`{3,}|~{3,})\s*(input|output)\s*(\d*)\s*$/i.exec(line);
    if (tagged) return `Sample ${(tagged[1] ?? '').toLowerCase() === 'input' ? 'Input' : 'Output'} ${tagged[2] ?? ''}`.trim();
    return /^\s*(`{3,}|~{3,})[\w+-]*\s*$/.test(line) ? '' : line;
  });
  const found = [...numberedSamples(lines), ...copiedExamples(lines)];
  const seen = new Set<string>();
  return found.filter((c) => {
    const key = `${c.input}\u0000${c.expected}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
