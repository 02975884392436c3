/**
 * Learning from choices: when the user chooses or accepts a reply, label each referencer by whether
 * its reply agrees with the chosen one. Pure: embeddings come from the caller's embed function.
 *
 * The rule, per reference (first that applies):
 * 0. Code checks. When the reference's code ran on the question's own examples (issue 15), it is right (1) when it
 *    passes every one, wrong (0) when one fails or errors — whatever the chosen reply says. Tests a model wrote never
 *    label (they may be wrong themselves), and neither do time-outs alone (the machine may have been busy): both fall
 *    through to the rules below.
 * 1. Final answers. When both the reference and the chosen reply state a final answer — an explicit
 *    cue ("Answer: …", "the answer is …", `\boxed{…}`, "####") followed by an option letter A–J, or a
 *    number — and both are of the same kind, the label is 1 when they are equal (numbers within the
 *    number grader's tolerance, fractions and percentages included) and 0 otherwise. The extraction is
 *    the graders' own (`extractChoice`, `extractNumber`), so feedback labels mean what profiling labels mean.
 *    When the feedback is implicit (the user copied or inserted the reply, rather than choosing it), a reference whose
 *    code ran on any checks is labelled by the checks alone, or not at all: a copy says less than checks that could not
 *    tell the replies apart, and labelling by likeness to the copied reply would call such a reference right.
 * 2. Embedding similarity. Otherwise cos(e(reference), e(chosen)) ≥ `agreeThreshold` (default 0.85)
 *    gives 1, ≤ `disagreeThreshold` (default 0.6) gives 0, and anything between gives no label.
 *
 * Why 0.85 / 0.6: with sentence-embedding models (e.g. all-MiniLM-L6-v2, the default embedder) two
 * answers that say the same thing in other words typically score above 0.8, while answers to the same
 * question that reach a different result share most of their vocabulary and land around 0.5–0.8.
 * A high bar for "agrees" keeps false 1-labels rare — a wrong 1 inflates a model's prior on similar
 * questions — and the wide uncertain band between the thresholds trades recall for precision: an
 * uncertain reference is simply not labelled. `learning-rule.test.ts` measures precision and recall
 * on references with known ground truth.
 */
import { at } from '../util/arrays';
import type { CheckSummary } from '../contracts/checks';
import type { NumberTolerance } from './graders';
import { compareFinalAnswers, describeAnswer, finalAnswer } from './finalAnswer';
import { cosine } from '../util/vectorMath';

/** One referencer's reply. */
export interface LearningReference {
  model: string;
  text: string;
  /** Its code run on the ask's checks, when it was. */
  checks?: CheckSummary;
}

/** Thresholds and tolerances of the rule. */
export interface LearningOptions {
  /** Similarity at or above which a reference agrees with the chosen reply (default 0.85). */
  agreeThreshold?: number;
  /** Similarity at or below which a reference disagrees (default 0.6). */
  disagreeThreshold?: number;
  /** Tolerance when comparing numeric final answers (default: the number grader's). */
  tolerance?: NumberTolerance;
  /** The reply was copied or inserted, not chosen: a reference's checks outrank it (rule 0). */
  implicit?: boolean;
}

export const DEFAULT_AGREE_THRESHOLD = 0.85;
export const DEFAULT_DISAGREE_THRESHOLD = 0.6;

/** The label of one referencer and why. */
export interface ReferenceLabel {
  model: string;
  /** 1 agrees with the chosen reply, 0 disagrees, null uncertain (not labelled). */
  label: 0 | 1 | null;
  basis: 'code' | 'final-answer' | 'similarity';
  /** The question's examples it passed, of how many (code basis only). */
  checks?: { passed: number; total: number };
  /** Cosine similarity to the chosen reply (similarity basis only). */
  similarity?: number;
  /** The two final answers compared (final-answer basis only). */
  answers?: { reference: string; chosen: string };
}

/** Embeds texts into unit vectors, one per text, in order. */
export type EmbedTexts = (texts: readonly string[]) => Promise<ArrayLike<number>[]>;

function thresholds(options: LearningOptions): { agree: number; disagree: number } {
  const agree = options.agreeThreshold ?? DEFAULT_AGREE_THRESHOLD;
  const disagree = options.disagreeThreshold ?? DEFAULT_DISAGREE_THRESHOLD;
  if (!(agree >= -1 && agree <= 1) || !(disagree >= -1 && disagree <= 1) || disagree > agree) {
    throw new RangeError(`learning thresholds must satisfy -1 ≤ disagreeThreshold (${disagree}) ≤ agreeThreshold (${agree}) ≤ 1`);
  }
  return { agree, disagree };
}

/** Rule 0: 1 when the code passes every question example, 0 when one fails or errors, null when the checks cannot label. */
export function codeLabel(checks: CheckSummary | undefined): 0 | 1 | null {
  if (checks === undefined || checks.source !== 'question' || checks.total === 0) return null;
  if (checks.passed === checks.total) return 1;
  return checks.failed + checks.errored > 0 ? 0 : null;
}

/**
 * Labels every reference against the chosen reply by the rule above. Only references that the final
 * answers cannot decide are embedded, together with the chosen reply, in one call to `embed`.
 */
export async function labelReferences(
  references: readonly LearningReference[],
  chosen: string,
  embed: EmbedTexts,
  options: LearningOptions = {},
): Promise<ReferenceLabel[]> {
  const { agree, disagree } = thresholds(options);
  const chosenAnswer = finalAnswer(chosen);
  const labels: (ReferenceLabel | undefined)[] = references.map((ref) => {
    const byCode = codeLabel(ref.checks);
    const checked = ref.checks !== undefined && ref.checks.total > 0;
    if (ref.checks && (byCode !== null || (options.implicit === true && checked))) return { model: ref.model, label: byCode, basis: 'code', checks: { passed: ref.checks.passed, total: ref.checks.total } };
    const refAnswer = chosenAnswer && finalAnswer(ref.text);
    const verdict = refAnswer ? compareFinalAnswers(refAnswer, chosenAnswer, options.tolerance) : null;
    if (verdict === null || !refAnswer || !chosenAnswer) return undefined;
    return { model: ref.model, label: verdict, basis: 'final-answer', answers: { reference: describeAnswer(refAnswer), chosen: describeAnswer(chosenAnswer) } };
  });
  const open = references.flatMap((ref, i) => (labels[i] === undefined ? [{ ref, i }] : []));
  if (open.length > 0) {
    const vectors = await embed([chosen, ...open.map(({ ref }) => ref.text)]);
    if (vectors.length !== open.length + 1) throw new Error(`embed returned ${vectors.length} vectors for ${open.length + 1} texts`);
    const chosenVector = at(vectors, 0);
    open.forEach(({ ref, i }, k) => {
      const similarity = cosine(at(vectors, k + 1), chosenVector);
      const label = similarity >= agree ? 1 : similarity <= disagree ? 0 : null;
      labels[i] = { model: ref.model, label, basis: 'similarity', similarity };
    });
  }
  return labels as ReferenceLabel[];
}
