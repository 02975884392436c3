/**
 * Validator for the shipped starter question bank (media/starter-bank.jsonl).
 *
 * Usage: `node --import tsx scripts/check-starter-bank.ts [FILE]` (default: the repository's media/starter-bank.jsonl).
 * Prints counts per domain, grader and answer letter; exits 1 naming line and field on the first
 * problems found, or when the bank is too small or unbalanced.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BankRecord, GraderKind } from '../src/core/contracts/types';

/** Graders a starter question may use: all of them grade automatically. */
export const STARTER_GRADERS: readonly GraderKind[] = ['choice', 'number', 'exact'];

/** Fields every starter line must carry; no other field is allowed. */
export const STARTER_FIELDS = ['id', 'question', 'answer', 'grader', 'domain', 'source'] as const;

/** Bars the shipped bank must meet (issue 6 item 4). */
export const STARTER_BARS = {
  minQuestions: 300,
  minDomains: 10,
  /** Largest share of choice answers one letter may carry. */
  maxLetterShare: 0.35,
  /** Largest share of questions graded by exact string match. */
  maxExactShare: 0.15,
} as const;

/** Instruction every multiple-choice question must contain. */
export const CHOICE_INSTRUCTION = 'Answer with the letter of the correct option.';

/** Longest accepted reference answer for the `exact` grader. */
export const MAX_EXACT_ANSWER_CHARS = 80;

/** One problem found in the file: 1-based line number, the field concerned, and what is wrong. */
export interface StarterProblem {
  line: number;
  field: string;
  message: string;
}

/** Counts over the valid lines of a starter bank. */
export interface StarterStats {
  questions: number;
  byDomain: Record<string, number>;
  byGrader: Record<string, number>;
  /** Correct-letter counts over the `choice` questions. */
  byLetter: Record<string, number>;
}

/** Result of {@link validateStarterBank}: the records that passed, the problems, and counts. */
export interface StarterValidation {
  records: BankRecord[];
  problems: StarterProblem[];
  stats: StarterStats;
}

const ID_PATTERN = /^starter-([a-z]+)-(\d{3})$/;
const DOMAIN_PATTERN = /^[a-z]+$/;
const OPTION_PATTERN = /^([A-J])\.\s+(\S.*)$/;
const NUMBER_PATTERN = /^-?\d+(\.\d+)?$/;

/** Options ("A. text" lines) of a multiple-choice question, in order of appearance. */
export function parseChoiceOptions(question: string): { letter: string; text: string }[] {
  const options: { letter: string; text: string }[] = [];
  for (const line of question.split('\n')) {
    const match = OPTION_PATTERN.exec(line.trim());
    if (!match) continue;
    const [, letter, text] = match;
    if (letter === undefined || text === undefined) throw new Error(`option pattern matched without its groups: ${line}`);
    options.push({ letter, text: text.trim() });
  }
  return options;
}

function checkChoice(question: string, answer: string): string[] {
  const problems: string[] = [];
  const options = parseChoiceOptions(question);
  if (options.length < 4 || options.length > 10) {
    problems.push(`question: a choice question needs 4 to 10 option lines "A. ...", found ${options.length}`);
    return problems;
  }
  for (const [index, option] of options.entries()) {
    const expected = String.fromCharCode(65 + index);
    if (option.letter !== expected) {
      problems.push(`question: option ${index + 1} is lettered ${option.letter}, expected ${expected}`);
      break;
    }
  }
  const texts = new Set(options.map((option) => option.text));
  if (texts.size !== options.length) problems.push('question: two options have the same text');
  if (!question.includes(CHOICE_INSTRUCTION)) {
    problems.push(`question: a choice question must contain "${CHOICE_INSTRUCTION}"`);
  }
  if (!/^[A-J]$/.test(answer)) {
    problems.push(`answer: a choice answer must be one capital letter A-J, got ${JSON.stringify(answer)}`);
  } else if (!options.some((option) => option.letter === answer)) {
    problems.push(`answer: letter ${answer} is not among the options ${options.map((o) => o.letter).join('')}`);
  }
  return problems;
}

function checkAnswer(grader: string, question: string, answer: string): string[] {
  if (grader === 'choice') return checkChoice(question, answer);
  if (grader === 'number') {
    return NUMBER_PATTERN.test(answer) ? [] : [`answer: a number answer must be a plain integer or decimal, got ${JSON.stringify(answer)}`];
  }
  if (answer.includes('\n') || answer !== answer.trim()) return ['answer: an exact answer must be one line without surrounding spaces'];
  if (answer.length > MAX_EXACT_ANSWER_CHARS) return [`answer: an exact answer must be at most ${MAX_EXACT_ANSWER_CHARS} characters`];
  return [];
}

