/**
 * A realistic test set for price-aware routing, shaped like MMLU-Pro's published results (12,032 questions, 14
 * categories, 29 models): a bank JSONL with embeddings, labels and reply tokens, and a prices file with list prices
 * of the kind OpenRouter publishes. The real results cannot be fetched here, so the set is generated with the
 * structure that makes routing work or fail on them:
 * - each model's overall accuracy is set to roughly its published MMLU-Pro score (best 71.8 %), and its price to a
 *   list price of its kind (USD per token), so cheap models trail by 5–15 points at a tenth of the cost or less;
 * - correctness follows an item-response model: a question's difficulty is shared by every model (easy questions are
 *   right for nearly all), each model has its own strength per category (σ 0.25 logits) and per topic (σ 0.2), and
 *   10-option guessing sets a floor;
 * - embeddings put a question near its topic and category (cosine ≈ 0.65 within a topic, 0.4 within a category,
 *   0 across), so the RPS support set holds the questions of its topic and category;
 * - prompt tokens are a 5-shot chain-of-thought prompt (1,400–2,400 tokens per category) plus the question, each
 *   model's tokenizer counting a little differently; completion tokens follow each model's verbosity, longer for
 *   harder questions and for the calculating categories.
 */
import { createRng, type Rng } from '../core/util/rng';
import type { BankRecord, TokenPrice } from '../core/contracts/types';

/** name, target accuracy, USD per million prompt and completion tokens, mean reply tokens. */
const MODELS: readonly (readonly [string, number, number, number, number])[] = [
  ['GPT-4o', 0.718, 2.5, 10, 420],
  ['Llama-3.1-405B-Instruct', 0.703, 2.7, 2.7, 360],
  ['Gemini-1.5-Pro', 0.69, 1.25, 5, 390],
  ['Claude-3-Opus', 0.685, 15, 75, 380],
  ['Qwen2-72B-Instruct', 0.644, 0.35, 0.4, 380],
  ['GPT-4-Turbo', 0.637, 10, 30, 400],
  ['DeepSeek-Coder-V2-Instruct', 0.636, 0.14, 0.28, 450],
  ['GPT-4o-mini', 0.631, 0.15, 0.6, 400],
  ['Llama-3.1-70B-Instruct', 0.624, 0.12, 0.3, 350],
  ['Gemini-1.5-Flash', 0.591, 0.075, 0.3, 330],
  ['Yi-Large', 0.58, 3, 3, 360],
  ['Claude-3-Sonnet', 0.568, 3, 15, 360],
  ['Gemma-2-27B-it', 0.565, 0.27, 0.27, 300],
  ['Mixtral-8x22B-Instruct', 0.563, 0.65, 0.65, 340],
  ['Llama-3-70B-Instruct', 0.562, 0.3, 0.4, 320],
  ['Phi-3-medium-4k-instruct', 0.557, 0.14, 0.14, 350],
  ['DeepSeek-V2-Chat', 0.548, 0.14, 0.28, 380],
  ['Qwen1.5-72B-Chat', 0.526, 0.81, 0.81, 370],
  ['Yi-1.5-34B-Chat', 0.523, 0.3, 0.3, 400],
  ['Gemma-2-9B-it', 0.521, 0.06, 0.06, 290],
  ['Qwen2-7B-Instruct', 0.471, 0.054, 0.054, 360],
  ['Phi-3-mini-4k-instruct', 0.457, 0.1, 0.1, 340],
  ['Llama-3.1-8B-Instruct', 0.443, 0.02, 0.05, 380],
  ['Mixtral-8x7B-Instruct', 0.433, 0.24, 0.24, 330],
  ['Claude-3-Haiku', 0.421, 0.25, 1.25, 330],
  ['Llama-3-8B-Instruct', 0.41, 0.03, 0.06, 330],
  ['Gemma-7B-it', 0.333, 0.07, 0.07, 300],
  ['c4ai-command-r-plus', 0.33, 2.5, 10, 300],
  ['Mistral-7B-Instruct-v0.3', 0.3, 0.03, 0.055, 300],
];

/** category, mean difficulty (logits), 5-shot prompt tokens, reply length factor. */
const CATEGORIES: readonly (readonly [string, number, number, number])[] = [
  ['biology', -0.8, 1500, 0.9],
  ['business', 0.0, 1700, 1.2],
  ['chemistry', 0.4, 2100, 1.5],
  ['computer science', 0.0, 2000, 1.1],
  ['economics', -0.4, 1600, 1.0],
  ['engineering', 0.9, 2200, 1.5],
  ['health', -0.2, 1500, 0.8],
  ['history', 0.3, 2400, 0.8],
  ['law', 1.2, 2300, 0.9],
  ['math', 0.3, 1900, 1.6],
  ['other', -0.3, 1400, 0.8],
  ['philosophy', 0.5, 1700, 0.9],
  ['physics', 0.3, 2000, 1.5],
  ['psychology', -0.6, 1500, 0.8],
];

