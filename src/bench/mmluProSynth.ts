/**
 * A synthetic set in the exact shape of MMLU-Pro's published per-model outputs
 * (`model_outputs_<model>_5shots.json`: one JSON list per model, written by Python's `json.dump`), with the
 * real set's sizes and quirks, for the import benchmark and the importer tests:
 * - about 10.4k questions, every file holding one record per question (29 files ≈ 300k records);
 * - option counts 3–10 in the published proportions; question, option and reply text of realistic length;
 * - `pred` null when the model gave no parseable answer; some models' files carry `generated_text`, others `model_outputs`;
 * - 5 questions whose `options` list has a single option in 20 of the files (100 records), the other files
 *   holding a longer, earlier version;
 * - a question whose options were revised (fewer in some files);
 * - one file holding bare strings among its records (43 in the full set).
 * The text is made up from a fixed vocabulary with a seeded generator, so every run writes the same bytes.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createRng } from '../core/util/rng';

export interface SynthOptions {
  /** Model files (default 29). */
  files?: number;
  /** Distinct questions (default 10,400). */
  questions?: number;
  /** Bare strings put among the records of the first file (default 43). */
  bareStrings?: number;
  /** Questions with a single option, and in how many files they have it (defaults 5 and 20). */
  singleOption?: { questions: number; files: number };
  seed?: number;
}

export interface SynthSummary {
  files: string[];
  /** Entries written across the files (records and bare strings). */
  entries: number;
  /** Records (JSON objects) written. */
  records: number;
  questions: number;
  /** Ids of the single-option questions, of the revised question, and the file holding the bare strings. */
  singleOptionIds: number[];
  revisedId: number;
  bareStringFile: string;
}

const CATEGORIES = ['business', 'law', 'psychology', 'biology', 'chemistry', 'history', 'other', 'health', 'economics', 'math', 'physics', 'computer science', 'philosophy', 'engineering'];
/** Option counts and their weights in the published set (per 300 questions). */
const OPTION_COUNTS: readonly (readonly [number, number])[] = [[3, 1], [4, 20], [5, 5], [6, 3], [7, 5], [8, 6], [9, 17], [10, 243]];
const WORDS = (
  'the of and to in is that for it as with was on be by this are or at from which an not have has but were they its one all their been more when there can so if would who what about out into other than then some these could time only two may first any new like over such also after most made where many before through each way because well those should between same under both might while another system value function rate energy market law court state cell protein acid reaction force mass velocity equation series matrix integer theorem proof algorithm memory process data network model theory policy price demand supply cost firm contract evidence patient disease treatment child behaviour study effect cause result change increase decrease level group population species gene temperature pressure volume charge field current circuit signal sample average probability distribution test hypothesis variable income tax trade capital labour history war empire century revolution culture religion philosophy argument ethics moral knowledge language structure element compound molecule electron atom bond solution concentration'
).split(' ');
const LETTERS = 'ABCDEFGHIJ';

/** Serialises like Python's `json.dumps` with its defaults: `", "` and `": "` separators, non-ASCII escaped. */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`)
      .join(', ')}}`;
  }
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return JSON.stringify(value ?? null);
}

interface Question {
  id: number;
  question: string;
  options: string[];
  answer: number;
  category: string;
  src: string;
}