function checkLine(value: unknown): { record?: BankRecord; problems: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: ['line: must be a JSON object'] };
  }
  const object = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(object)) {
    if (!(STARTER_FIELDS as readonly string[]).includes(key)) problems.push(`${key}: unexpected field`);
  }
  for (const field of STARTER_FIELDS) {
    const fieldValue = object[field];
    if (typeof fieldValue !== 'string' || fieldValue.trim() === '') problems.push(`${field}: required non-empty string`);
  }
  if (problems.length > 0) return { problems };
  const { id, question, answer, grader, domain, source } = object as Record<(typeof STARTER_FIELDS)[number], string>;
  if (!DOMAIN_PATTERN.test(domain)) problems.push(`domain: must be lower-case letters, got ${JSON.stringify(domain)}`);
  const idMatch = ID_PATTERN.exec(id);
  if (!idMatch) problems.push(`id: must look like starter-<domain>-<nnn>, got ${JSON.stringify(id)}`);
  else if (idMatch[1] !== domain) problems.push(`id: domain part "${idMatch[1]}" differs from domain "${domain}"`);
  if (source !== 'starter') problems.push(`source: must be "starter", got ${JSON.stringify(source)}`);
  if (!(STARTER_GRADERS as readonly string[]).includes(grader)) {
    problems.push(`grader: must be one of ${STARTER_GRADERS.join('|')}, got ${JSON.stringify(grader)}`);
  } else {
    problems.push(...checkAnswer(grader, question, answer));
  }
  if (problems.length > 0) return { problems };
  return { record: { id, question, answer, grader: grader as GraderKind, domain, source: 'starter' }, problems };
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Validates the text of a starter bank file line by line; never throws on bad content. */
export function validateStarterBank(text: string): StarterValidation {
  const problems: StarterProblem[] = [];
  const records: BankRecord[] = [];
  const stats: StarterStats = { questions: 0, byDomain: {}, byGrader: {}, byLetter: {} };
  const firstLineOfId = new Map<string, number>();
  const firstLineOfQuestion = new Map<string, number>();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    const report = (entry: string): void => {
      const cut = entry.indexOf(':');
      problems.push({ line, field: entry.slice(0, cut), message: entry.slice(cut + 1).trim() });
    };
    if (raw.trim() === '') {
      report('line: blank line');
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      report(`line: invalid JSON (${(error as Error).message})`);
      return;
    }
    const checked = checkLine(parsed);
    checked.problems.forEach(report);
    const record = checked.record;
    if (!record) return;
    const previousId = firstLineOfId.get(record.id);
    if (previousId !== undefined) {
      report(`id: duplicate id ${record.id}, first on line ${previousId}`);
      return;
    }
    firstLineOfId.set(record.id, line);
    const questionKey = record.question.replace(/\s+/g, ' ').trim().toLowerCase();
    const previousQuestion = firstLineOfQuestion.get(questionKey);
    if (previousQuestion !== undefined) {
      report(`question: same question as line ${previousQuestion}`);
      return;
    }
    firstLineOfQuestion.set(questionKey, line);
    records.push(record);
    stats.questions += 1;
    increment(stats.byDomain, record.domain as string);
    increment(stats.byGrader, record.grader as string);
    if (record.grader === 'choice') increment(stats.byLetter, record.answer as string);
  });
  return { records, problems, stats };
}

/** Checks the counts against {@link STARTER_BARS}; returns one message per bar missed. */
export function checkStarterBars(stats: StarterStats): string[] {
  const failures: string[] = [];
  if (stats.questions < STARTER_BARS.minQuestions) {
    failures.push(`only ${stats.questions} questions, need at least ${STARTER_BARS.minQuestions}`);
  }
  const domains = Object.keys(stats.byDomain).length;
  if (domains < STARTER_BARS.minDomains) failures.push(`only ${domains} domains, need at least ${STARTER_BARS.minDomains}`);
  const choiceCount = Object.values(stats.byLetter).reduce((sum, count) => sum + count, 0);
  for (const [letter, count] of Object.entries(stats.byLetter)) {
    if (count / choiceCount > STARTER_BARS.maxLetterShare) {
      failures.push(`letter ${letter} answers ${count} of ${choiceCount} choice questions, more than ${STARTER_BARS.maxLetterShare * 100}%`);
    }
  }
  const exact = stats.byGrader.exact ?? 0;
  if (stats.questions > 0 && exact / stats.questions > STARTER_BARS.maxExactShare) {
    failures.push(`${exact} of ${stats.questions} questions use the exact grader, more than ${STARTER_BARS.maxExactShare * 100}%`);
  }
  return failures;
}

function formatCounts(counts: Record<string, number>): string {
  return Object.keys(counts)
    .sort()
    .map((key) => `${key} ${counts[key]}`)
    .join(', ');
}

function main(argv: string[]): number {
  const file = argv[0] ? resolve(argv[0]) : join(__dirname, '..', 'media', 'starter-bank.jsonl');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    process.stderr.write(`cannot read ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  const { problems, stats } = validateStarterBank(text);
  for (const problem of problems) process.stderr.write(`${file}:${problem.line}: ${problem.field}: ${problem.message}\n`);
  process.stdout.write(
    `${stats.questions} valid questions\n` +
      `domains (${Object.keys(stats.byDomain).length}): ${formatCounts(stats.byDomain)}\n` +
      `graders: ${formatCounts(stats.byGrader)}\n` +
      `choice answer letters: ${formatCounts(stats.byLetter)}\n`,
  );
  const failures = checkStarterBars(stats);
  for (const failure of failures) process.stderr.write(`${file}: ${failure}\n`);
  return problems.length > 0 || failures.length > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