export interface RoutingSetOptions {
  questions?: number;
  dim?: number;
  topicsPerCategory?: number;
  /** Scales how much a model's strength differs by category and topic (1: σ 0.25 and 0.2 logits). */
  specialisation?: number;
  seed?: number;
}

export interface RoutingSet {
  records: BankRecord[];
  prices: Record<string, TokenPrice>;
}

function gaussian(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const GUESS = 0.1;

function unitGaussianVector(rng: Rng, dim: number): number[] {
  const v = Array.from({ length: dim }, () => gaussian(rng));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** Generates the set (deterministic for a seed). */
export function generateRoutingSet(options: RoutingSetOptions = {}): RoutingSet {
  const rng = createRng(options.seed ?? 17);
  const n = options.questions ?? 12_032;
  const dim = options.dim ?? 64;
  const topics = options.topicsPerCategory ?? 24;
  const catCentroids = CATEGORIES.map(() => unitGaussianVector(rng, dim));
  const topicCentroids = CATEGORIES.map(() => Array.from({ length: topics }, () => unitGaussianVector(rng, dim)));
  const topicShift = CATEGORIES.map(() => Array.from({ length: topics }, () => 0.5 * gaussian(rng)));
  const spread = options.specialisation ?? 1;
  const catStrength = MODELS.map(() => CATEGORIES.map(() => 0.25 * spread * gaussian(rng)));
  const topicStrength = MODELS.map(() => CATEGORIES.map(() => Array.from({ length: topics }, () => 0.2 * spread * gaussian(rng))));
  const tokenizer = MODELS.map(() => 0.9 + 0.25 * rng.next());
  const questions = Array.from({ length: n }, (_, q) => {
    const c = q % CATEGORIES.length;
    const t = Math.floor(rng.next() * topics);
    const [, difficulty, shots] = CATEGORIES[c] ?? ['other', 0, 1500];
    const noise = unitGaussianVector(rng, dim);
    const cat = catCentroids[c] ?? [];
    const topic = topicCentroids[c]?.[t] ?? [];
    const embedding = noise.map((x, d) => (cat[d] ?? 0) + 0.8 * (topic[d] ?? 0) + 0.9 * x);
    const questionTokens = Math.round(60 * Math.exp(0.7 * gaussian(rng)) + 40);
    return { c, t, b: difficulty + (topicShift[c]?.[t] ?? 0) + 1.5 * gaussian(rng), embedding, promptTokens: shots + questionTokens, lengthNoise: Array.from(MODELS, () => Math.exp(0.35 * gaussian(rng))) };
  });
  // Each model's ability is found by bisection so its expected accuracy over these questions is its target.
  const abilities = MODELS.map(([, target], m) => {
    let lo = -6;
    let hi = 8;
    for (let step = 0; step < 50; step++) {
      const mid = (lo + hi) / 2;
      const mean = questions.reduce((s, x) => s + GUESS + (1 - GUESS) * sigmoid(mid + (catStrength[m]?.[x.c] ?? 0) + (topicStrength[m]?.[x.c]?.[x.t] ?? 0) - x.b), 0) / n;
      if (mean < target) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  });
  const records: BankRecord[] = questions.map((x, q) => {
    const correct: Record<string, 0 | 1> = {};
    const tokens: NonNullable<BankRecord['tokens']> = {};
    const [category, , , lengthFactor] = CATEGORIES[x.c] ?? ['other', 0, 1500, 1];
    MODELS.forEach(([name, , , , verbosity], m) => {
      const p = GUESS + (1 - GUESS) * sigmoid((abilities[m] ?? 0) + (catStrength[m]?.[x.c] ?? 0) + (topicStrength[m]?.[x.c]?.[x.t] ?? 0) - x.b);
      correct[name] = rng.next() < p ? 1 : 0;
      const completion = verbosity * lengthFactor * (1 + 0.15 * Math.max(-2, Math.min(3, x.b))) * (x.lengthNoise[m] ?? 1);
      tokens[name] = { prompt: Math.round(x.promptTokens * (tokenizer[m] ?? 1)), completion: Math.max(20, Math.round(completion)) };
    });
    return { id: `synth-mmlu-pro-${q}`, question: `${category} question ${q} (topic ${x.t})`, answer: 'A', grader: 'choice', domain: category, correct, tokens, embedding: x.embedding.map((v) => Number(v.toFixed(5))) };
  });
  const prices = Object.fromEntries(MODELS.map(([name, , prompt, completion]) => [name, { prompt: prompt / 1e6, completion: completion / 1e6 }]));
  return { records, prices };
}