function makeText(rand: () => number, chars: number): string {
  const words: string[] = [];
  let length = 0;
  while (length < chars) {
    const word = WORDS[Math.floor(rand() * WORDS.length)] ?? 'the';
    words.push(rand() < 0.04 ? String(Math.floor(rand() * 1000)) : word);
    length += word.length + 1;
  }
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function optionCount(rand: () => number): number {
  const total = OPTION_COUNTS.reduce((s, [, w]) => s + w, 0);
  let pick = rand() * total;
  for (const [count, weight] of OPTION_COUNTS) {
    pick -= weight;
    if (pick < 0) return count;
  }
  return 10;
}

function makeQuestions(count: number, rand: () => number): Question[] {
  return Array.from({ length: count }, (_, i) => {
    const n = optionCount(rand);
    const category = CATEGORIES[i % CATEGORIES.length] ?? 'other';
    const stemLength = rand() < 0.05 ? 800 + rand() * 1500 : 80 + rand() * 360;
    return {
      id: 70 + i,
      question: `${makeText(rand, stemLength)}?`,
      options: Array.from({ length: n }, () => makeText(rand, 8 + rand() * 60)),
      answer: Math.floor(rand() * n),
      category,
      src: `ori_mmlu-${category.replace(/ /g, '_')}`,
    };
  });
}

/** One record as the producer writes it for a model of `skill` (how often `pred` is right); some replies end without an answer. */
function record(q: Question, options: string[], answer: number, rand: () => number, skill: number, replyField: string): Record<string, unknown> {
  const correct = rand() < skill;
  const unparsed = rand() < 0.04;
  const predIndex = correct ? answer : Math.floor(rand() * options.length);
  const pred = unparsed ? null : LETTERS[predIndex] ?? null;
  const reply = `${makeText(rand, 300 + rand() * 1300)}. ${pred === null ? 'I cannot determine the answer.' : `The answer is (${pred}).`}`;
  return {
    question_id: q.id,
    question: q.question,
    options,
    answer: LETTERS[answer],
    answer_index: answer,
    cot_content: '',
    category: q.category,
    src: q.src,
    pred,
    [replyField]: reply,
  };
}

/**
 * Writes the synthetic set into `dir` (created if needed) and returns what it holds. Files are written one at
 * a time, each streamed in chunks, so memory stays at one file's worth.
 */
export async function writeSyntheticMmluPro(dir: string, options: SynthOptions = {}): Promise<SynthSummary> {
  const fileCount = options.files ?? 29;
  const rng = createRng(options.seed ?? 20240601);
  const rand = (): number => rng.next();
  const questions = makeQuestions(options.questions ?? 10_400, rand);
  const single = options.singleOption ?? { questions: 5, files: 20 };
  const singleIds = questions.slice(10, 10 + single.questions).map((q) => q.id);
  const revised = questions[3];
  if (!revised) throw new Error('the synthetic set needs at least 4 questions');
  const bare = options.bareStrings ?? 43;
  await fs.mkdir(dir, { recursive: true });
  const summary: SynthSummary = { files: [], entries: 0, records: 0, questions: questions.length, singleOptionIds: singleIds, revisedId: revised.id, bareStringFile: '' };
  for (let f = 0; f < fileCount; f++) {
    const model = `synth-model-${String(f + 1).padStart(2, '0')}${f % 3 === 0 ? '-Instruct' : ''}`;
    const file = path.join(dir, `model_outputs_${model}_5shots.json`);
    const replyField = f % 2 === 0 ? 'generated_text' : 'model_outputs';
    const skill = 0.3 + (0.5 * f) / Math.max(1, fileCount - 1);
    const entries = questions.map((q) => {
      let opts = q.options;
      let answer = q.answer;
      if (singleIds.includes(q.id) && f < single.files) {
        opts = [q.options[q.answer] ?? 'the only option'];
        answer = 0;
      } else if (q.id === revised.id && f % 4 === 1 && q.options.length > 2) {
        opts = q.options.filter((_, k) => k === q.answer || k === (q.answer + 1) % q.options.length);
        answer = opts.indexOf(q.options[q.answer] ?? '');
      }
      return pythonJson(record(q, opts, answer, rand, skill, replyField));
    });
    summary.records += entries.length;
    if (f === 0) {
      for (let k = bare; k >= 1; k--) entries.splice(Math.floor((k * entries.length) / (bare + 1)), 0, pythonJson(makeText(rand, 40 + rand() * 200)));
      summary.bareStringFile = path.basename(file);
    }
    const handle = await fs.open(file, 'w');
    try {
      await handle.write('[');
      for (let k = 0; k < entries.length; k += 1000) await handle.write(`${k > 0 ? ', ' : ''}${entries.slice(k, k + 1000).join(', ')}`);
      await handle.write(']');
    } finally {
      await handle.close();
    }
    summary.entries += entries.length;
    summary.files.push(file);
  }
  return summary;
}
